import { checkFieldName, checkOptions } from '../checks.js';
import { charError, describeChar, wrongType } from '../describe.js';
import { DownlinkError } from '../errors.js';

/**
 * As much of a DevEUI as `input` gets right: blanks, then at most 16 digits, each followed by
 * blanks and at most one separator, but not one that ends the input. What stops it is at
 * fault: a 17th digit, or a character out of place.
 */
const DEVEUI = /^[\t ]*(?:[\da-f][\t ]*(?:[:-](?![\t ]*$)[\t ]*)?){0,16}/i;

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
export function normalizeDevEui(input: string, options?: { field?: string }): string {
  const field = checkFieldName(checkOptions(options).field, 'devEui');
  if (typeof input !== 'string') {
    throw wrongType(field, 'a string of 16 hex digits', input, 'INVALID_DEVEUI');
  }
  const at = (DEVEUI.exec(input) as RegExpExecArray)[0].length;
  if (at < input.length) {
    const rest = input.slice(at);
    const problem = /^[\da-f]/i.test(rest)
      ? 'more than 16 hex digits'
      : `${/^[\t-\r :-]/.test(rest) ? 'unexpected' : 'invalid hex digit'} ${describeChar(input, at)}`;
    throw charError('INVALID_DEVEUI', field, problem, at);
  }
  const digits = input.replace(/[^\da-f]/gi, '').toUpperCase();
  if (digits.length !== 16) {
    throw new DownlinkError(
      'INVALID_DEVEUI',
      field,
      `expected 16 hex digits, got ${digits.length}`,
    );
  }
  return digits;
}
