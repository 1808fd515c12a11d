import {
  describeName,
  describeValue,
  wrongType,
  invalidAt as invalid,
  outOfRangeAt as outOfRange,
} from './describe.js';

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
 * How one number is stored: `[size, signed, decimals, flags, min, max]`. `size` bytes
 * big-endian, in units of 10^-decimals; flags 1: discrete values (digital, presence) must be
 * integers, rounding 0.5 to 1 would lie; flags 2: resolution 0.5. `min`/`max`: physical
 * limits narrower than the encoding allows.
 */
type Scale = readonly [
  size: number,
  signed: number,
  decimals: number,
  flags?: number,
  min?: number,
  max?: number,
];

const SCALES: readonly Scale[] = [
  [1, 0, 0, 1], // 0 digital, presence
  [2, 1, 2], // 1 analog, gyrometer
  [2, 1, 3], // 2 acceleration
  [3, 1, 4, 0, -90, 90], // 3 latitude
  [3, 1, 4, 0, -180, 180], // 4 longitude
  [3, 1, 2], // 5 altitude
  [2, 0, 0], // 6 illuminance
  [2, 1, 1], // 7 temperature
  [1, 0, 0, 2], // 8 humidity
  [2, 0, 1], // 9 barometer
];

/** Per type: id, one scale index per value, and for multi-value types the value names. */
const TYPES: Readonly<Record<string, readonly [id: number, scales: string, parts?: string]>> = {
  digitalInput: [0, '0'],
  digitalOutput: [1, '0'],
  analogInput: [2, '1'],
  analogOutput: [3, '1'],
  illuminance: [101, '6'],
  presence: [102, '0'],
  temperature: [103, '7'],
  humidity: [104, '8'],
  accelerometer: [113, '222', 'x,y,z'],
  barometer: [115, '9'],
  gyrometer: [134, '111', 'x,y,z'],
  gps: [136, '345', 'latitude,longitude,altitude'],
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
  if (!Array.isArray(items)) {
    throw wrongType('items', 'an array of Cayenne LPP items', items);
  }
  const out: number[] = [];
  items.forEach((item: unknown, index) => encodeItem(item, index, out));
  return Uint8Array.from(out);
}

function encodeItem(item: unknown, index: number, out: number[]): void {
  const path = `items[${index}]`;
  if (typeof item !== 'object' || item === null) {
    throw wrongType(path, 'an item object', item, undefined, index);
  }
  const { channel, type, value } = item as { channel?: unknown; type?: unknown; value?: unknown };
  const spec = typeof type === 'string' && Object.hasOwn(TYPES, type) ? TYPES[type] : undefined;
  if (spec === undefined) {
    const shown = describeName(type);
    throw invalid(
      `${path}.type`,
      index,
      `unknown Cayenne LPP type ${shown}; expected one of ${Object.keys(TYPES).join(', ')}`,
    );
  }
  if (typeof channel !== 'number') {
    throw wrongType(`${path}.channel`, 'an integer 0..255', channel, undefined, index);
  }
  if (!Number.isInteger(channel) || channel < 0 || channel > 255) {
    throw outOfRange(`${path}.channel`, index, `${channel} is not an integer 0..255`);
  }
  const [id, scales, names] = spec;
  out.push(channel, id);
  const scaleOf = (k: number): Scale => SCALES[Number(scales[k])] as Scale;
  if (names === undefined) {
    writeScaled(out, value, scaleOf(0), `${path}.value`, index, type as string);
    return;
  }
  const parts = names.split(',');
  if (typeof value !== 'object' || value === null) {
    throw wrongType(`${path}.value`, `an object with ${parts.join(', ')}`, value, undefined, index);
  }
  parts.forEach((part, k) => {
    const partValue = (value as Record<string, unknown>)[part];
    writeScaled(
      out,
      partValue,
      scaleOf(k),
      `${path}.value.${part}`,
      index,
      `${type as string} ${part}`,
    );
  });
}

function writeScaled(
  out: number[],
  value: unknown,
  scale: Scale,
  field: string,
  index: number,
  what: string,
): void {
  if (typeof value !== 'number') {
    throw wrongType(field, 'a number', value, undefined, index);
  }
  const [size, signed, decimals, flags = 0, minimum, maximum] = scale;
  const bits = size * 8;
  const minRaw = signed ? -(2 ** (bits - 1)) : 0;
  const maxRaw = signed ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  const half = flags === 2;
  const resolution = half ? 0.5 : 10 ** -decimals;
  const min = minimum ?? unitValue(minRaw, scale);
  const max = maximum ?? unitValue(maxRaw, scale);
  const range = `${what} takes ${min}..${max}`;
  if (!Number.isFinite(value)) throw outOfRange(field, index, `${describeValue(value)}: ${range}`);
  if (flags === 1 && !Number.isInteger(value)) {
    throw outOfRange(field, index, `${value} is not an integer: ${range}`);
  }
  // Checked before scaling so the decimal arithmetic below only ever sees small numbers.
  if (value < min - resolution || value > max + resolution) {
    throw outOfRange(field, index, `${value} is out of range: ${range}`);
  }
  // Doubling is exact in binary, so halves round like decimals.
  const raw = half ? scaleDecimal(value * 2, 0) : scaleDecimal(value, decimals);
  if (raw < minRaw || raw > maxRaw || unitValue(raw, scale) < min || unitValue(raw, scale) > max) {
    throw outOfRange(field, index, `${value} is out of range: ${range}`);
  }
  const unsigned = raw < 0 ? raw + 2 ** bits : raw;
  for (let shift = bits - 8; shift >= 0; shift -= 8)
    out.push(Math.floor(unsigned / 2 ** shift) & 255);
}

function unitValue(raw: number, [, , decimals, flags]: Scale): number {
  if (flags === 2) return raw / 2;
  return decimals === 0 ? raw : Number((raw / 10 ** decimals).toFixed(decimals));
}

/**
 * `value * 10^decimals` rounded half away from zero, computed on the shortest decimal string
 * of `value`: 27.2 * 10 is 271.99999999999997 in binary, but "27.2" shifted is exactly 272.
 */
function scaleDecimal(value: number, decimals: number): number {
  const [mantissa = '0', exponent = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const shift = Number(exponent) + decimals - (digits.length - 1);
  let magnitude: number;
  if (shift >= 0) {
    magnitude = Number(digits) * 10 ** shift;
  } else {
    const keep = digits.length + shift;
    magnitude = keep > 0 ? Number(digits.slice(0, keep)) : 0;
    if (keep >= 0 && digits.charCodeAt(keep) >= 53) magnitude += 1;
  }
  return value < 0 && magnitude !== 0 ? -magnitude : magnitude;
}
