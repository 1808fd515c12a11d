import { checkFieldName, checkOptions } from '../checks.js';
import { charError, describeChar, wrongType } from '../describe.js';
import { DownlinkError } from '../errors.js';

/**
 * As much of a trimmed DevEUI as `input` gets right: at most 16 digits, each followed by
 * blanks and at most one separator, but not one that ends the input. What stops it is at
 * fault: a 17th digit, or a character out of place.
 */
const DEVEUI = /^(?:[\da-f][\t ]*(?:[:-](?![\t ]*$)[\t ]*)?){0,16}/i;

/**
 * Where `text` starts and ends without the ASCII whitespace around it (space, tab, CR, LF,
 * VT, FF), as a line pasted from a file or terminal has it. One rule for DevEUIs and refs.
 */
export function trimmedRange(text: string): [start: number, end: number] {
  const isBlank = (at: number) => /[\t-\r ]/.test(text.charAt(at));
  let start = 0;
  let end = text.length;
  while (start < end && isBlank(start)) start++;
  while (end > start && isBlank(end - 1)) end--;
  return [start, end];
}

/**
 * Normalises a DevEUI (EUI-64) as users paste it into 16 upper-case hex digits.
 *
 * Accepts lower case, and `-`, `:`, spaces or tabs between digits (`00-18-B2-...`,
 * `0018:b200:...`, `00 18 B2 ...`); ASCII whitespace around it (a line break included) is
 * ignored. Anything else, or a digit count other than 16, is an
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
  const [start, end] = trimmedRange(input);
  const text = input.slice(start, end);
  const matched = (DEVEUI.exec(text) as RegExpExecArray)[0].length;
  if (matched < text.length) {
    // Positions count in the input as given, surrounding whitespace included.
    const at = start + matched;
    const rest = input.slice(at);
    const problem = /^[\da-f]/i.test(rest)
      ? 'more than 16 hex digits'
      : `${/^[\t-\r :-]/.test(rest) ? 'unexpected' : 'invalid hex digit'} ${describeChar(input, at)}`;
    throw charError('INVALID_DEVEUI', field, problem, at);
  }
  const digits = text.replace(/[^\da-f]/gi, '').toUpperCase();
  if (digits.length !== 16) {
    throw new DownlinkError(
      'INVALID_DEVEUI',
      field,
      `expected 16 hex digits, got ${digits.length}`,
    );
  }
  return digits;
}
