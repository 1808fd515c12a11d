import type { DownlinkMessageResponse, DxCoreClient } from '@dx/core-client';
import { normalizeDevice } from '../lorawan/device.js';
import { buildDownlinkMessage, type BuildDownlinkOptions } from './downlink-message.js';
import { checkBoolean, checkObject, checkSignal } from '../checks.js';
import { checkClient, type DownlinkClient } from './downlink-client.js';

/**
 * Input of {@link sendDownlink}: what {@link buildDownlinkMessage} takes, plus the target
 * device and the DX query flags.
 *
 * @example
 * ```ts
 * import type { SendDownlinkOptions } from '@dx/downlink-helpers';
 *
 * const options: SendDownlinkOptions = { device: '0018B20000000B20', payload: { hex: '01' }, fPort: 2 };
 * ```
 */
export interface SendDownlinkOptions extends BuildDownlinkOptions {
  /** DevEUI (any common spelling; sent as 16 upper-case hex digits) or device ref: see {@link normalizeDevice}. */
  device: string;
  /** Ask DX for a reception confirmation (`confirmDownlink`). */
  confirm?: boolean;
  /** Empty the LRC downlink queue before queueing this message (`flushDownlinkQueue`). */
  flushQueue?: boolean;
  /** Cancels the call; the promise then rejects with `signal.reason`, as `fetch` does. */
  signal?: AbortSignal;
}

/**
 * The arguments of `client.downlink.sendDownlinkMessage` that {@link sendDownlink} sends: the
 * normalised device, the DX message and the query flags.
 *
 * @example
 * ```ts
 * import type { DownlinkRequest } from '@dx/downlink-helpers';
 *
 * const request: DownlinkRequest = { device: '0018B20000000B20', requestBody: { payloadHex: '01', targetPorts: '2' } };
 * ```
 */
export type DownlinkRequest = Parameters<DxCoreClient['downlink']['sendDownlinkMessage']>[0];

/**
 * Validates everything {@link sendDownlink} validates and returns the request it would send,
 * without sending it: a dry run, or a fleet that journals the request before it leaves.
 * Invalid input throws a {@link DownlinkError}. `signal` is not looked at.
 *
 * @example
 * ```ts
 * import { buildDownlinkRequest } from '@dx/downlink-helpers';
 *
 * const request = buildDownlinkRequest({ device: '00-18-b2-00-00-00-0b-20', payload: { hex: '01' }, fPort: 2 });
 * request.device; // '0018B20000000B20'
 * ```
 */
export function buildDownlinkRequest(options: SendDownlinkOptions): DownlinkRequest {
  checkObject(options, 'options');
  const device = normalizeDevice(options.device);
  const confirmDownlink = checkBoolean(options.confirm, 'confirm', undefined);
  const flushDownlinkQueue = checkBoolean(options.flushQueue, 'flushQueue', undefined);
  const requestBody = buildDownlinkMessage(options);
  // The generated client leaves undefined query flags out of the URL.
  return { device, requestBody, confirmDownlink, flushDownlinkQueue };
}

/**
 * Validates everything, builds the DX message and queues it through
 * `client.downlink.sendDownlinkMessage`. Invalid input throws a {@link DownlinkError} before
 * any request is made; network and API failures are `@dx/core-client`'s typed errors.
 *
 * @example
 * ```ts
 * import { createDxClient } from '@dx/core-client';
 * import { encodeCayenneLpp, sendDownlink } from '@dx/downlink-helpers';
 *
 * const client = createDxClient({ auth: { clientId, clientSecret } });
 * const result = await sendDownlink(client, {
 *   device: '00-18-b2-00-00-00-0b-20',
 *   payload: encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]),
 *   fPort: 2,
 *   region: 'EU868',
 *   dataRate: 0,
 *   confirm: true,
 * });
 * result.status; // 'QUEUED'
 * ```
 */
export async function sendDownlink(
  client: DownlinkClient,
  options: SendDownlinkOptions,
): Promise<DownlinkMessageResponse> {
  checkClient(client);
  checkObject(options, 'options');
  const signal = checkSignal(options.signal);
  const request = buildDownlinkRequest(options);
  signal?.throwIfAborted();
  const pending = client.downlink.sendDownlinkMessage(request);
  // A client wrapped in an async function returns a plain Promise: nothing to cancel, and a
  // TypeError thrown in an abort listener would be an uncaught exception.
  const cancel = (): void => pending.cancel?.();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await pending;
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
