/**
 * The running mock's own window, for people and tools outside the test process (`dx mock
 * downlinks`): what it queued, as JSON, at a path of the mock's origin that the real DX does
 * not have. Served by `startDxMock` only (msw tests read `mock.downlinks`), and never part of
 * `@dx/core-client`: a client of DX has no business calling it.
 */
import { check, described, httpUrl } from './checks.js';
import type { DxMockControls } from './controls.js';
import type { DxDownlinkRecord } from './records.js';

/**
 * Where `startDxMock` lists the downlinks it queued: `GET <origin>/_dx-mock/downlinks`.
 *
 * @example
 * ```ts
 * await fetch(new URL(MOCK_DOWNLINKS_PATH, mock.origin)); // { total, downlinks: [...] }
 * ```
 */
export const MOCK_DOWNLINKS_PATH = '/_dx-mock/downlinks';

/**
 * One downlink as the endpoint lists it: the record without its `bytes` (`payloadHex` holds
 * them).
 *
 * @example
 * ```ts
 * const { id, device, payloadHex, fPort, receivedAt }: MockDownlink = listed.downlinks[0]!;
 * ```
 */
export type MockDownlink = Omit<DxDownlinkRecord, 'bytes'>;

/**
 * What `GET /_dx-mock/downlinks` answers.
 *
 * @example
 * ```ts
 * const listed: MockDownlinkList = await fetchMockDownlinks(process.env.DX_BASE_URL!);
 * listed.total - listed.downlinks.length; // dropped past maxRecords
 * ```
 */
export interface MockDownlinkList {
  /** Downlinks queued since start, dropped ones included. */
  total: number;
  /** The ones kept (the last `maxRecords`), oldest first. */
  downlinks: MockDownlink[];
}

export function mockDownlinkList(controls: DxMockControls): MockDownlinkList {
  return {
    total: controls.counts.downlinks,
    downlinks: controls.downlinks.map(({ bytes: _bytes, ...rest }) => rest),
  };
}

function isDownlinkList(value: unknown): value is MockDownlinkList {
  const list = value as Partial<MockDownlinkList> | null;
  return (
    typeof list === 'object' &&
    list !== null &&
    typeof list.total === 'number' &&
    Array.isArray(list.downlinks) &&
    list.downlinks.every((d) => typeof d?.id === 'string' && typeof d.payloadHex === 'string')
  );
}

/**
 * Reads the downlinks a running `startDxMock` (or `dx mock`) queued, from any URL of its
 * origin, e.g. its base URL (`DX_BASE_URL`).
 *
 * @example
 * ```ts
 * const { downlinks } = await fetchMockDownlinks('http://127.0.0.1:4010/core/latest/api');
 * ```
 */
export async function fetchMockDownlinks(
  url: string,
  init: { signal?: AbortSignal } = {},
): Promise<MockDownlinkList> {
  check('url', url, described(httpUrl, 'an http(s) URL of the mock'));
  const target = new URL(MOCK_DOWNLINKS_PATH, url);
  const response = await fetch(target, { ...init, redirect: 'error' });
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (response.status !== 200 || !isDownlinkList(body)) {
    throw new Error(
      `${target.origin} is not a running @dx/mock (GET ${MOCK_DOWNLINKS_PATH} answered ${response.status})`,
    );
  }
  return body;
}
