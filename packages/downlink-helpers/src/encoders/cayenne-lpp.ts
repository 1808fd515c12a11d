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

/**
 * Every type name, in the order of `SPECS`. The pure marks let a bundle drop the tables with
 * `encodeCayenneLpp`: a call at module level is otherwise kept.
 */
const TYPES =
  /* @__PURE__ */ 'digitalInput digitalOutput analogInput analogOutput illuminance presence temperature humidity accelerometer barometer gyrometer gps'.split(
    ' ',
  );

/**
 * Per type: its id, then how each of its values is stored, as digits: size in bytes, 1 if
 * signed, decimals, then an optional mode (1: discrete values such as digital or presence
 * must be integers, rounding 0.5 to 1 would lie; 2: resolution 0.5) and an optional physical
 * limit, in units of 90 degrees, narrower than the bytes allow (GPS latitude, longitude).
 * Numbers packed in a string cost a fraction of a table of arrays in a bundle.
 */
const SPECS =
  /* @__PURE__ */ '0,1001 1,1001 2,2120 3,2120 101,2000 102,1001 103,2110 104,1002 113,2130,2130,2130 115,2010 134,2120,2120,2120 136,31401,31402,3120'.split(
    ' ',
  );

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
  checkArray(items, 'items').forEach((item, index) => {
    const path = `items[${index}]`;
    const { channel, type, value } = checkObject(item, path, index);
    const kind = oneOf(type, TYPES, `${path}.type`, undefined, index);
    const [id, ...specs] = (SPECS[kind] as string).split(',');
    out.push(checkInteger(channel, `${path}.channel`, 0, 255, index), Number(id));
    if (specs.length < 2) {
      writeScaled(out, value, specs[0] as string, `${path}.value`, index);
    } else {
      const parts = checkObject(value, `${path}.value`, index);
      (kind > 10 ? ['latitude', 'longitude', 'altitude'] : ['x', 'y', 'z']).forEach((part, k) => {
        writeScaled(out, parts[part], specs[k] as string, `${path}.value.${part}`, index);
      });
    }
  });
  return Uint8Array.from(out);
}

function writeScaled(
  out: number[],
  value: unknown,
  spec: string,
  field: string,
  index: number,
): void {
  const [size = 0, signed, decimals = 0, mode, limit] = Array.from(spec, Number);
  const bits = size * 8;
  const max = limit ? limit * 900000 : 2 ** (bits - (signed as number)) - 1;
  const min = limit ? -max : signed ? -max - 1 : 0;
  const half = mode === 2;
  const number = checkNumber(value, field, index);
  // Doubling is exact in binary, so halves round like decimals.
  const raw = Number.isFinite(number) ? scaleDecimal(half ? number * 2 : number, decimals) : NaN;
  // Discrete values (mode 1) must be integers: rounding 0.5 to 1 would lie.
  if (!(raw >= min && raw <= max) || (mode === 1 && raw !== number)) {
    const unit = half ? 2 : 10 ** decimals;
    throw outOfRangeAt(
      field,
      index,
      `${number} is not ${mode === 1 ? 'an integer ' : ''}in ${min / unit}..${max / unit}`,
    );
  }
  // Math.floor keeps the sign, so negative values come out in two's complement.
  for (let shift = bits - 8; shift >= 0; shift -= 8) out.push(Math.floor(raw / 2 ** shift) & 255);
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
