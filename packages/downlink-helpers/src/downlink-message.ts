import type {
  DownlinkMessage as CoreDownlinkMessage,
  DownlinkSecurityParams,
} from '@dx/core-client';
import { base64ToBytes } from './base64.js';
import { wrongType } from './describe.js';
import { DownlinkError } from './errors.js';
import { validateFPort } from './fport.js';
import { bytesToHex, hexToBytes, toByteArray } from './hex.js';
import { type DataRate, type Region, maxPayloadSize } from './regions.js';
import { textToBytes } from './text.js';

/**
 * The JSON body of `POST /devices/{device}/downlinkMessages`, as `@dx/core-client` generates it
 * from the OpenAPI document (re-exported so that helpers and client can never disagree).
 *
 * @example
 * ```ts
 * import type { DownlinkMessage } from '@dx/downlink-helpers';
 *
 * const body: DownlinkMessage = { payloadHex: '0101', targetPorts: '2' };
 * ```
 */
export type DownlinkMessage = CoreDownlinkMessage;

/**
 * Application Server credentials sent with a downlink. `asKey` is a secret: no error of this
 * package ever contains it.
 *
 * @example
 * ```ts
 * import type { SecurityParams } from '@dx/downlink-helpers';
 *
 * const security: SecurityParams = { asId: 'my-as', asKey: process.env.AS_KEY ?? '' };
 * ```
 */
export type SecurityParams = DownlinkSecurityParams;

/**
 * Every form a payload can be given in: bytes, or a string tagged with its encoding.
 *
 * @example
 * ```ts
 * import type { PayloadInput } from '@dx/downlink-helpers';
 *
 * const forms: PayloadInput[] = [[1, 2], { hex: '01 02' }, { base64: 'AQI=' }, { text: 'on' }];
 * ```
 */
export type PayloadInput =
  Uint8Array | readonly number[] | { hex: string } | { base64: string } | { text: string };

/**
 * Input of {@link buildDownlinkMessage}.
 *
 * @example
 * ```ts
 * import type { BuildDownlinkOptions } from '@dx/downlink-helpers';
 *
 * const options: BuildDownlinkOptions = { payload: { hex: '0101' }, fPort: 2 };
 * ```
 */
export interface BuildDownlinkOptions {
  payload: PayloadInput;
  fPort: number;
  /** With `dataRate`: refuse payloads larger than the region allows. */
  region?: Region;
  /** With `region`: a number or `'DR5'`. */
  dataRate?: DataRate;
  /** AS923 with the 400 ms dwell-time limit. */
  dwellTime?: boolean;
  /** Use the repeater-compatible limits (242 becomes 222). */
  repeaterCompatible?: boolean;
  /** Allow FPort 224 (compliance test). */
  allowTestPort?: boolean;
  securityParams?: SecurityParams;
}

/**
 * Turns any {@link PayloadInput} into bytes, with errors naming `field` (default `payload`).
 *
 * @example
 * ```ts
 * import { payloadToBytes } from '@dx/downlink-helpers';
 *
 * payloadToBytes({ base64: 'AQI=' }); // Uint8Array [1, 2]
 * ```
 */
export function payloadToBytes(payload: PayloadInput, field = 'payload'): Uint8Array {
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    if (payload instanceof Uint8Array || ArrayBuffer.isView(payload)) {
      return toByteArray(payload, field);
    }
    const keys = Object.keys(payload);
    const key = keys.length === 1 ? keys[0] : undefined;
    const value: unknown =
      key === undefined ? undefined : (payload as Record<string, unknown>)[key];
    if (key === 'hex') return hexToBytes(value as string, { field });
    if (key === 'base64') return base64ToBytes(value as string, { field });
    if (key === 'text') return textToBytes(value as string, { field });
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      field,
      `expected bytes or one of { hex }, { base64 }, { text }, got keys [${keys.join(', ')}]`,
    );
  }
  if (!Array.isArray(payload)) {
    throw wrongType(field, 'bytes, { hex }, { base64 } or { text }', payload);
  }
  return toByteArray(payload, field);
}

/**
 * Validates a downlink and returns the DX Core `DownlinkMessage` body.
 *
 * Checks, in order: the payload (any {@link PayloadInput}; an empty payload is allowed, as
 * LoRaWAN allows an empty FRMPayload with an FPort), the FPort ({@link validateFPort}), the
 * size limit when `region` and `dataRate` are both given (`PAYLOAD_TOO_LARGE`; one without
 * the other is `INVALID_ARGUMENT`), and `securityParams` (non-empty `asId` and `asKey`
 * strings, `INVALID_SECURITY_PARAMS`). Performs no I/O, so a sender can call it before any
 * network request.
 *
 * @example
 * ```ts
 * import { buildDownlinkMessage } from '@dx/downlink-helpers';
 *
 * buildDownlinkMessage({ payload: { hex: '01 0a' }, fPort: 2, region: 'EU868', dataRate: 0 });
 * // { payloadHex: '010A', targetPorts: '2' }
 * ```
 */
export function buildDownlinkMessage(options: BuildDownlinkOptions): DownlinkMessage {
  if (typeof options !== 'object' || options === null) {
    throw wrongType('options', 'an object', options);
  }
  const bytes = payloadToBytes(options.payload);
  const fPort = validateFPort(options.fPort, { allowTestPort: options.allowTestPort === true });
  checkPayloadSize(bytes.length, options);
  const message: DownlinkMessage = { payloadHex: bytesToHex(bytes), targetPorts: String(fPort) };
  if (options.securityParams !== undefined) {
    message.securityParams = checkSecurityParams(options.securityParams);
  }
  return message;
}

/**
 * Refuses a payload of `size` bytes that exceeds the limit of `region` at `dataRate`.
 * Does nothing when neither is given.
 *
 * @example
 * ```ts
 * import { checkPayloadSize } from '@dx/downlink-helpers';
 *
 * checkPayloadSize(51, { region: 'EU868', dataRate: 0 }); // ok
 * checkPayloadSize(52, { region: 'EU868', dataRate: 0 }); // throws PAYLOAD_TOO_LARGE
 * ```
 */
export function checkPayloadSize(
  size: number,
  options: Pick<BuildDownlinkOptions, 'region' | 'dataRate' | 'dwellTime' | 'repeaterCompatible'>,
  field = 'payload',
): void {
  const { region, dataRate } = options;
  if (region === undefined && dataRate === undefined) {
    if (options.dwellTime === true || options.repeaterCompatible === true) {
      throw new DownlinkError(
        'INVALID_ARGUMENT',
        options.dwellTime === true ? 'dwellTime' : 'repeaterCompatible',
        'only applies with region and dataRate',
      );
    }
    return;
  }
  if (region === undefined || dataRate === undefined) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      region === undefined ? 'region' : 'dataRate',
      `must be given with ${region === undefined ? 'dataRate' : 'region'}`,
    );
  }
  const limit = maxPayloadSize(region, dataRate, {
    dwellTime: options.dwellTime === true,
    repeaterCompatible: options.repeaterCompatible === true,
  });
  if (size > limit) {
    throw new DownlinkError(
      'PAYLOAD_TOO_LARGE',
      field,
      `${size} bytes exceed the limit of ${limit} bytes for ${String(region)} DR${String(dataRate).replace(/^DR/i, '')}` +
        `${options.dwellTime === true ? ' with dwell time' : ''}${options.repeaterCompatible === true ? ' (repeater-compatible)' : ''}`,
    );
  }
}

/** Copies only asId and asKey, so nothing unexpected rides along into the request body. */
function checkSecurityParams(params: unknown): SecurityParams {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw wrongType(
      'securityParams',
      'an object { asId, asKey }',
      params,
      'INVALID_SECURITY_PARAMS',
    );
  }
  const { asId, asKey } = params as Partial<SecurityParams>;
  // Messages name the field and its type only: the value could be the secret itself.
  for (const [name, value] of [
    ['asId', asId],
    ['asKey', asKey],
  ] as const) {
    const field = `securityParams.${name}`;
    if (typeof value !== 'string') {
      throw wrongType(field, 'a string', value, 'INVALID_SECURITY_PARAMS');
    }
    if (value.trim() === '') {
      throw new DownlinkError('INVALID_SECURITY_PARAMS', field, 'must not be empty');
    }
  }
  return { asId, asKey } as SecurityParams;
}
