import {
  describeName,
  describeValue,
  wrongType,
  invalidAt as invalid,
  outOfRangeAt as outOfRange,
} from './describe.js';
import type { DownlinkError } from './errors.js';
import { toByteArray } from './hex.js';

/**
 * Numeric field types: `u`/`i` = unsigned/signed integer, `f` = IEEE 754 float, then the bit
 * width, then `be` (big endian, network order, what most datasheets use) or `le`.
 *
 * @example
 * ```ts
 * import type { NumberType } from '@dx/downlink-helpers';
 *
 * const interval: NumberType = 'u16be';
 * ```
 */
export type NumberType =
  | 'u8'
  | 'i8'
  | 'u16be'
  | 'u16le'
  | 'i16be'
  | 'i16le'
  | 'u32be'
  | 'u32le'
  | 'i32be'
  | 'i32le'
  | 'f32be'
  | 'f32le';

/**
 * One number in a layout.
 *
 * @example
 * ```ts
 * import type { NumberField } from '@dx/downlink-helpers';
 *
 * const field: NumberField = { type: 'u16be', value: 300, name: 'interval' };
 * ```
 */
export interface NumberField {
  type: NumberType;
  value: number;
  /** Used in error messages; defaults to `fields[<index>]`. */
  name?: string;
}

/**
 * A bit field inside a `flags` byte: `width` bits (default 1) whose least significant bit is
 * bit number `bit` (0 = least significant bit of the byte, 7 = most significant).
 *
 * @example
 * ```ts
 * import type { BitField } from '@dx/downlink-helpers';
 *
 * const ack: BitField = { name: 'ack', bit: 7, value: true };
 * const mode: BitField = { name: 'mode', bit: 0, width: 3, value: 5 };
 * ```
 */
export interface BitField {
  name: string;
  bit: number;
  width?: number;
  /** `boolean` for one-bit fields, an integer `0..2^width-1` for any width. */
  value: boolean | number;
}

/**
 * One byte built from named booleans and small bit fields; unused bits are 0.
 *
 * @example
 * ```ts
 * import type { FlagsField } from '@dx/downlink-helpers';
 *
 * const options: FlagsField = {
 *   type: 'flags',
 *   name: 'options',
 *   bits: [
 *     { name: 'ledOn', bit: 0, value: true },
 *     { name: 'mode', bit: 4, width: 2, value: 3 },
 *   ],
 * }; // encodes to 0x31
 * ```
 */
export interface FlagsField {
  type: 'flags';
  bits: readonly BitField[];
  name?: string;
}

/**
 * A run of raw bytes; with `length`, the run must have exactly that many bytes.
 *
 * @example
 * ```ts
 * import type { BytesField } from '@dx/downlink-helpers';
 *
 * const key: BytesField = { type: 'bytes', value: [0xde, 0xad], length: 2, name: 'magic' };
 * ```
 */
export interface BytesField {
  type: 'bytes';
  value: Uint8Array | readonly number[];
  length?: number;
  name?: string;
}

/**
 * Any field of a layout, see {@link encodeLayout}.
 *
 * @example
 * ```ts
 * import type { LayoutField } from '@dx/downlink-helpers';
 *
 * const command: LayoutField[] = [{ type: 'u8', value: 0x01, name: 'opcode' }];
 * ```
 */
export type LayoutField = NumberField | FlagsField | BytesField;

/** Every {@link NumberType}, in one string: cheaper in a bundle than a table of specs. */
const NUMBER_TYPES = 'u8 i8 u16be u16le i16be i16le u32be u32le i32be i32le f32be f32le';

/**
 * Encodes a structured binary command, field after field, with no padding between fields.
 *
 * Every value is range-checked: a value that does not fit its type, `NaN`, `Infinity`, or a
 * fraction for an integer type is a `VALUE_OUT_OF_RANGE` error naming the field (its `name`,
 * or `fields[<index>]`). Nothing is ever wrapped, clamped or truncated; `f32` values are
 * rounded to the nearest float32, as the format requires, but must stay finite.
 *
 * @example
 * ```ts
 * import { bytesToHex, encodeLayout } from '@dx/downlink-helpers';
 *
 * const bytes = encodeLayout([
 *   { type: 'u8', value: 0x01, name: 'opcode' },
 *   { type: 'u16be', value: 300, name: 'interval' },
 *   { type: 'i16le', value: -2, name: 'offset' },
 *   { type: 'flags', name: 'options', bits: [{ name: 'confirm', bit: 7, value: true }] },
 * ]);
 * bytesToHex(bytes); // '01012CFEFF80'
 * ```
 */
export function encodeLayout(fields: readonly LayoutField[]): Uint8Array {
  if (!Array.isArray(fields)) {
    throw wrongType('fields', 'an array of layout fields', fields);
  }
  return Uint8Array.from(fields.flatMap((field: unknown, index) => [...encodeField(field, index)]));
}

function encodeField(field: unknown, index: number): Uint8Array {
  if (typeof field !== 'object' || field === null) {
    throw wrongType(`fields[${index}]`, 'a layout field object', field, undefined, index);
  }
  const { type, name } = field as { type?: unknown; name?: unknown };
  const label = typeof name === 'string' && name !== '' ? name : `fields[${index}]`;
  if (type === 'flags') return encodeFlags(field as FlagsField, label, index);
  if (type === 'bytes') return encodeBytes(field as BytesField, label, index);
  const known = typeof type === 'string' && NUMBER_TYPES.split(' ').includes(type);
  if (!known) {
    const shown = describeName(type);
    throw invalid(
      `${label}.type`,
      index,
      `unknown layout field type ${shown}; expected one of ${NUMBER_TYPES.replaceAll(' ', ', ')}, flags, bytes`,
    );
  }
  return encodeNumber(type as NumberType, (field as NumberField).value, label, index);
}

/** The type name says it all: kind letter, bit width, then `le` for little endian. */
function encodeNumber(type: NumberType, value: unknown, label: string, index: number): Uint8Array {
  if (typeof value !== 'number') {
    throw wrongType(label, `a number for ${type}`, value, undefined, index);
  }
  const kind = type[0];
  const bits = Number.parseInt(type.slice(1), 10);
  const size = bits / 8;
  const littleEndian = type.endsWith('le');
  const out = new Uint8Array(size);
  if (kind === 'f') {
    if (!Number.isFinite(Math.fround(value))) {
      throw outOfRange(label, index, `${value} is not a finite float32 value`);
    }
    new DataView(out.buffer).setFloat32(0, value, littleEndian);
    return out;
  }
  const min = kind === 'i' ? -(2 ** (bits - 1)) : 0;
  const max = kind === 'i' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (!Number.isInteger(value) || value < min || value > max) {
    const what = Number.isInteger(value) ? 'does not fit' : 'is not an integer in';
    throw outOfRange(label, index, `${value} ${what} ${type} (${min}..${max})`);
  }
  // >>> reads the value as 32-bit two's complement, which is right for signed types too.
  for (let k = 0; k < size; k++) out[littleEndian ? k : size - 1 - k] = (value >>> (8 * k)) & 255;
  return out;
}

function encodeFlags(field: FlagsField, label: string, index: number): Uint8Array {
  const bits: unknown = field.bits;
  if (!Array.isArray(bits)) {
    throw wrongType(`${label}.bits`, 'an array of bit fields', bits, undefined, index);
  }
  let byte = 0;
  let used = 0;
  bits.forEach((bitField: unknown, bitIndex) => {
    const { mask, value } = checkBitField(bitField, `${label}.bits[${bitIndex}]`, label, index);
    if ((used & mask) !== 0) {
      throw invalid(
        `${label}.bits[${bitIndex}]`,
        index,
        'overlaps the bits of an earlier bit field',
      );
    }
    used |= mask;
    byte |= value;
  });
  return Uint8Array.of(byte);
}

function checkBitField(
  bitField: unknown,
  path: string,
  label: string,
  index: number,
): { mask: number; value: number } {
  const fail = (problem: string): DownlinkError => invalid(path, index, problem);
  if (typeof bitField !== 'object' || bitField === null) {
    throw wrongType(path, 'a bit field object', bitField, undefined, index);
  }
  const { name, bit, width = 1, value } = bitField as Partial<BitField>;
  if (typeof name !== 'string' || name === '') throw fail('name must be a non-empty string');
  if (!Number.isInteger(bit) || (bit as number) < 0 || (bit as number) > 7) {
    throw fail(`bit must be an integer 0..7, got ${describeValue(bit)}`);
  }
  if (!Number.isInteger(width) || width < 1 || (bit as number) + width > 8) {
    throw fail(`width must be an integer 1..${8 - (bit as number)}, got ${describeValue(width)}`);
  }
  const max = 2 ** width - 1;
  const field = `${label}.${name}`;
  let raw: number;
  if (typeof value === 'boolean') {
    if (width !== 1) throw fail(`a boolean needs width 1, got width ${width}`);
    raw = value ? 1 : 0;
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw outOfRange(field, index, `${String(value)} is not an integer 0..${max}`);
    }
    raw = value;
  } else {
    throw wrongType(field, 'a boolean or an integer', value, undefined, index);
  }
  return { mask: max << (bit as number), value: raw << (bit as number) };
}

function encodeBytes(field: BytesField, label: string, index: number): Uint8Array {
  const bytes = toByteArray(field.value, label);
  const { length } = field;
  if (length === undefined) return bytes;
  if (!Number.isInteger(length) || length < 0) {
    throw invalid(
      `${label}.length`,
      index,
      `must be a non-negative integer, got ${describeValue(length)}`,
    );
  }
  if (bytes.length !== length) {
    throw outOfRange(label, index, `has ${bytes.length} bytes, the layout declares ${length}`);
  }
  return bytes;
}
