import { DownlinkError, describeChar, describeType } from './errors.js';
import { type FieldOptions, codesToString, isSpace, toByteArray } from './hex.js';

const STANDARD = 1;
const URL_SAFE = 2;

/** Sextet per char code below 128; -1 not base64, -2 '='. Both alphabets decode. */
const SEXTET: Int8Array = /* @__PURE__ */ buildSextetTable();
/** Output alphabet as char codes, index = sextet. */
const STANDARD_CHARS: Uint16Array = /* @__PURE__ */ alphabetCodes(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
);

function alphabetCodes(alphabet: string): Uint16Array {
  const codes = new Uint16Array(64);
  for (let i = 0; i < 64; i++) codes[i] = alphabet.charCodeAt(i);
  return codes;
}

function buildSextetTable(): Int8Array {
  const table = new Int8Array(128).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  for (let i = 0; i < 62; i++) table[alphabet.charCodeAt(i)] = i;
  table[43] = 62; // '+'
  table[47] = 63; // '/'
  table[45] = 62; // '-'
  table[95] = 63; // '_'
  table[61] = -2; // '='
  return table;
}

/** Which alphabet a char belongs to: 0 both, STANDARD for '+/', URL_SAFE for '-_'. */
function alphabetOf(code: number): number {
  if (code === 43 || code === 47) return STANDARD;
  if (code === 45 || code === 95) return URL_SAFE;
  return 0;
}

/**
 * Decodes base64 in the standard (`+/`) or URL-safe (`-_`) alphabet into bytes.
 *
 * Rules, all failing with `INVALID_BASE64` and the 0-based `position`:
 * - one alphabet per string: mixing `+`/`/` with `-`/`_` is rejected as ambiguous;
 * - padding is optional, but when present it must complete the last group of four;
 * - the unused low bits of the last character must be zero (non-zero bits mean the input
 *   was cut or corrupted);
 * - ASCII whitespace (line breaks from wrapped base64) is ignored; anything else is not.
 *
 * An empty or blank string is zero bytes.
 *
 * @example
 * ```ts
 * import { base64ToBytes } from '@dx/downlink-helpers';
 *
 * base64ToBytes('AQr/'); // Uint8Array [1, 10, 255]
 * base64ToBytes('AQr_'); // same bytes, URL-safe alphabet
 * base64ToBytes('AQ'); // Uint8Array [1] (padding optional)
 * ```
 */
export function base64ToBytes(base64: string, options: FieldOptions = {}): Uint8Array {
  const field = options.field ?? 'base64';
  if (typeof base64 !== 'string') {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      field,
      `expected a base64 string, got ${describeType(base64)}`,
    );
  }
  const length = base64.length;
  const out = new Uint8Array(Math.floor((length * 3) / 4) + 3);
  let alphabet = 0;
  let alphabetAt = -1;
  let count = 0;
  let acc = 0;
  let sextets = 0;
  let lastAt = -1;
  let padAt = -1;
  let padding = 0;
  for (let i = 0; i < length; i++) {
    const code = base64.charCodeAt(i);
    const value = code < 128 ? (SEXTET[code] as number) : -1;
    if (value >= 0 && padAt < 0) {
      const kind = alphabetOf(code);
      if (kind !== 0) {
        if (alphabet === 0) {
          alphabet = kind;
          alphabetAt = i;
        } else if (kind !== alphabet) {
          throw mixedAlphabets(base64, field, i, alphabetAt);
        }
      }
      acc = (acc << 6) | value;
      lastAt = i;
      if (++sextets === 4) {
        out[count] = acc >> 16;
        out[count + 1] = (acc >> 8) & 255;
        out[count + 2] = acc & 255;
        count += 3;
        acc = 0;
        sextets = 0;
      }
      continue;
    }
    if (isSpace(code)) continue;
    if (value === -2) {
      if (padAt < 0) padAt = i;
      padding++;
      continue;
    }
    const problem =
      value >= 0
        ? `${describeChar(base64, i)} at position ${i} after padding "=" at position ${padAt}`
        : `invalid base64 character ${describeChar(base64, i)} at position ${i}`;
    throw new DownlinkError('INVALID_BASE64', field, problem, { position: i });
  }
  return finish(base64, field, out, count, { acc, sextets, lastAt, padAt, padding });
}

interface Tail {
  acc: number;
  sextets: number;
  lastAt: number;
  padAt: number;
  padding: number;
}

function finish(
  base64: string,
  field: string,
  out: Uint8Array,
  count: number,
  tail: Tail,
): Uint8Array {
  const { acc, sextets, lastAt, padAt, padding } = tail;
  if (sextets === 1) {
    throw new DownlinkError(
      'INVALID_BASE64',
      field,
      `truncated input: the last group has a single character (position ${lastAt}), which cannot encode a byte`,
      { position: lastAt },
    );
  }
  const expectedPadding = sextets === 0 ? 0 : 4 - sextets;
  if (padding > 0 && padding !== expectedPadding) {
    const problem =
      expectedPadding === 0
        ? `unexpected padding "=" at position ${padAt}: the last group is already complete`
        : `padding at position ${padAt} has ${padding} "=" where the last group needs ${expectedPadding}`;
    throw new DownlinkError('INVALID_BASE64', field, problem, { position: padAt });
  }
  if (sextets === 0) return count === out.length ? out : out.slice(0, count);
  const unusedBits = sextets === 2 ? 4 : 2;
  if ((acc & ((1 << unusedBits) - 1)) !== 0) {
    throw new DownlinkError(
      'INVALID_BASE64',
      field,
      `character ${describeChar(base64, lastAt)} at position ${lastAt} has non-zero unused bits: the input looks truncated or corrupted`,
      { position: lastAt },
    );
  }
  const bits = acc >> unusedBits;
  if (sextets === 2) {
    out[count++] = bits;
  } else {
    out[count++] = bits >> 8;
    out[count++] = bits & 255;
  }
  return out.slice(0, count);
}

function mixedAlphabets(base64: string, field: string, at: number, firstAt: number): DownlinkError {
  return new DownlinkError(
    'INVALID_BASE64',
    field,
    `${describeChar(base64, at)} at position ${at} mixes the URL-safe and standard alphabets (${describeChar(base64, firstAt)} at position ${firstAt})`,
    { position: at },
  );
}

/**
 * Encodes bytes as standard, padded base64 (RFC 4648 section 4).
 *
 * @example
 * ```ts
 * import { bytesToBase64 } from '@dx/downlink-helpers';
 *
 * bytesToBase64([1, 10, 255]); // 'AQr/'
 * bytesToBase64(new Uint8Array([1])); // 'AQ=='
 * ```
 */
export function bytesToBase64(
  bytes: Uint8Array | readonly number[],
  options: FieldOptions = {},
): string {
  const data = toByteArray(bytes, options.field ?? 'bytes');
  const length = data.length;
  const codes = new Uint16Array(Math.ceil(length / 3) * 4);
  const chars = STANDARD_CHARS;
  let j = 0;
  let i = 0;
  for (const end = length - 2; i < end; i += 3) {
    const n =
      ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number);
    codes[j++] = chars[n >> 18] as number;
    codes[j++] = chars[(n >> 12) & 63] as number;
    codes[j++] = chars[(n >> 6) & 63] as number;
    codes[j++] = chars[n & 63] as number;
  }
  const rest = length - i;
  if (rest > 0) {
    const n = ((data[i] as number) << 16) | (rest === 2 ? (data[i + 1] as number) << 8 : 0);
    codes[j++] = chars[n >> 18] as number;
    codes[j++] = chars[(n >> 12) & 63] as number;
    codes[j++] = rest === 2 ? (chars[(n >> 6) & 63] as number) : 61;
    codes[j++] = 61;
  }
  return codesToString(codes);
}
