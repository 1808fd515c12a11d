import {
  allocateBytes,
  asciiBytes,
  asciiToString,
  charPairTable,
  scratchSpace,
} from './byte-pool.js';
import { DownlinkError, describeChar, describeType } from './errors.js';

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

/** Nibble value per char code below 128, -1 for anything that is not a hex digit. */
const NIBBLE: Int8Array = /* @__PURE__ */ buildNibbleTable();
/** Per byte: nibble << 4 for hex digits, a negative value otherwise; built on first use. */
let highNibbles: Int16Array | undefined;
/** Per byte: nibble for hex digits, -1 otherwise; built on first use. */
let lowNibbles: Int8Array | undefined;
/** Two upper-case hex digit codes per byte value, built on first use. */
let byteChars: Uint16Array | undefined;

function buildNibbleTable(size = 128): Int8Array {
  const table = new Int8Array(size).fill(-1);
  for (let i = 0; i < 10; i++) table[48 + i] = i;
  for (let i = 0; i < 6; i++) {
    table[65 + i] = 10 + i;
    table[97 + i] = 10 + i;
  }
  return table;
}

function buildByteChars(): Uint16Array {
  const digits = '0123456789ABCDEF';
  return charPairTable(
    256,
    (b) => digits.charCodeAt(b >> 4),
    (b) => digits.charCodeAt(b & 15),
  );
}

function nibble(code: number): number {
  return code < 128 ? (NIBBLE[code] as number) : -1;
}

/** ASCII whitespace only: a non-breaking or ideographic space pasted from a PDF is suspect. */
export function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 12 || code === 11;
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
  if (typeof hex !== 'string') {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      field,
      `expected a hex string, got ${describeType(hex)}`,
    );
  }
  return decodePlainHex(hex) ?? decodeLooseHex(hex, field);
}

/** The common case, digits only and an even count, without the separator state machine. */
function decodePlainHex(hex: string): Uint8Array | undefined {
  const length = hex.length;
  if ((length & 1) !== 0) return undefined;
  const chars = asciiBytes(hex);
  if (chars === undefined) return undefined;
  const low = (lowNibbles ??= buildNibbleTable(256));
  const high = (highNibbles ??= Int16Array.from(low, (n) => (n < 0 ? -4096 : n << 4)));
  const out = allocateBytes(length >> 1);
  let i = 0;
  let j = 0;
  // Two bytes per iteration, one validity check for both: the loop overhead rivals the body.
  for (const end = length - 3; i < end; i += 4, j += 2) {
    const a = (high[chars[i] as number] as number) | (low[chars[i + 1] as number] as number);
    const b = (high[chars[i + 2] as number] as number) | (low[chars[i + 3] as number] as number);
    if ((a | b) < 0) return undefined;
    out[j] = a;
    out[j + 1] = b;
  }
  if (i < length) {
    const value = (high[chars[i] as number] as number) | (low[chars[i + 1] as number] as number);
    if (value < 0) return undefined;
    out[j] = value;
  }
  return out;
}

function decodeLooseHex(hex: string, field: string): Uint8Array {
  const length = hex.length;
  const out = new Uint8Array(length >> 1);
  let count = 0;
  let i = 0;
  while (i < length && isSpace(hex.charCodeAt(i))) i++;
  const prefixAt = i;
  if (hex.charCodeAt(i) === 48 && (hex.charCodeAt(i + 1) | 0x20) === 120) {
    i += 2;
    if (i >= length || nibble(hex.charCodeAt(i)) < 0) {
      const problem =
        i >= length
          ? `no hex digits after the "0x" prefix at position ${prefixAt}`
          : `expected a hex digit right after the "0x" prefix, got ${describeChar(hex, i)} at position ${i}`;
      throw new DownlinkError('INVALID_HEX', field, problem, {
        position: i >= length ? prefixAt : i,
      });
    }
  }
  // After a complete byte: whitespace and at most one ':' or '-' may come before the next one.
  let separatorAt = -1;
  while (i < length) {
    const code = hex.charCodeAt(i);
    const hi = nibble(code);
    if (hi >= 0) {
      const lo = i + 1 < length ? nibble(hex.charCodeAt(i + 1)) : -1;
      if (lo < 0) throw incompleteByte(hex, field, i);
      out[count++] = (hi << 4) | lo;
      i += 2;
      separatorAt = -1;
      continue;
    }
    if (isSpace(code)) {
      i++;
      continue;
    }
    if ((code === 58 || code === 45) && count > 0 && separatorAt < 0) {
      separatorAt = i++;
      continue;
    }
    throw foreignChar(hex, field, i, count, separatorAt);
  }
  if (separatorAt >= 0) {
    throw new DownlinkError(
      'INVALID_HEX',
      field,
      `separator ${describeChar(hex, separatorAt)} at position ${separatorAt} is not followed by a byte`,
      { position: separatorAt },
    );
  }
  return count === out.length ? out : out.slice(0, count);
}

function incompleteByte(hex: string, field: string, at: number): DownlinkError {
  const next = at + 1;
  const fail = (problem: string, position: number): DownlinkError =>
    new DownlinkError('INVALID_HEX', field, problem, { position });
  if (next >= hex.length) {
    return fail(`odd number of hex digits: the digit at position ${at} has no partner`, at);
  }
  const what = describeChar(hex, next);
  if (hex[at] === '0' && (hex[next] === 'x' || hex[next] === 'X')) {
    return fail(
      `unexpected "0${hex[next]}" at position ${at}: only one "0x" prefix, at the start, is allowed`,
      at,
    );
  }
  if (isSpace(hex.charCodeAt(next)) || hex[next] === ':' || hex[next] === '-') {
    return fail(
      `separator ${what} at position ${next} splits a byte (odd number of hex digits before it)`,
      next,
    );
  }
  return fail(`invalid hex digit ${what} at position ${next}`, next);
}

function foreignChar(
  hex: string,
  field: string,
  at: number,
  count: number,
  separatorAt: number,
): DownlinkError {
  const code = hex.charCodeAt(at);
  const what = describeChar(hex, at);
  let problem = `invalid hex digit ${what} at position ${at}`;
  if (code === 58 || code === 45) {
    problem =
      count === 0
        ? `separator ${what} at position ${at} before the first byte`
        : `second separator ${what} at position ${at} (first at ${separatorAt})`;
  } else if ((code | 0x20) === 120) {
    problem = `unexpected ${what} at position ${at}: only one "0x" prefix, at the start, is allowed`;
  }
  return new DownlinkError('INVALID_HEX', field, problem, { position: at });
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
  const table = (byteChars ??= buildByteChars());
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
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      field,
      `expected a Uint8Array or an array of integers 0..255, got ${describeType(bytes)}`,
    );
  }
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const value: unknown = bytes[i];
    if (typeof value !== 'number') {
      throw new DownlinkError(
        'INVALID_ARGUMENT',
        `${field}[${i}]`,
        `expected an integer 0..255, got ${describeType(value)}`,
        { position: i },
      );
    }
    if (!Number.isInteger(value) || value < 0 || value > 255) {
      throw new DownlinkError(
        'VALUE_OUT_OF_RANGE',
        `${field}[${i}]`,
        `${String(value)} is not an integer 0..255`,
        { position: i },
      );
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
