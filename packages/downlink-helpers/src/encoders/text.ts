import { checkFieldName, checkOptions } from '../checks.js';
import { charError, describeChar, wrongType } from '../describe.js';
import type { FieldOptions } from './hex.js';

let encoder: TextEncoder | undefined;

/**
 * Encodes text as UTF-8 bytes.
 *
 * A lone UTF-16 surrogate (half of an emoji, typically from cutting a string in the middle)
 * would silently become U+FFFD, so it is rejected with `INVALID_TEXT` and its position.
 *
 * @example
 * ```ts
 * import { textToBytes } from '@dx/downlink-helpers';
 *
 * textToBytes('OK'); // Uint8Array [79, 75]
 * textToBytes('°C'); // Uint8Array [194, 176, 67]
 * ```
 */
export function textToBytes(text: string, options?: FieldOptions): Uint8Array {
  const field = checkFieldName(checkOptions(options).field, 'text');
  if (typeof text !== 'string') {
    throw wrongType(field, 'a string', text);
  }
  // With the u flag a well-formed pair is one code point, so only lone surrogates match.
  const lone = text.search(/\p{Cs}/u);
  if (lone >= 0) {
    throw charError('INVALID_TEXT', field, `lone surrogate ${describeChar(text, lone)}`, lone);
  }
  encoder ??= new TextEncoder();
  return encoder.encode(text);
}
