import { checkFieldName, checkOptions } from '../checks.js';
import { charError, describeChar, wrongType } from '../describe.js';
import { type FieldOptions, toByteArray } from './hex.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Tags {@link sextetOf} adds to the characters of one alphabet only. */
const STANDARD = 64;
const URL_SAFE = 128;

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
export function base64ToBytes(base64: string, options?: FieldOptions): Uint8Array {
  const field = checkFieldName(checkOptions(options).field, 'base64');
  if (typeof base64 !== 'string') {
    throw wrongType(field, 'a base64 string', base64);
  }
  // Line breaks and other blanks of wrapped base64 carry nothing.
  return (
    decodeBase64(base64) ??
    decodeBase64(base64.replace(/[\t-\r ]/g, '')) ??
    throwBase64Error(base64, field)
  );
}

/**
 * Base64 without blanks, in one alphabet, correctly padded or not padded at all; undefined
 * for anything else, so that the error can be found and reported.
 */
function decodeBase64(base64: string): Uint8Array | undefined {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  const data = base64.slice(0, base64.length - padding);
  // One leftover character holds 6 bits, not a byte; padding must complete the last group.
  if (data.length % 4 === 1 || (padding > 0 && base64.length % 4 !== 0)) {
    return undefined;
  }
  const bytes = new Uint8Array(Math.floor((data.length * 3) / 4));
  let alphabets = 0;
  let bits = 0;
  let bitCount = 0;
  let j = 0;
  for (let i = 0; i < data.length; i++) {
    const sextet = sextetOf(data.charCodeAt(i));
    if (sextet < 0) return undefined;
    alphabets |= sextet;
    // Only the low bits matter: those of finished bytes may drop off the top.
    bits = (bits << 6) | (sextet & 63);
    bitCount += 6;
    if (bitCount >= 8) {
      bitCount -= 8;
      bytes[j++] = bits >> bitCount;
    }
  }
  // 2 or 3 characters in the last group leave 4 or 2 bits no byte uses: they must be zero.
  const unusedBitsSet = (bits & ((1 << bitCount) - 1)) !== 0;
  const mixed = (alphabets & (STANDARD | URL_SAFE)) === (STANDARD | URL_SAFE);
  return unusedBitsSet || mixed ? undefined : bytes;
}

/** The value of a base64 character, tagged with its alphabet when only one has it; else -1. */
function sextetOf(code: number): number {
  if (code >= 65 && code <= 90) return code - 65; // A-Z
  if (code >= 97 && code <= 122) return code - 71; // a-z
  if (code >= 48 && code <= 57) return code + 4; // 0-9
  if (code === 43) return 62 | STANDARD; // +
  if (code === 47) return 63 | STANDARD; // /
  if (code === 45) return 62 | URL_SAFE; // -
  if (code === 95) return 63 | URL_SAFE; // _
  return -1;
}

/**
 * Finds the first problem in input the decoder rejected and throws it. Blanks aside, the
 * input must be data in one alphabet, then only padding; the longer of the two prefixes that
 * follow this ends at the first character in the wrong place. When all of it follows, the
 * counts are wrong or the last character has bits set that no byte uses.
 */
function throwBase64Error(base64: string, field: string): never {
  let at = Math.max(
    (/^[\t-\r \dA-Za-z+/]*[\t-\r =]*/.exec(base64) as RegExpExecArray)[0].length,
    (/^[\t-\r \w-]*[\t-\r =]*/.exec(base64) as RegExpExecArray)[0].length,
  );
  let problem: string;
  if (at < base64.length) {
    const known = /[\w+/-]/.test(base64.charAt(at));
    problem = `${known ? 'unexpected' : 'invalid base64 character'} ${describeChar(base64, at)}`;
  } else {
    const data = base64.replace(/[^\w+/-]/g, '').length;
    const padding = base64.split('=').length - 1;
    at = base64.search(/[\w+/-][^\w+/-]*$/);
    problem = 'non-zero unused bits';
    if (data % 4 === 1) problem = 'truncated input';
    // Padding is optional, but when present it must complete the last group.
    else if (padding > 0 && padding !== (-data & 3)) {
      at = base64.indexOf('=');
      problem = 'wrong padding';
    }
  }
  throw charError('INVALID_BASE64', field, problem, at);
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
  options?: FieldOptions,
): string {
  const data = toByteArray(bytes, checkFieldName(checkOptions(options).field, 'bytes'));
  let base64 = '';
  for (let i = 0; i < data.length; i += 3) {
    // Zero bits stand in for the missing bytes of the last group, as RFC 4648 says; the
    // characters made of those bits alone become '='.
    const group = ((data[i] ?? 0) << 16) | ((data[i + 1] ?? 0) << 8) | (data[i + 2] ?? 0);
    base64 += ALPHABET.charAt(group >> 18) + ALPHABET.charAt((group >> 12) & 63);
    base64 += i + 1 < data.length ? ALPHABET.charAt((group >> 6) & 63) : '=';
    base64 += i + 2 < data.length ? ALPHABET.charAt(group & 63) : '=';
  }
  return base64;
}
