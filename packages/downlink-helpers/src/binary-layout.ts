import { describeType, describeValue } from './describe.js';
import { DownlinkError } from './errors.js';
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

interface NumberSpec {
  size: 1 | 2 | 4;
  kind: 'u' | 'i' | 'f';
  littleEndian: boolean;
}

const NUMBER_SPECS: Readonly<Record<NumberType, NumberSpec>> = {
  u8: { size: 1, kind: 'u', littleEndian: false },
  i8: { size: 1, kind: 'i', littleEndian: false },
  u16be: { size: 2, kind: 'u', littleEndian: false },
  u16le: { size: 2, kind: 'u', littleEndian: true },
  i16be: { size: 2, kind: 'i', littleEndian: false },
  i16le: { size: 2, kind: 'i', littleEndian: true },
  u32be: { size: 4, kind: 'u', littleEndian: false },
  u32le: { size: 4, kind: 'u', littleEndian: true },
  i32be: { size: 4, kind: 'i', littleEndian: false },
  i32le: { size: 4, kind: 'i', littleEndian: true },
  f32be: { size: 4, kind: 'f', littleEndian: false },
  f32le: { size: 4, kind: 'f', littleEndian: true },
};

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
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      'fields',
      `expected an array of layout fields, got ${describeType(fields)}`,
    );
  }
  const parts = fields.map((field: unknown, index) => encodeField(field, index));
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

function encodeField(field: unknown, index: number): Uint8Array {
  if (typeof field !== 'object' || field === null) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      `fields[${index}]`,
      `expected a layout field object, got ${describeType(field)}`,
      { position: index },
    );
  }
  const { type, name } = field as { type?: unknown; name?: unknown };
  const label = typeof name === 'string' && name !== '' ? name : `fields[${index}]`;
  if (type === 'flags') return encodeFlags(field as FlagsField, label, index);
  if (type === 'bytes') return encodeBytes(field as BytesField, label, index);
  const spec = typeof type === 'string' ? NUMBER_SPECS[type as NumberType] : undefined;
  if (spec === undefined || !Object.hasOwn(NUMBER_SPECS, type as string)) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      `${label}.type`,
      `unknown layout field type ${typeof type === 'string' ? JSON.stringify(type) : describeType(type)}; expected one of ${Object.keys(NUMBER_SPECS).join(', ')}, flags, bytes`,
      { position: index },
    );
  }
  return encodeNumber(spec, type as NumberType, (field as NumberField).value, label, index);
}

function encodeNumber(
  spec: NumberSpec,
  type: NumberType,
  value: unknown,
  label: string,
  index: number,
): Uint8Array {
  const out = new Uint8Array(spec.size);
  const view = new DataView(out.buffer);
  if (typeof value !== 'number') {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      label,
      `expected a number for ${type}, got ${describeType(value)}`,
      { position: index },
    );
  }
  if (spec.kind === 'f') {
    if (!Number.isFinite(Math.fround(value))) {
      throw outOfRange(label, index, `${String(value)} is not a finite float32 value`);
    }
    view.setFloat32(0, value, spec.littleEndian);
    return out;
  }
  const bits = spec.size * 8;
  const min = spec.kind === 'i' ? -(2 ** (bits - 1)) : 0;
  const max = spec.kind === 'i' ? 2 ** (bits - 1) - 1 : 2 ** bits - 1;
  if (!Number.isInteger(value) || value < min || value > max) {
    const what = Number.isInteger(value) ? 'does not fit' : 'is not an integer in';
    throw outOfRange(label, index, `${String(value)} ${what} ${type} (${min}..${max})`);
  }
  writeInteger(view, spec, value);
  return out;
}

function writeInteger(view: DataView, spec: NumberSpec, value: number): void {
  const signed = spec.kind === 'i';
  if (spec.size === 1) {
    if (signed) view.setInt8(0, value);
    else view.setUint8(0, value);
  } else if (spec.size === 2) {
    if (signed) view.setInt16(0, value, spec.littleEndian);
    else view.setUint16(0, value, spec.littleEndian);
  } else if (signed) {
    view.setInt32(0, value, spec.littleEndian);
  } else {
    view.setUint32(0, value, spec.littleEndian);
  }
}

function encodeFlags(field: FlagsField, label: string, index: number): Uint8Array {
  const bits: unknown = field.bits;
  if (!Array.isArray(bits)) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      `${label}.bits`,
      `expected an array of bit fields, got ${describeType(bits)}`,
      { position: index },
    );
  }
  let byte = 0;
  let used = 0;
  bits.forEach((bitField: unknown, bitIndex) => {
    const { mask, value } = checkBitField(bitField, `${label}.bits[${bitIndex}]`, label, index);
    if ((used & mask) !== 0) {
      throw new DownlinkError(
        'INVALID_ARGUMENT',
        `${label}.bits[${bitIndex}]`,
        'overlaps the bits of an earlier bit field',
        { position: index },
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
  const invalid = (problem: string): DownlinkError =>
    new DownlinkError('INVALID_ARGUMENT', path, problem, { position: index });
  if (typeof bitField !== 'object' || bitField === null) {
    throw invalid(`expected a bit field object, got ${describeType(bitField)}`);
  }
  const { name, bit, width = 1, value } = bitField as Partial<BitField>;
  if (typeof name !== 'string' || name === '') throw invalid('name must be a non-empty string');
  if (!Number.isInteger(bit) || (bit as number) < 0 || (bit as number) > 7) {
    throw invalid(`bit must be an integer 0..7, got ${describeValue(bit)}`);
  }
  if (!Number.isInteger(width) || width < 1 || (bit as number) + width > 8) {
    throw invalid(
      `width must be an integer 1..${8 - (bit as number)}, got ${describeValue(width)}`,
    );
  }
  const max = 2 ** width - 1;
  const field = `${label}.${name}`;
  let raw: number;
  if (typeof value === 'boolean') {
    if (width !== 1) throw invalid(`a boolean needs width 1, got width ${width}`);
    raw = value ? 1 : 0;
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      throw outOfRange(field, index, `${String(value)} is not an integer 0..${max}`);
    }
    raw = value;
  } else {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      field,
      `expected a boolean or an integer, got ${describeType(value)}`,
      { position: index },
    );
  }
  return { mask: max << (bit as number), value: raw << (bit as number) };
}

function encodeBytes(field: BytesField, label: string, index: number): Uint8Array {
  const bytes = toByteArray(field.value, label);
  const { length } = field;
  if (length === undefined) return bytes;
  if (!Number.isInteger(length) || length < 0) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      `${label}.length`,
      `must be a non-negative integer, got ${describeValue(length)}`,
      { position: index },
    );
  }
  if (bytes.length !== length) {
    throw outOfRange(label, index, `has ${bytes.length} bytes, the layout declares ${length}`);
  }
  return bytes;
}

function outOfRange(field: string, index: number, problem: string): DownlinkError {
  return new DownlinkError('VALUE_OUT_OF_RANGE', field, problem, { position: index });
}
