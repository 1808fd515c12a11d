import { checkBoolean, checkInteger, checkObject } from '../checks.js';
import { describeValue } from '../describe.js';
import { DownlinkError } from '../errors.js';

/**
 * LoRa modulation parameters for {@link timeOnAir}.
 *
 * @example
 * ```ts
 * import type { TimeOnAirParams } from '@dx/downlink-helpers';
 *
 * const sf9: TimeOnAirParams = { payloadBytes: 13, spreadingFactor: 9 };
 * ```
 */
export interface TimeOnAirParams {
  /** PHYPayload size in bytes: for a downlink without FOpts, FRMPayload + 13. */
  payloadBytes: number;
  /** 5..12. */
  spreadingFactor: number;
  /** Default 125000. */
  bandwidthHz?: number;
  /** 1..4 for 4/5..4/8. Default 1 (4/5, LoRaWAN). */
  codingRate?: number;
  /** Default 8 (LoRaWAN). */
  preambleSymbols?: number;
  /** Payload CRC. Default false: LoRaWAN downlinks carry none (uplinks do). */
  crc?: boolean;
  /** Default true (LoRaWAN). */
  explicitHeader?: boolean;
  /** Low data rate optimisation. Default: on when a symbol lasts more than 16 ms. */
  lowDataRateOptimize?: boolean;
}

/**
 * Time on air of one LoRa frame in milliseconds (Semtech AN1200.13):
 * `Tsym = 2^SF / BW`, preamble `(n + 4.25) Tsym`, payload
 * `8 + max(ceil((8 PL - 4 SF + 28 + 16 CRC - 20 IH) / (4 (SF - 2 DE))) (CR + 4), 0)` symbols.
 *
 * The sum is taken in quarter symbols and divided once, so results are exact to the
 * microsecond (e.g. 41.216 ms, not 41.21600000000001). The SX126x formula for SF5/SF6
 * differs slightly; this one is the SX127x / LoRaWAN one for every SF.
 *
 * @example
 * ```ts
 * import { timeOnAir } from '@dx/downlink-helpers';
 *
 * timeOnAir({ payloadBytes: 13, spreadingFactor: 9 }); // 144.384 (downlink, no CRC)
 * timeOnAir({ payloadBytes: 13, spreadingFactor: 9, crc: true }); // 164.864 (uplink)
 * ```
 */
export function timeOnAir(params: TimeOnAirParams): number {
  checkObject(params, 'params');
  const pl = checkInteger(params.payloadBytes, 'payloadBytes', 0, 255);
  const sf = checkInteger(params.spreadingFactor, 'spreadingFactor', 5, 12);
  const bw = params.bandwidthHz ?? 125000;
  // A string such as "125k" is a range error here, as it always was.
  if (!(Number.isFinite(bw) && bw > 0)) {
    throw new DownlinkError(
      'VALUE_OUT_OF_RANGE',
      'bandwidthHz',
      `${describeValue(bw)} is not a positive number of hertz`,
    );
  }
  const cr = checkInteger(params.codingRate ?? 1, 'codingRate', 1, 4);
  const preamble = checkInteger(params.preambleSymbols ?? 8, 'preambleSymbols', 0, 65535);
  const crc = checkBoolean(params.crc, 'crc', false);
  const explicitHeader = checkBoolean(params.explicitHeader, 'explicitHeader', true);
  // Tsym > 16 ms  <=>  2^SF * 1000 > 16 * BW, compared without rounding.
  const de = checkBoolean(
    params.lowDataRateOptimize,
    'lowDataRateOptimize',
    2 ** sf * 1000 > 16 * bw,
  );
  const numerator = 8 * pl - 4 * sf + 28 + (crc ? 16 : 0) - (explicitHeader ? 0 : 20);
  const blocks = Math.max(Math.ceil(numerator / (4 * (sf - (de ? 2 : 0)))), 0);
  const payloadSymbols = 8 + blocks * (cr + 4);
  const quarterSymbols = (preamble + payloadSymbols) * 4 + 17;
  return (quarterSymbols * 2 ** sf * 1000) / (4 * bw);
}
