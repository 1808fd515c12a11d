import { describeChar, describeType, wrongType } from './describe.js';
import { DownlinkError } from './errors.js';
import { nibble } from './hex.js';

/**
 * Normalises a DevEUI (EUI-64) as users paste it into 16 upper-case hex digits.
 *
 * Accepts lower case, and `-`, `:` or ASCII whitespace between digits (`00-18-B2-...`,
 * `0018:b200:...`, `00 18 B2 ...`). Anything else, or a digit count other than 16, is an
 * `INVALID_DEVEUI` error with the 0-based `position` when one character is at fault.
 *
 * @example
 * ```ts
 * import { normalizeDevEui } from '@dx/downlink-helpers';
 *
 * normalizeDevEui('00-18-b2-00-00-00-0b-20'); // '0018B20000000B20'
 * ```
 */
export function normalizeDevEui(input: string, options: { field?: string } = {}): string {
  const field = options.field ?? 'devEui';
  if (typeof input !== 'string') {
    throw wrongType(field, 'a string of 16 hex digits', input, 'INVALID_DEVEUI');
  }
  let out = '';
  let lastSeparatorAt = -1;
  for (let i = 0; i < input.length; i++) {
    const code = input.charCodeAt(i);
    if (nibble(code) >= 0) {
      if (out.length === 16) {
        throw new DownlinkError(
          'INVALID_DEVEUI',
          field,
          `too many hex digits: a DevEUI has 16, the 17th is at position ${i}`,
          { position: i },
        );
      }
      out += String.fromCharCode(code >= 97 ? code - 32 : code);
      lastSeparatorAt = -1;
    } else if (code === 32 || code === 9) {
      continue;
    } else if ((code === 45 || code === 58) && out.length > 0 && lastSeparatorAt < 0) {
      lastSeparatorAt = i;
    } else {
      throw new DownlinkError(
        'INVALID_DEVEUI',
        field,
        `invalid character ${describeChar(input, i)} at position ${i}`,
        { position: i },
      );
    }
  }
  if (lastSeparatorAt >= 0) {
    throw new DownlinkError(
      'INVALID_DEVEUI',
      field,
      `separator at position ${lastSeparatorAt} is not followed by a digit`,
      { position: lastSeparatorAt },
    );
  }
  if (out.length !== 16) {
    throw new DownlinkError(
      'INVALID_DEVEUI',
      field,
      `a DevEUI has 16 hex digits, got ${out.length}`,
    );
  }
  return out;
}
