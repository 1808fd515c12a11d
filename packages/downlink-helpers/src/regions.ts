import { describeName, describeValue } from './describe.js';
import { DownlinkError } from './errors.js';

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

/** N per data rate; `null` = the data rate exists but may not be used; missing = unknown. */
type SizeTable = readonly (number | null | undefined)[];

const COMMON: SizeTable = [51, 51, 51, 115, 242, 242, 242, 242];

/**
 * RP002 maximum FRMPayload size (bytes, FOpts empty, not repeater-compatible). Downlink data
 * rates for US915 and AU915. EU868 DR8..DR11 are the LR-FHSS rates of the table, kept as
 * listed.
 */
const US: SizeTable = [, , , , , , , , 53, 129, 242, 242, 242, 242];

/** In the order errors list the regions. */
const TABLES: Readonly<Record<string, SizeTable>> = {
  EU868: [...COMMON, 50, 115, 50, 115],
  // DR0..DR7 are uplink-only in US915 and AU915 (the holes): a downlink there is unknown.
  US915: US,
  AU915: US,
  AS923: [51, 51, 115, 115, 242, 242, 242, 242],
  IN865: [51, 51, 51, 115, 242, 242, undefined, 242],
  KR920: [51, 51, 51, 115, 242, 242],
  CN470: [null, 23, 86, 184, 242, 242, 242, 242],
  EU433: COMMON,
  RU864: COMMON,
};

const DWELL: SizeTable = [null, null, 11, 53, 125, 242, 242, 242];

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
  const name = checkRegion(region);
  if (options.dwellTime === true && name !== 'AS923') {
    throw new DownlinkError('INVALID_ARGUMENT', 'dwellTime', `applies to AS923 only, not ${name}`);
  }
  const dr = parseDataRate(dataRate);
  const table = options.dwellTime === true ? DWELL : (TABLES[name] as SizeTable);
  const label = options.dwellTime === true ? 'AS923 with 400 ms dwell time' : name;
  const size = table[dr];
  if (size === undefined) {
    throw new DownlinkError(
      'UNKNOWN_DATA_RATE',
      'dataRate',
      `DR${dr} is not a downlink data rate of ${label} (usable: ${table.flatMap((n, i) => (n ? [`DR${i}`] : [])).join(', ')})`,
    );
  }
  if (size === null) {
    throw new DownlinkError('UNKNOWN_DATA_RATE', 'dataRate', `DR${dr} is not allowed in ${label}`);
  }
  return size === 242 && options.repeaterCompatible === true ? 222 : size;
}

function checkRegion(region: unknown): Region {
  const upper = typeof region === 'string' ? region.toUpperCase() : undefined;
  if (upper === undefined || !Object.hasOwn(TABLES, upper)) {
    const shown = describeName(region);
    throw new DownlinkError(
      'UNKNOWN_REGION',
      'region',
      `unknown region ${shown}; expected one of ${Object.keys(TABLES).join(', ')}`,
    );
  }
  return upper as Region;
}

function parseDataRate(dataRate: unknown): number {
  let dr = dataRate;
  if (typeof dataRate === 'string' && /^DR\d{1,2}$/i.test(dataRate)) dr = Number(dataRate.slice(2));
  if (typeof dr !== 'number' || !Number.isInteger(dr) || dr < 0 || dr > 15) {
    const shown = typeof dataRate === 'string' ? JSON.stringify(dataRate) : describeValue(dataRate);
    throw new DownlinkError(
      'UNKNOWN_DATA_RATE',
      'dataRate',
      `unknown data rate ${shown}; expected an integer 0..15 or "DR0".."DR15"`,
    );
  }
  return dr;
}
