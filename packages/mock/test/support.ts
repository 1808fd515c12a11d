import { onTestFinished } from 'vitest';
import { startDxMock, type DxMock, type StartDxMockOptions } from '../src/index.js';

/**
 * A mock closed when the calling test ends. The cleanup is registered per test rather than by a
 * module-level `afterEach`, which would run only in the first file to import this module when
 * the project runs without isolation.
 */
export async function mockServer(options?: StartDxMockOptions): Promise<DxMock> {
  const mock = await startDxMock(options);
  onTestFinished(() => mock.close());
  return mock;
}

export const DEVICE = '0018B20000000B20';
export const VALID_BODY = { payloadHex: '03670110', targetPorts: '2' };
/** Pass as the body to send none. */
export const NO_BODY = Symbol('no body');

/** A token from the mock's own endpoint, as a raw client would get it. */
export async function tokenFor(
  mock: { tokenUrl: string; clientId: string; clientSecret: string },
  secret = mock.clientSecret,
): Promise<string> {
  const res = await fetch(mock.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: mock.clientId,
      client_secret: secret,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token: ${res.status}`);
  return body.access_token;
}

export interface Sent {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

/** A raw downlink POST; `body` is sent as given when it is a string. */
export async function postDownlink(
  mock: { url: string },
  token: string | undefined,
  body: unknown = VALID_BODY,
  init: { query?: string; contentType?: string | null; device?: string } = {},
): Promise<Sent> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
  if (init.contentType !== null) headers['content-type'] = init.contentType ?? 'application/json';
  const res = await fetch(
    `${mock.url}/devices/${init.device ?? DEVICE}/downlinkMessages${init.query ?? ''}`,
    {
      method: 'POST',
      headers,
      redirect: 'manual',
      ...(body === NO_BODY ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    },
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : {} };
}
