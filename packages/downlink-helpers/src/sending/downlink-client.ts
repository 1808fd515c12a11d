import type { DxCoreClient } from '@dx/core-client';
import { wrongType } from '../describe.js';

/**
 * What the senders use of a client: its downlink service. `createDxClient(...)` is one; so is
 * `{ downlink: new DownlinkService(createDxRequest(...)) }`, which keeps every other service of
 * the API out of a browser bundle.
 *
 * @example
 * ```ts
 * const client: DownlinkClient = { downlink: new DownlinkService(createDxRequest({ auth })) };
 * await sendDownlink(client, { device, payload: [1], fPort: 2 });
 * ```
 */
export type DownlinkClient = Pick<DxCoreClient, 'downlink'>;

/** Refuses, before anything is sent, a client that cannot queue a downlink. */
export function checkClient(client: unknown): asserts client is DownlinkClient {
  const downlink = (client as Partial<DownlinkClient> | null | undefined)?.downlink;
  if (typeof downlink?.sendDownlinkMessage === 'function') return;
  throw wrongType('client', 'a DxCoreClient or { downlink: DownlinkService }', client);
}
