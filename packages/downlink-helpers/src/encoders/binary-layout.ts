import { checkArray, checkInteger, checkNumber, checkObject, oneOf } from '../checks.js';
import { describeValue, invalidAt, outOfRangeAt } from '../describe.js';
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

/** `flags`, `bytes`, then every {@link NumberType}, in the order errors list them. */
const TYPES = [
  'flags',
  'bytes',
  'u8',
  'i8',
  'u16be',
  'u16le',
  'i16be',
  'i16le',
  'u32be',
  'u32le',
  'i32be',
  'i32le',
  'f32be',
  'f32le',
];

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
  return Uint8Array.from(checkArray(fields, 'fields').flatMap(encodeField));
}

function encodeField(field: unknown, index: number): number[] {
  const at = `fields[${index}]`;
  const { type, name, value, bits, length } = checkObject(field, at, index);
  const label = typeof name === 'string' && name !== '' ? name : at;
  const kind = oneOf(type, TYPES, `${label}.type`, undefined, index);
  if (kind === 0) return [encodeFlags(checkArray(bits, `${label}.bits`, index), label, index)];
  if (kind === 1) {
    const bytes = toByteArray(value, label);
    if (length !== undefined && length !== bytes.length) {
      throw Number.isInteger(length) && (length as number) >= 0
        ? outOfRangeAt(label, index, `has ${bytes.length} bytes, not ${length}`)
        : invalidAt(`${label}.length`, index, `${describeValue(length)} is not a byte count`);
    }
    return [...bytes];
  }
  // The type name says it all: kind letter, bit width, then `le` for little endian.
  const [letter] = type as string;
  const width = Number((type as string).slice(1, 3));
  if (letter === 'f') {
    if (!Number.isFinite(Math.fround(checkNumber(value, label, index)))) {
      throw outOfRangeAt(label, index, `${value} is not a finite float32`);
    }
  } else {
    const half = letter === 'i' ? 2 ** width / 2 : 0;
    checkInteger(value, label, -half, 2 ** width - 1 - half, index);
  }
  const out = new Uint8Array(width / 8);
  const method = `set${letter === 'f' ? 'Float' : letter === 'i' ? 'Int' : 'Uint'}${width}`;
  (new DataView(out.buffer) as unknown as Record<string, (...args: unknown[]) => void>)[method]!(
    0,
    value,
    (type as string).endsWith('le'),
  );
  return [...out];
}

function encodeFlags(bits: unknown[], label: string, index: number): number {
  let byte = 0;
  let used = 0;
  bits.forEach((bitField, bitIndex) => {
    const path = `${label}.bits[${bitIndex}]`;
    const { name, bit, width = 1, value } = checkObject(bitField, path, index);
    const problem =
      typeof name !== 'string' || name === ''
        ? 'needs a name'
        : !(Number.isInteger(bit) && Number.isInteger(width)) ||
            (bit as number) < 0 ||
            (width as number) < 1 ||
            (bit as number) + (width as number) > 8
          ? `bit ${describeValue(bit)} width ${describeValue(width)} is not within bits 0..7`
          : typeof value === 'boolean' && width !== 1
            ? 'a boolean needs width 1'
            : '';
    if (problem) throw invalidAt(path, index, problem);
    const max = 2 ** (width as number) - 1;
    const raw = checkInteger(
      typeof value === 'boolean' ? +value : value,
      `${label}.${name as string}`,
      0,
      max,
      index,
    );
    if ((used & (max << (bit as number))) !== 0) {
      throw invalidAt(path, index, 'overlaps an earlier bit field');
    }
    used |= max << (bit as number);
    byte |= raw << (bit as number);
  });
  return byte;
}
