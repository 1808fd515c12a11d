import { checkBoolean, checkOptions, oneOf } from '../checks.js';
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

/** Why a data rate of a region carries no downlink. */
type NoDownlink = 'not allowed' | 'uplink only' | 'LR-FHSS, uplink only' | 'RFU';

const NOT_ALLOWED = 'not allowed';
const UPLINK = 'uplink only';
const LR_FHSS = 'LR-FHSS, uplink only';

/**
 * RP002 maximum FRMPayload size (bytes, FOpts empty, not repeater-compatible) per data rate,
 * index = DR. A data rate past the end of a row does not exist in that region. In the order
 * errors list the regions.
 */
// prettier-ignore
const LIMITS: Record<Region, readonly (number | NoDownlink)[]> = {
  EU868: [51, 51, 51, 115, 242, 242, 242, 242, LR_FHSS, LR_FHSS, LR_FHSS, LR_FHSS],
  US915: [UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, 53, 129, 242, 242, 242, 242],
  AU915: [UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, UPLINK, 53, 129, 242, 242, 242, 242],
  AS923: [51, 51, 115, 115, 242, 242, 242, 242],
  IN865: [51, 51, 51, 115, 242, 242, 'RFU', 242],
  KR920: [51, 51, 51, 115, 242, 242],
  CN470: [NOT_ALLOWED, 23, 86, 184, 242, 242, 242, 242],
  EU433: [51, 51, 51, 115, 242, 242, 242, 242],
  RU864: [51, 51, 51, 115, 242, 242, 242, 242],
};

/** AS923 under the 400 ms dwell-time limit (as in Japan). */
// prettier-ignore
const AS923_DWELL: readonly (number | NoDownlink)[] = [NOT_ALLOWED, NOT_ALLOWED, 11, 53, 125, 242, 242, 242];

/**
 * Largest application payload (FRMPayload, bytes) a downlink may carry at a data rate,
 * from LoRaWAN Regional Parameters RP002, assuming no MAC commands in FOpts.
 *
 * Region names are case-insensitive. AS923 with the 400 ms dwell-time limit is
 * `maxPayloadSize('AS923', dr, { dwellTime: true })`. With `repeaterCompatible: true` the
 * 242-byte limits become 222. An unknown region is `UNKNOWN_REGION`; an unknown data rate,
 * an uplink-only one (US915/AU915 DR0..DR7, EU868 DR8..DR11 which are LR-FHSS) or one the
 * region does not allow (AS923 dwell DR0..DR1, CN470 DR0, IN865 DR6) is `UNKNOWN_DATA_RATE`.
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
  options?: PayloadSizeOptions,
): number {
  const { dwellTime, repeaterCompatible } = checkOptions(options);
  const dwell = checkBoolean(dwellTime, 'dwellTime', false);
  const repeater = checkBoolean(repeaterCompatible, 'repeaterCompatible', false);
  const name = typeof region === 'string' ? region.toUpperCase() : region;
  const regions = Object.keys(LIMITS) as Region[];
  const index = oneOf(name, regions, 'region', 'UNKNOWN_REGION');
  if (dwell && name !== 'AS923') {
    throw new DownlinkError('INVALID_ARGUMENT', 'dwellTime', 'applies to AS923 only');
  }
  const row = dwell ? AS923_DWELL : LIMITS[regions[index] as Region];
  const dr =
    typeof dataRate === 'string' && /^DR\d\d?$/i.test(dataRate)
      ? Number(dataRate.slice(2))
      : dataRate;
  const limit = Number.isInteger(dr) ? row[dr as number] : undefined;
  if (typeof limit === 'number') {
    return limit === 242 && repeater ? 222 : limit;
  }
  const shown = typeof dataRate === 'number' ? `DR${dataRate}` : describeName(dataRate);
  const where = `${name as string}${dwell ? ' with dwell time' : ''}`;
  throw new DownlinkError(
    'UNKNOWN_DATA_RATE',
    'dataRate',
    limit === NOT_ALLOWED
      ? `${shown} is not allowed in ${where}`
      : `${shown} is not a downlink data rate in ${where}${limit ? ` (${limit})` : ''}`,
  );
}
