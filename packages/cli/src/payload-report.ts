import { maxPayloadSize, timeOnAir, type DataRate, type Region } from '@dx/downlink-helpers';
import type { FlagSpec } from './args.js';

/** Flags of the size check and the time on air, shared by `send` and `encode`. */
export const RADIO_FLAGS = {
  region: { type: 'string' },
  'data-rate': { type: 'string' },
  'dwell-time': { type: 'boolean' },
  repeater: { type: 'boolean' },
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
  /** The region's limit at the data rate, when both are given. */
  limit?: number;
  /** Whether the payload fits the limit, when there is one. */
  fits?: boolean;
  /** Downlink time on air in ms, per spreading factor (PHYPayload = FRMPayload + 13 bytes). */
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
  const report: PayloadReport = { bytes, timeOnAirMs: {}, bandwidthHz };
  if (options.region !== undefined && options.dataRate !== undefined) {
    report.limit = maxPayloadSize(options.region, options.dataRate, options);
    report.fits = bytes <= report.limit;
  }
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
  const where = `${flags.region} ${/^\d+$/.test(flags['data-rate'] ?? '') ? 'DR' : ''}${flags['data-rate']}`;
  const size =
    report.limit === undefined
      ? `${report.bytes} byte${report.bytes === 1 ? '' : 's'} (no limit checked: give --region and --data-rate)`
      : `${report.bytes} of ${report.limit} bytes allowed at ${where}${report.fits ? '' : ': TOO LARGE'}`;
  const khz = report.bandwidthHz / 1000;
  const toa = Object.entries(report.timeOnAirMs)
    .map(([sf, ms]) => `${sf} ${ms.toFixed(1)} ms`)
    .join(', ');
  return [`size:        ${size}`, `time on air: ${toa} (${khz} kHz, downlink, no FOpts)`];
}
