import { checkFieldName, checkOptions } from '../checks.js';
import { describeType } from '../describe.js';
import { DownlinkError } from '../errors.js';
import { normalizeDevEui, trimmedRange } from './deveui.js';

/** DX refs are opaque ids; URL-unreserved characters keep them one unambiguous path segment. */
const REF = /^[\w.~-]{1,128}$/;
/** Only hex digits and the separators a DevEUI may be written with. */
const HEX_AND_SEPARATORS = /^[\da-f:\t -]+$/i;
/** Hex-only refs with this many digits are too close to a DevEUI to be taken for refs. */
const TYPO_DIGITS = { min: 12, max: 20 };

const REF_RULE = 'expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -)';

/**
 * Turns the `device` of a downlink (the spec's "ref or DevEUI") into the path parameter DX
 * gets, by one rule:
 *
 * 1. ASCII whitespace around it (spaces, tabs, line breaks) is ignored, as in
 *    {@link normalizeDevEui}.
 * 2. Only hex digits and separators (`-`, `:`, spaces, tabs) with 16 digits: a DevEUI, sent as
 *    16 upper-case digits (`00-18-b2-00-00-00-0b-20` becomes `0018B20000000B20`). A misplaced
 *    separator is `INVALID_DEVEUI` with its position.
 * 3. Only hex digits and separators with another count: `INVALID_DEVEUI`, as a DevEUI with a
 *    typo (`0018B20000000B2` has 15 digits), unless it is also a valid ref with fewer than 12
 *    or more than 20 digits, such as `cafe-01`, `1234` or a UUID.
 * 4. Otherwise 1..128 URL-unreserved characters (letters, digits, `.`, `_`, `~`, `-`), but not
 *    `.` or `..` (which would change the request path): a ref, sent unchanged.
 * 5. Anything else is `INVALID_DEVICE`.
 *
 * The result is always one safe path segment, and normalising it again gives it back.
 *
 * @example
 * ```ts
 * import { normalizeDevice } from '@dx/downlink-helpers';
 *
 * normalizeDevice('00-18-b2-00-00-00-0b-20'); // '0018B20000000B20' (DevEUI)
 * normalizeDevice(' cafe-01\n'); // 'cafe-01' (ref)
 * normalizeDevice('0018B20000000B2'); // throws INVALID_DEVEUI: 15 hex digits
 * normalizeDevice('..'); // throws INVALID_DEVICE
 * ```
 */
export function normalizeDevice(device: string, options?: { field?: string }): string {
  const field = checkFieldName(checkOptions(options).field, 'device');
  if (typeof device !== 'string') {
    throw new DownlinkError('INVALID_DEVICE', field, `${REF_RULE}, got ${describeType(device)}`);
  }
  const [start, end] = trimmedRange(device);
  const text = device.slice(start, end);
  if (text.length > 128) {
    throw new DownlinkError('INVALID_DEVICE', field, `${REF_RULE}, got ${text.length} characters`);
  }
  if (HEX_AND_SEPARATORS.test(text) && /[\da-f]/i.test(text)) {
    const digits = text.replace(/[^\da-f]/gi, '').length;
    if (digits === 16) return normalizeDevEui(device, { field });
    const couldBeRef = REF.test(text) && (digits < TYPO_DIGITS.min || digits > TYPO_DIGITS.max);
    if (!couldBeRef) {
      throw new DownlinkError(
        'INVALID_DEVEUI',
        field,
        `looks like a DevEUI with a typo: ${digits} hex digits, a DevEUI has 16`,
      );
    }
  }
  if (text === '.' || text === '..') {
    throw new DownlinkError(
      'INVALID_DEVICE',
      field,
      `expected a DevEUI or a device ref, got ${JSON.stringify(text)} (a dot segment would change the request path)`,
    );
  }
  if (!REF.test(text)) {
    throw new DownlinkError('INVALID_DEVICE', field, `${REF_RULE}, got ${JSON.stringify(text)}`);
  }
  return text;
}
