import { describeChar, describeType, wrongType } from './describe.js';
import { DownlinkError } from './errors.js';
import { allocateBytes, asciiBytes } from './byte-pool.js';
import { asciiToString, charPairTable, scratchSpace } from './ascii-scratch.js';
import { type FieldOptions, isSpace, toByteArray } from './hex.js';

const STANDARD = 1;
const URL_SAFE = 2;

/** Sextet per char code below 128; -1 not base64, -2 '='. Both alphabets decode. */
const SEXTET: Int8Array = /* @__PURE__ */ buildSextetTable();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Two output chars per 12-bit value, built on first use. */
let pairs: Uint16Array | undefined;
/** Per byte: sextet | STANDARD<<8 | URL_SAFE<<8 for alphabet-specific chars, -1 otherwise. */
let tagged: Int16Array | undefined;

function buildTaggedTable(): Int16Array {
  const table = new Int16Array(256).fill(-1);
  for (let code = 0; code < 128; code++) {
    const value = SEXTET[code] as number;
    if (value >= 0) table[code] = value | (alphabetOf(code) << 8);
  }
  return table;
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
    throw wrongType(field, 'a base64 string', base64);
  }
  return decodePlainBase64(base64) ?? decodeLooseBase64(base64, field);
}

/**
 * The common case: no whitespace, one alphabet, canonical padding or none. Returns
 * undefined on anything else, so the loose decoder can find and report the problem.
 */
function decodePlainBase64(base64: string): Uint8Array | undefined {
  let length = base64.length;
  if (length > 0 && base64.charCodeAt(length - 1) === 61) {
    if ((length & 3) !== 0) return undefined;
    length -= base64.charCodeAt(length - 2) === 61 ? 2 : 1;
  }
  const tail = length & 3;
  if (tail === 1) return undefined;
  const chars = asciiBytes(base64);
  if (chars === undefined) return undefined;
  const table = (tagged ??= buildTaggedTable());
  const full = length - tail;
  const out = allocateBytes((full / 4) * 3 + (tail === 0 ? 0 : tail - 1));
  let alphabets = 0;
  let j = 0;
  for (let i = 0; i < full; i += 4) {
    const a = sextetAt(table, chars, i);
    const b = sextetAt(table, chars, i + 1);
    const c = sextetAt(table, chars, i + 2);
    const d = sextetAt(table, chars, i + 3);
    if ((a | b | c | d) < 0) return undefined;
    alphabets |= a | b | c | d;
    const n = ((a & 63) << 18) | ((b & 63) << 12) | ((c & 63) << 6) | (d & 63);
    out[j++] = n >> 16;
    out[j++] = (n >> 8) & 255;
    out[j++] = n & 255;
  }
  if (tail !== 0) {
    const a = sextetAt(table, chars, full);
    const b = sextetAt(table, chars, full + 1);
    const c = tail === 3 ? sextetAt(table, chars, full + 2) : 0;
    if ((a | b | c) < 0) return undefined;
    alphabets |= a | b | c;
    const n = ((a & 63) << 18) | ((b & 63) << 12) | ((c & 63) << 6);
    if ((n & (tail === 2 ? 0xffff : 0xff)) !== 0) return undefined;
    out[j++] = n >> 16;
    if (tail === 3) out[j] = (n >> 8) & 255;
  }
  return (alphabets & 0x300) === 0x300 ? undefined : out;
}

function sextetAt(table: Int16Array, chars: Uint8Array, index: number): number {
  return table[chars[index] as number] as number;
}

function decodeLooseBase64(base64: string, field: string): Uint8Array {
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
  const table = (pairs ??= buildPairTable());
  const outLength = Math.ceil(length / 3) * 4;
  const space = scratchSpace(outLength);
  const words = space.words;
  let j = 0;
  let i = 0;
  // Two groups of three bytes per iteration: the loop overhead rivals the body.
  for (const end = length - 5; i < end; i += 6, j += 4) {
    const n =
      ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number);
    const m =
      ((data[i + 3] as number) << 16) | ((data[i + 4] as number) << 8) | (data[i + 5] as number);
    words[j] = table[n >> 12] as number;
    words[j + 1] = table[n & 4095] as number;
    words[j + 2] = table[m >> 12] as number;
    words[j + 3] = table[m & 4095] as number;
  }
  for (const end = length - 2; i < end; i += 3) {
    const n =
      ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number);
    words[j++] = table[n >> 12] as number;
    words[j++] = table[n & 4095] as number;
  }
  const rest = length - i;
  if (rest > 0) {
    const n = ((data[i] as number) << 16) | (rest === 2 ? (data[i + 1] as number) << 8 : 0);
    const chars = space.bytes;
    const k = j * 2;
    chars[k] = ALPHABET.charCodeAt(n >> 18);
    chars[k + 1] = ALPHABET.charCodeAt((n >> 12) & 63);
    chars[k + 2] = rest === 2 ? ALPHABET.charCodeAt((n >> 6) & 63) : 61;
    chars[k + 3] = 61;
  }
  return asciiToString(space, outLength);
}

function buildPairTable(): Uint16Array {
  return charPairTable(
    4096,
    (v) => ALPHABET.charCodeAt(v >> 6),
    (v) => ALPHABET.charCodeAt(v & 63),
  );
}
