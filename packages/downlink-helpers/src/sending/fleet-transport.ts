import type { FleetTransport } from '@dx/core-client';
import * as core from '@dx/core-client';
import type { DownlinkClient } from './downlink-client.js';

/** `FLEET_TRANSPORT` of `@dx/core-client`, by its registry key: no value import of the client. */
const FLEET_TRANSPORT = Symbol.for('@dx/core-client/fleet-transport');

/** What the run sends through, and the client's rules it keeps. */
export interface FleetLink {
  downlink: DownlinkClient['downlink'];
  /** The longest wait the client allows (its `retry.maxDelayMs`). */
  maxDelayMs: number;
  baseDelayMs: number;
  /** Gets a token before the `start` record is written; absent for a client of another kind. */
  getToken: (() => Promise<string>) | undefined;
}

/**
 * The client's downlink service with the client's own retries off, when the client is one of
 * `@dx/core-client`'s (`createDxClient`, or a service on `createDxRequest`): the run then sees
 * every 429 itself and sets the pace for the whole run, whatever retry settings the app gave
 * its client. Any other client is used as it is.
 */
export function fleetLink(client: DownlinkClient): FleetLink {
  const service = client.downlink as DownlinkClient['downlink'] & { httpRequest?: unknown };
  const transport = service.httpRequest as { [FLEET_TRANSPORT]?: () => FleetTransport } | undefined;
  const hook = transport?.[FLEET_TRANSPORT];
  if (typeof hook !== 'function') {
    return {
      downlink: service,
      // The client's default pace, for clients that do not say theirs.
      maxDelayMs: core.DEFAULT_RETRY_OPTIONS.maxDelayMs,
      baseDelayMs: core.DEFAULT_RETRY_OPTIONS.baseDelayMs,
      getToken: undefined,
    };
  }
  const fleet = hook.call(transport);
  const Service = service.constructor as new (request: unknown) => DownlinkClient['downlink'];
  return {
    downlink: new Service(fleet.withoutRetry()),
    maxDelayMs: fleet.retry.maxDelayMs,
    baseDelayMs: fleet.retry.baseDelayMs,
    getToken: fleet.getToken,
  };
}
