import {
  MAX_PAYLOAD_SIZE,
  maxPayloadSize,
  timeOnAir,
  type DataRate,
  type Region,
} from '@dx/downlink-helpers';
import type { FlagSpec } from './args.js';

/** Flags of the size check, shared by `send`, `send-bulk` and `encode`. */
export const SIZE_FLAGS = {
  region: { type: 'string' },
  'data-rate': { type: 'string' },
  'dwell-time': { type: 'boolean' },
  repeater: { type: 'boolean' },
} as const satisfies FlagSpec;

/** The size check and the time on air, for the commands that print a report. */
export const RADIO_FLAGS = {
  ...SIZE_FLAGS,
  sf: { type: 'string' },
  bandwidth: { type: 'string' },
} as const satisfies FlagSpec;

export interface RadioFlags {
  region?: string | undefined;
  'data-rate'?: string | undefined;
  'dwell-time'?: boolean | undefined;
  repeater?: boolean | undefined;
}

/** The helpers' size-check options from the flags; the helpers validate the values. */
export function radioOptions(flags: RadioFlags): {
  region?: Region;
  dataRate?: DataRate;
  dwellTime?: boolean;
  repeaterCompatible?: boolean;
} {
  const dr = flags['data-rate'];
  return {
    ...(flags.region === undefined ? {} : { region: flags.region as Region }),
    ...(dr === undefined ? {} : { dataRate: (/^\d+$/.test(dr) ? Number(dr) : dr) as DataRate }),
    ...(flags['dwell-time'] ? { dwellTime: true } : {}),
    ...(flags.repeater ? { repeaterCompatible: true } : {}),
  };
}

export interface PayloadReport {
  bytes: number;
  /** The region's limit at the data rate when both are given, else 242 (no region allows more). */
  limit: number;
  fits: boolean;
  /**
   * Downlink time on air in ms, per spreading factor (PHYPayload = FRMPayload + 13 bytes); empty
   * for a payload over 242 bytes, which no radio frame can carry.
   */
  timeOnAirMs: Record<string, number>;
  bandwidthHz: number;
}

/**
 * Size against the limit and the time on air, from the helpers. The data rate to spreading
 * factor mapping is not in the helpers, so without `--sf` every SF from 7 to 12 is listed.
 */
export function payloadReport(
  bytes: number,
  flags: RadioFlags,
  sf: number | undefined,
  bandwidthHz = 125_000,
): PayloadReport {
  const options = radioOptions(flags);
  const limit =
    options.region !== undefined && options.dataRate !== undefined
      ? maxPayloadSize(options.region, options.dataRate, options)
      : MAX_PAYLOAD_SIZE;
  const report: PayloadReport = {
    bytes,
    limit,
    fits: bytes <= limit,
    timeOnAirMs: {},
    bandwidthHz,
  };
  if (bytes > MAX_PAYLOAD_SIZE) return report;
  for (const factor of sf === undefined ? [7, 8, 9, 10, 11, 12] : [sf]) {
    report.timeOnAirMs[`SF${factor}`] = timeOnAir({
      payloadBytes: bytes + 13,
      spreadingFactor: factor,
      bandwidthHz,
    });
  }
  return report;
}

/** Human lines for a report. */
export function reportLines(report: PayloadReport, flags: RadioFlags): string[] {
  const where =
    flags.region === undefined || flags['data-rate'] === undefined
      ? 'in any region (give --region and --data-rate for the limit at a data rate)'
      : `at ${flags.region} ${/^\d+$/.test(flags['data-rate']) ? 'DR' : ''}${flags['data-rate']}`;
  const size = `${report.bytes} of ${report.limit} bytes allowed ${where}${report.fits ? '' : ': TOO LARGE'}`;
  const khz = report.bandwidthHz / 1000;
  const toa = Object.entries(report.timeOnAirMs)
    .map(([sf, ms]) => `${sf} ${ms.toFixed(1)} ms`)
    .join(', ');
  if (toa === '') return [`size:        ${size}`];
  return [`size:        ${size}`, `time on air: ${toa} (${khz} kHz, downlink, no FOpts)`];
}
