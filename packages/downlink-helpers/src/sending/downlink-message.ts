import type {
  DownlinkMessage as CoreDownlinkMessage,
  DownlinkSecurityParams,
} from '@dx/core-client';
import { base64ToBytes } from '../encoders/base64.js';
import {
  checkBoolean,
  checkFieldName,
  checkInteger,
  checkObject,
  checkOptions,
} from '../checks.js';
import { wrongType } from '../describe.js';
import { DownlinkError } from '../errors.js';
import { validateFPort } from '../lorawan/fport.js';
import { bytesToHex, hexToBytes, toByteArray } from '../encoders/hex.js';
import { type DataRate, type Region, maxPayloadSize } from '../lorawan/regions.js';
import { textToBytes } from '../encoders/text.js';

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
  checkFieldName(field, 'payload');
  if (Array.isArray(payload) || ArrayBuffer.isView(payload)) return toByteArray(payload, field);
  // A bare string is the most common slip: say which wrapper it needs.
  if (typeof payload !== 'object' || payload === null) {
    throw wrongType(field, 'bytes, { hex }, { base64 } or { text }', payload);
  }
  const key = Object.keys(payload).join(', ');
  const decode = [hexToBytes, base64ToBytes, textToBytes][['hex', 'base64', 'text'].indexOf(key)];
  if (decode) return decode((payload as Record<string, string>)[key] as string, { field });
  throw new DownlinkError(
    'INVALID_ARGUMENT',
    field,
    `expected bytes or one of { hex }, { base64 }, { text }, got keys [${key}]`,
  );
}

/**
 * Validates a downlink and returns the DX Core `DownlinkMessage` body.
 *
 * Checks, in order: the payload (any {@link PayloadInput}; an empty payload is allowed, as
 * LoRaWAN allows an empty FRMPayload with an FPort), the FPort ({@link validateFPort}), the
 * size limit (`PAYLOAD_TOO_LARGE`): that of `region` at `dataRate` when both are given (one
 * without the other is `INVALID_ARGUMENT`), else 242 bytes, the most any region allows;
 * then `securityParams` (non-empty `asId` and `asKey` strings, `INVALID_SECURITY_PARAMS`).
 * Performs no I/O, so a sender can call it before any network request.
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
  checkObject(options, 'options');
  const bytes = payloadToBytes(options.payload);
  const fPort = validateFPort(options.fPort, { allowTestPort: options.allowTestPort });
  checkPayloadSize(bytes.length, options);
  const message: DownlinkMessage = { payloadHex: bytesToHex(bytes), targetPorts: String(fPort) };
  if (options.securityParams !== undefined) {
    message.securityParams = checkSecurityParams(options.securityParams);
  }
  return message;
}

/**
 * 242 bytes: no LoRaWAN region allows a larger application payload (RP002), whatever the data
 * rate, so it is the limit every downlink is held to when its region is not known.
 *
 * @example
 * ```ts
 * import { MAX_PAYLOAD_SIZE } from '@dx/downlink-helpers';
 *
 * const fitsSomewhere = bytes.length <= MAX_PAYLOAD_SIZE;
 * ```
 */
export const MAX_PAYLOAD_SIZE = 242;

/**
 * Refuses a payload of `size` bytes that exceeds the limit of `region` at `dataRate`, or,
 * when neither is given, 242 bytes: no LoRaWAN region allows more.
 *
 * @example
 * ```ts
 * import { checkPayloadSize } from '@dx/downlink-helpers';
 *
 * checkPayloadSize(51, { region: 'EU868', dataRate: 0 }); // ok
 * checkPayloadSize(52, { region: 'EU868', dataRate: 0 }); // throws PAYLOAD_TOO_LARGE
 * checkPayloadSize(243, {}); // throws PAYLOAD_TOO_LARGE: no region allows more than 242
 * ```
 */
export function checkPayloadSize(
  size: number,
  options?: Pick<BuildDownlinkOptions, 'region' | 'dataRate' | 'dwellTime' | 'repeaterCompatible'>,
  field = 'payload',
): void {
  checkFieldName(field, 'payload');
  checkInteger(size, 'size', 0, Number.MAX_SAFE_INTEGER);
  const { region, dataRate, dwellTime, repeaterCompatible } = checkOptions(options);
  checkBoolean(dwellTime, 'dwellTime', false);
  checkBoolean(repeaterCompatible, 'repeaterCompatible', false);
  if (region === undefined || dataRate === undefined) {
    const wrong =
      region !== dataRate
        ? region === undefined
          ? 'region'
          : 'dataRate'
        : dwellTime === true
          ? 'dwellTime'
          : repeaterCompatible === true
            ? 'repeaterCompatible'
            : '';
    if (wrong) throw new DownlinkError('INVALID_ARGUMENT', wrong, 'needs both region and dataRate');
    if (size > MAX_PAYLOAD_SIZE) {
      throw tooLarge(field, size, `${MAX_PAYLOAD_SIZE} (the largest any LoRaWAN region allows)`);
    }
    return;
  }
  const limit = maxPayloadSize(region as Region, dataRate as DataRate, options);
  if (size > limit) throw tooLarge(field, size, String(limit));
}

function tooLarge(field: string, size: number, limit: string): DownlinkError {
  return new DownlinkError(
    'PAYLOAD_TOO_LARGE',
    field,
    `${size} bytes exceed the limit of ${limit}`,
  );
}

/** Copies only asId and asKey, so nothing unexpected rides along into the request body. */
function checkSecurityParams(params: unknown): SecurityParams {
  if (typeof params !== 'object' || params === null || Array.isArray(params)) {
    throw wrongType('securityParams', 'an object', params, 'INVALID_SECURITY_PARAMS');
  }
  const { asId, asKey } = params as Partial<SecurityParams>;
  // Messages name the field and its type only: the value could be the secret itself.
  for (const [name, value] of Object.entries({ asId, asKey })) {
    if (typeof value !== 'string' || value.trim() === '') {
      throw wrongType(
        `securityParams.${name}`,
        'a non-blank string',
        value,
        'INVALID_SECURITY_PARAMS',
      );
    }
  }
  return { asId, asKey } as SecurityParams;
}
