import { allocateBytes, asciiToString, charPairTable, scratchSpace } from './byte-pool.js';
import { charError, describeChar, wrongType } from './describe.js';
import { DownlinkError } from './errors.js';

/**
 * Options shared by the converters: the name errors give the input.
 *
 * @example
 * ```ts
 * import { hexToBytes } from '@dx/downlink-helpers';
 *
 * hexToBytes('0g', { field: 'payload' }); // throws 'payload: invalid hex digit "g" at position 1'
 * ```
 */
export interface FieldOptions {
  /** Name of the input used in errors (default depends on the function). */
  field?: string;
}

/** Nibble value per char code below 256, -1 for anything that is not a hex digit. */
let nibbles: Int8Array | undefined;
/** Two upper-case hex digit codes per byte value, built on first use. */
let byteChars: Uint16Array | undefined;

const DIGITS = '0123456789ABCDEF';
const ONE_PREFIX = ': only one "0x" prefix, at the start, is allowed';

function nibbleTable(): Int8Array {
  if (nibbles !== undefined) return nibbles;
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < 16; i++) {
    table[DIGITS.charCodeAt(i)] = i;
    table[DIGITS.charCodeAt(i) | 0x20] = i;
  }
  return (nibbles = table);
}

/** Also -1 past the end of the string, where `charCodeAt` gives NaN. */
function nibble(table: Int8Array, code: number): number {
  return code < 256 ? (table[code] as number) : -1;
}

/** ASCII whitespace only (tab, LF, VT, FF, CR, space): a non-breaking space is suspect. */
export function isSpace(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13);
}

/**
 * Decodes hex as pasted from a datasheet or console into bytes.
 *
 * Accepts upper and lower case, one optional `0x` prefix, and between bytes any ASCII
 * whitespace plus at most one `:` or `-`. Rejects (code `INVALID_HEX`, with the 0-based
 * `position`) anything else: odd digit counts, a separator inside a byte, a second `0x`,
 * look-alikes such as fullwidth digits. An empty or blank string is zero bytes; a bare `0x`
 * is an error.
 *
 * @example
 * ```ts
 * import { hexToBytes } from '@dx/downlink-helpers';
 *
 * hexToBytes('0x01 0A:ff'); // Uint8Array [1, 10, 255]
 * hexToBytes('01-0A-FF'); // Uint8Array [1, 10, 255]
 * ```
 */
export function hexToBytes(hex: string, options: FieldOptions = {}): Uint8Array {
  const field = options.field ?? 'hex';
  if (typeof hex !== 'string') throw wrongType(field, 'a hex string', hex);
  const table = nibbleTable();
  const length = hex.length;
  let i = 0;
  while (isSpace(hex.charCodeAt(i))) i++;
  if (hex.charCodeAt(i) === 48 && (hex.charCodeAt(i + 1) | 0x20) === 120) {
    i += 2;
    if (i >= length) throw fail(field, 'no hex digits after the "0x" prefix', i - 2);
    if (nibble(table, hex.charCodeAt(i)) < 0) {
      const got = describeChar(hex, i);
      throw fail(field, `expected a hex digit right after the "0x" prefix, got ${got}`, i);
    }
  }
  // One loop for plain and separated hex: a digit pair costs the same in both.
  const out = allocateBytes(length >> 1);
  let count = 0;
  let separatorAt = -1;
  while (i < length) {
    const code = hex.charCodeAt(i);
    const high = nibble(table, code);
    if (high >= 0) {
      const low = nibble(table, hex.charCodeAt(i + 1));
      if (low < 0) throw unpaired(hex, field, i);
      out[count++] = (high << 4) | low;
      i += 2;
      separatorAt = -1;
    } else if (isSpace(code)) {
      i++;
    } else if ((code === 58 || code === 45) && count > 0 && separatorAt < 0) {
      separatorAt = i++;
    } else {
      throw foreign(hex, field, i, count);
    }
  }
  if (separatorAt >= 0) {
    const what = `separator ${describeChar(hex, separatorAt)}`;
    throw fail(field, what, separatorAt, ' is not followed by a byte');
  }
  // Separators or whitespace leave the tail unused: copy rather than pin it.
  return count === out.length ? out : out.slice(0, count);
}

function fail(field: string, lead: string, at: number, tail?: string): DownlinkError {
  return charError('INVALID_HEX', field, lead, at, tail);
}

/** The digit at `at` starts a byte that the next character does not complete. */
function unpaired(hex: string, field: string, at: number): DownlinkError {
  const next = at + 1;
  if (next >= hex.length) return fail(field, 'odd number of hex digits: unpaired digit', at);
  const code = hex.charCodeAt(next);
  if (hex[at] === '0' && (code | 0x20) === 120)
    return fail(field, 'unexpected "0x"', at, ONE_PREFIX);
  const what = describeChar(hex, next);
  if (isSpace(code) || code === 58 || code === 45) {
    return fail(field, `separator ${what}`, next, ' splits a byte');
  }
  return fail(field, `invalid hex digit ${what}`, next);
}

/** A character that can neither start a byte nor stand between two. */
function foreign(hex: string, field: string, at: number, count: number): DownlinkError {
  const code = hex.charCodeAt(at);
  const what = describeChar(hex, at);
  if (code === 58 || code === 45) {
    return count === 0
      ? fail(field, `separator ${what}`, at, ' before the first byte')
      : fail(field, `second separator ${what}`, at);
  }
  if ((code | 0x20) === 120) return fail(field, `unexpected ${what}`, at, ONE_PREFIX);
  return fail(field, `invalid hex digit ${what}`, at);
}

/**
 * Encodes bytes as upper-case hex without separators, the form `payloadHex` expects.
 *
 * Accepts a `Uint8Array` or an array of integers 0..255; anything else is an
 * `INVALID_ARGUMENT` or `VALUE_OUT_OF_RANGE` error naming the element.
 *
 * @example
 * ```ts
 * import { bytesToHex } from '@dx/downlink-helpers';
 *
 * bytesToHex([1, 10, 255]); // '010AFF'
 * ```
 */
export function bytesToHex(
  bytes: Uint8Array | readonly number[],
  options: FieldOptions = {},
): string {
  const data = toByteArray(bytes, options.field ?? 'bytes');
  const length = data.length;
  const table = (byteChars ??= charPairTable(
    256,
    (b) => DIGITS.charCodeAt(b >> 4),
    (b) => DIGITS.charCodeAt(b & 15),
  ));
  const space = scratchSpace(length * 2);
  const words = space.words;
  // Unrolled by four: the loop overhead is a large share of such a short body.
  let i = 0;
  for (const end = length - 3; i < end; i += 4) {
    words[i] = table[data[i] as number] as number;
    words[i + 1] = table[data[i + 1] as number] as number;
    words[i + 2] = table[data[i + 2] as number] as number;
    words[i + 3] = table[data[i + 3] as number] as number;
  }
  for (; i < length; i++) words[i] = table[data[i] as number] as number;
  return asciiToString(space, length * 2);
}

/**
 * Checks untyped input is a `Uint8Array` or an array of integers 0..255 and returns bytes.
 * A `Uint8Array` is returned as is (not copied).
 *
 * @example
 * ```ts
 * import { toByteArray } from '@dx/downlink-helpers';
 *
 * toByteArray([1, 2, 3]); // Uint8Array [1, 2, 3]
 * ```
 */
export function toByteArray(bytes: unknown, field = 'bytes'): Uint8Array {
  if (isUint8Array(bytes)) return bytes;
  if (!Array.isArray(bytes)) {
    throw wrongType(field, 'a Uint8Array or an array of integers 0..255', bytes);
  }
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const value: unknown = bytes[i];
    const at = `${field}[${i}]`;
    if (typeof value !== 'number') throw wrongType(at, 'an integer 0..255', value, undefined, i);
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw new DownlinkError('VALUE_OUT_OF_RANGE', at, `${value} is not an integer 0..255`, {
        position: i,
      });
    }
    out[i] = value;
  }
  return out;
}

/** Also true for a Uint8Array made in another realm (iframe, vm context), where instanceof fails. */
function isUint8Array(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && Object.prototype.toString.call(value) === '[object Uint8Array]')
  );
}
