import { checkArray, checkInteger, checkNumber, checkObject, oneOf } from '../checks.js';
import { outOfRangeAt } from '../describe.js';

/**
 * Cayenne LPP types that carry one number.
 *
 * @example
 * ```ts
 * import type { CayenneLppScalarType } from '@dx/downlink-helpers';
 *
 * const type: CayenneLppScalarType = 'temperature';
 * ```
 */
export type CayenneLppScalarType =
  | 'digitalInput'
  | 'digitalOutput'
  | 'analogInput'
  | 'analogOutput'
  | 'illuminance'
  | 'presence'
  | 'temperature'
  | 'humidity'
  | 'barometer';

/**
 * One Cayenne LPP reading: a channel (0..255), a type and its value in the type's unit
 * (°C, %, hPa, G, °/s, degrees and metres).
 *
 * @example
 * ```ts
 * import type { CayenneLppItem } from '@dx/downlink-helpers';
 *
 * const items: CayenneLppItem[] = [
 *   { channel: 3, type: 'temperature', value: 27.2 },
 *   { channel: 1, type: 'accelerometer', value: { x: -0.424, y: 0.015, z: 1.666 } },
 *   { channel: 2, type: 'gps', value: { latitude: 52.3655, longitude: 4.8885, altitude: 21.54 } },
 * ];
 * ```
 */
export type CayenneLppItem =
  | { channel: number; type: CayenneLppScalarType; value: number }
  | {
      channel: number;
      type: 'accelerometer' | 'gyrometer';
      value: { x: number; y: number; z: number };
    }
  | {
      channel: number;
      type: 'gps';
      value: { latitude: number; longitude: number; altitude: number };
    };

/** How one number is stored: big-endian, in `bytes` bytes, at the type's resolution. */
interface ValueFormat {
  bytes: number;
  signed: boolean;
  /** The value is stored times 10^decimals. */
  decimals: number;
  /**
   * `integer`: a discrete value (digital, presence) must be an integer, since rounding 0.5 to
   * 1 would invent a state. `half`: resolution 0.5.
   */
  step?: 'integer' | 'half';
  /** A physical limit narrower than the bytes allow (GPS latitude, longitude), in units. */
  maxAbs?: number;
}

/** A type's id, and the format of its value or of each part of its value. */
type TypeFormat =
  { id: number; value: ValueFormat } | { id: number; parts: Record<string, ValueFormat> };

const DISCRETE: ValueFormat = { bytes: 1, signed: false, decimals: 0, step: 'integer' };
const ANALOG: ValueFormat = { bytes: 2, signed: true, decimals: 2 };
const G: ValueFormat = { bytes: 2, signed: true, decimals: 3 };

/** Every type, in the order errors list them. */
const TYPES: Record<string, TypeFormat> = {
  digitalInput: { id: 0, value: DISCRETE },
  digitalOutput: { id: 1, value: DISCRETE },
  analogInput: { id: 2, value: ANALOG },
  analogOutput: { id: 3, value: ANALOG },
  illuminance: { id: 101, value: { bytes: 2, signed: false, decimals: 0 } },
  presence: { id: 102, value: DISCRETE },
  temperature: { id: 103, value: { bytes: 2, signed: true, decimals: 1 } },
  humidity: { id: 104, value: { bytes: 1, signed: false, decimals: 0, step: 'half' } },
  accelerometer: { id: 113, parts: { x: G, y: G, z: G } },
  barometer: { id: 115, value: { bytes: 2, signed: false, decimals: 1 } },
  gyrometer: { id: 134, parts: { x: ANALOG, y: ANALOG, z: ANALOG } },
  gps: {
    id: 136,
    parts: {
      latitude: { bytes: 3, signed: true, decimals: 4, maxAbs: 90 },
      longitude: { bytes: 3, signed: true, decimals: 4, maxAbs: 180 },
      altitude: { bytes: 3, signed: true, decimals: 2 },
    },
  },
};

/**
 * Encodes readings as a Cayenne LPP frame: `[channel][type id][value]...`, big-endian.
 *
 * Rounding rule: each value is rounded to the type's resolution **half away from zero**,
 * working on the number's shortest decimal form (what you typed), so float error cannot
 * move a value across a boundary: 27.2 °C → 272 (`01 10`), -15.65 °C → -157 (`FF 63`),
 * humidity 49.65 % → 99 (`63`). Values outside the type's range (and GPS latitude outside
 * ±90, longitude outside ±180), `NaN` and `Infinity` are `VALUE_OUT_OF_RANGE` errors naming
 * the item, e.g. `items[2].value`; nothing is ever wrapped. Digital input/output and
 * presence must be integers 0..255.
 *
 * @example
 * ```ts
 * import { bytesToHex, encodeCayenneLpp } from '@dx/downlink-helpers';
 *
 * bytesToHex(
 *   encodeCayenneLpp([
 *     { channel: 3, type: 'temperature', value: 27.2 },
 *     { channel: 5, type: 'temperature', value: 25.5 },
 *   ]),
 * ); // '03670110056700FF'
 * ```
 */
export function encodeCayenneLpp(items: readonly CayenneLppItem[]): Uint8Array {
  const out: number[] = [];
  const names = Object.keys(TYPES);
  checkArray(items, 'items').forEach((item, index) => {
    const path = `items[${index}]`;
    const { channel, type, value } = checkObject(item, path, index);
    const kind = oneOf(type, names, `${path}.type`, undefined, index);
    const format = TYPES[names[kind] as string] as TypeFormat;
    out.push(checkInteger(channel, `${path}.channel`, 0, 255, index), format.id);
    if ('value' in format) {
      writeScaled(out, value, format.value, `${path}.value`, index);
      return;
    }
    const parts = checkObject(value, `${path}.value`, index);
    for (const [part, partFormat] of Object.entries(format.parts)) {
      writeScaled(out, parts[part], partFormat, `${path}.value.${part}`, index);
    }
  });
  return Uint8Array.from(out);
}

function writeScaled(
  out: number[],
  value: unknown,
  format: ValueFormat,
  field: string,
  index: number,
): void {
  const { bytes, signed, decimals, step, maxAbs } = format;
  const unit = step === 'half' ? 2 : 10 ** decimals;
  const max = maxAbs !== undefined ? maxAbs * unit : 2 ** (bytes * 8 - (signed ? 1 : 0)) - 1;
  const min = maxAbs !== undefined ? -max : signed ? -max - 1 : 0;
  const number = checkNumber(value, field, index);
  // Doubling is exact in binary, so halves round like decimals.
  const raw = Number.isFinite(number)
    ? scaleDecimal(step === 'half' ? number * 2 : number, decimals)
    : NaN;
  if (!(raw >= min && raw <= max) || (step === 'integer' && raw !== number)) {
    throw outOfRangeAt(
      field,
      index,
      `${number} is not ${step === 'integer' ? 'an integer ' : ''}in ${min / unit}..${max / unit}`,
    );
  }
  // Math.floor keeps the sign, so negative values come out in two's complement.
  for (let shift = bytes * 8 - 8; shift >= 0; shift -= 8) {
    out.push(Math.floor(raw / 2 ** shift) & 255);
  }
}

/**
 * `value * 10^decimals` rounded half away from zero, computed on the shortest decimal string
 * of `value`: 27.2 * 10 is 271.99999999999997 in binary, but "27.2" shifted is exactly 272.
 */
function scaleDecimal(value: number, decimals: number): number {
  const [mantissa = '', exponent] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  // How many digits the integer part has once the point moves right by `decimals`.
  const count = Number(exponent) + decimals + 1;
  const magnitude =
    (count > 0 ? Number(digits.slice(0, count).padEnd(count, '0')) : 0) +
    (digits.charCodeAt(count) >= 53 ? 1 : 0);
  return value < 0 ? -magnitude : magnitude;
}
