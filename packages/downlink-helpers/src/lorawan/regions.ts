import { oneOf } from '../checks.js';
import { describeName } from '../describe.js';
import { DownlinkError } from '../errors.js';

/**
 * Regions of LoRaWAN Regional Parameters RP002 covered by {@link maxPayloadSize}.
 *
 * @example
 * ```ts
 * import type { Region } from '@dx/downlink-helpers';
 *
 * const region: Region = 'EU868';
 * ```
 */
export type Region =
  'EU868' | 'US915' | 'AU915' | 'AS923' | 'IN865' | 'KR920' | 'CN470' | 'EU433' | 'RU864';

/**
 * A data rate as a number (`5`) or as written in the spec (`'DR5'`).
 *
 * @example
 * ```ts
 * import type { DataRate } from '@dx/downlink-helpers';
 *
 * const dr: DataRate = 'DR5';
 * ```
 */
export type DataRate = number | `DR${number}`;

/**
 * Options of {@link maxPayloadSize}.
 *
 * @example
 * ```ts
 * import { maxPayloadSize, type PayloadSizeOptions } from '@dx/downlink-helpers';
 *
 * const japan: PayloadSizeOptions = { dwellTime: true };
 * maxPayloadSize('AS923', 4, japan); // 125
 * ```
 */
export interface PayloadSizeOptions {
  /** AS923 only: the 400 ms dwell-time limit applies (as in Japan). Default false. */
  dwellTime?: boolean;
  /** Leave room for a LoRaWAN repeater: the 242-byte limits become 222. Default false. */
  repeaterCompatible?: boolean;
}

/**
 * Every {@link Region}, in the order errors list them. The pure marks let a bundle drop the
 * tables with `maxPayloadSize`: a call at module level is otherwise kept.
 */
const REGIONS = /* @__PURE__ */ 'EU868 US915 AU915 AS923 IN865 KR920 CN470 EU433 RU864'.split(' ');

/**
 * RP002 maximum FRMPayload size (bytes, FOpts empty, not repeater-compatible), one row per
 * entry of `REGIONS` and then AS923 with dwell time, one character per data rate: a digit
 * indexes `SIZES` (`:` is 10), `-` means the data rate exists but may not be used, `.` (or the
 * end of the row) that it is not a downlink data rate. Downlink rates for US915 and AU915
 * (DR0..DR7 are uplink-only); EU868 DR8..DR11 are the LR-FHSS rates of the table, kept as
 * listed. Packed in a string: a table of arrays costs several times the bytes in a bundle.
 */
const ROWS =
  /* @__PURE__ */ '000122223131 ........452222 ........452222 00112222 000122.2 000122 -6782222 00012222 00012222 --94:222'.split(
    ' ',
  );
const SIZES = [51, 115, 242, 50, 53, 129, 23, 86, 184, 11, 125];

/**
 * Largest application payload (FRMPayload, bytes) a downlink may carry at a data rate,
 * from LoRaWAN Regional Parameters RP002, assuming no MAC commands in FOpts.
 *
 * Region names are case-insensitive. AS923 with the 400 ms dwell-time limit is
 * `maxPayloadSize('AS923', dr, { dwellTime: true })`. With `repeaterCompatible: true` the
 * 242-byte limits become 222. An unknown region is `UNKNOWN_REGION`; an unknown data rate,
 * an uplink-only one (US915/AU915 DR0..DR7) or one the region does not allow (AS923 dwell
 * DR0..DR1, CN470 DR0, IN865 DR6) is `UNKNOWN_DATA_RATE`.
 *
 * @example
 * ```ts
 * import { maxPayloadSize } from '@dx/downlink-helpers';
 *
 * maxPayloadSize('EU868', 0); // 51
 * maxPayloadSize('EU868', 'DR5', { repeaterCompatible: true }); // 222
 * maxPayloadSize('AS923', 2, { dwellTime: true }); // 11
 * ```
 */
export function maxPayloadSize(
  region: Region,
  dataRate: DataRate,
  options: PayloadSizeOptions = {},
): number {
  const upper = typeof region === 'string' ? region.toUpperCase() : region;
  const dwell = options.dwellTime === true;
  const index = oneOf(upper, REGIONS, 'region', 'UNKNOWN_REGION');
  if (dwell && index !== 3) {
    throw new DownlinkError('INVALID_ARGUMENT', 'dwellTime', 'applies to AS923 only');
  }
  const row = ROWS[dwell ? 9 : index] as string;
  const dr =
    typeof dataRate === 'string' && /^DR\d\d?$/i.test(dataRate)
      ? Number(dataRate.slice(2))
      : dataRate;
  // Past the end of the row, or for DR-1, charCodeAt gives NaN: no size either.
  const code = Number.isInteger(dr) ? row.charCodeAt(dr as number) - 48 : -1;
  const size = SIZES[code];
  if (size === undefined) {
    const shown = typeof dataRate === 'number' ? `DR${dataRate}` : describeName(dataRate);
    throw new DownlinkError(
      'UNKNOWN_DATA_RATE',
      'dataRate',
      `${shown} is not ${code === -3 ? 'allowed' : 'a downlink data rate'} in ${upper}${dwell ? ' with dwell time' : ''}`,
    );
  }
  return size === 242 && options.repeaterCompatible === true ? 222 : size;
}
