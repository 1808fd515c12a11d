import { describeType, wrongType } from './describe.js';
import { DownlinkError } from './errors.js';
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
export function textToBytes(text: string, options: FieldOptions = {}): Uint8Array {
  const field = options.field ?? 'text';
  if (typeof text !== 'string') {
    throw wrongType(field, 'a string', text);
  }
  const lone = findLoneSurrogate(text);
  if (lone >= 0) {
    const code = text.charCodeAt(lone).toString(16).toUpperCase();
    throw new DownlinkError(
      'INVALID_TEXT',
      field,
      `lone surrogate U+${code} at position ${lone} cannot be encoded as UTF-8`,
      { position: lone },
    );
  }
  encoder ??= new TextEncoder();
  return encoder.encode(text);
}

function findLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(i + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      i++;
      continue;
    }
    return i;
  }
  return -1;
}
