import type { DownlinkMessageResponse, DxCoreClient } from '@dx/core-client';
import { normalizeDevEui } from '../lorawan/deveui.js';
import { buildDownlinkMessage, type BuildDownlinkOptions } from './downlink-message.js';
import { checkBoolean, checkObject } from '../checks.js';
import { describeName, wrongType } from '../describe.js';
import { DownlinkError } from '../errors.js';

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
  /** DevEUI (any common spelling; sent as 16 upper-case hex digits) or the device ref. */
  device: string;
  /** Ask DX for a reception confirmation (`confirmDownlink`). */
  confirm?: boolean;
  /** Empty the LRC downlink queue before queueing this message (`flushDownlinkQueue`). */
  flushQueue?: boolean;
  /** Cancels the call; the promise then rejects with `signal.reason`, as `fetch` does. */
  signal?: AbortSignal;
}

// A DevEUI as people paste it: 16 hex digits, or hex groups separated by '-', ':' or spaces.
const DEVEUI = /^(?:[\da-f]{16}|[\da-f]+(?:[-: ][\da-f]+)+)$/i;
// DX refs are opaque ids; URL-unreserved characters keep them one unambiguous path segment.
const REF = /^[\w.~-]{1,128}$/;

/**
 * The `device` path parameter: a DevEUI is normalised (so `00-18-b2-…` and `0018B2…` address
 * the same device), anything hex-grouped with the wrong digit count is refused as a DevEUI
 * mistake, and anything else must look like a ref.
 */
function normalizeDevice(device: unknown): string {
  // typeof first: the patterns would read a number such as 42 as the string "42".
  if (typeof device === 'string') {
    if (DEVEUI.test(device)) return normalizeDevEui(device, { field: 'device' });
    if (REF.test(device)) return device;
  }
  throw new DownlinkError(
    'INVALID_DEVICE',
    'device',
    `expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got ${describeName(device)}`,
  );
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
  client: DxCoreClient,
  options: SendDownlinkOptions,
): Promise<DownlinkMessageResponse> {
  if (
    typeof (client as Partial<DxCoreClient> | null)?.downlink?.sendDownlinkMessage !== 'function'
  ) {
    throw wrongType('client', 'a DxCoreClient', client);
  }
  checkObject(options, 'options');
  const device = normalizeDevice(options.device);
  const confirmDownlink = checkBoolean(options.confirm, 'confirm', undefined);
  const flushDownlinkQueue = checkBoolean(options.flushQueue, 'flushQueue', undefined);
  const { signal } = options;
  if (
    signal !== undefined &&
    !('aborted' in checkObject(signal, 'signal') && 'addEventListener' in signal)
  ) {
    throw wrongType('signal', 'an AbortSignal', signal);
  }
  const requestBody = buildDownlinkMessage(options);
  signal?.throwIfAborted();
  // The generated client leaves undefined query flags out of the URL.
  const pending = client.downlink.sendDownlinkMessage({
    device,
    requestBody,
    confirmDownlink,
    flushDownlinkQueue,
  });
  const cancel = (): void => pending.cancel();
  signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await pending;
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
}
