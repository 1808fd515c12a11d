/**
 * The client's option objects, checked field by field with the check functions of
 * `checks.ts`, and the rules only the client has (delays, URLs). Messages name the option and
 * the rule, never the value: it may be a secret.
 */
import { checkObject, checkString, optionError } from './checks.js';

/**
 * The longest wait a timer can hold: Node and browsers store the delay in a signed 32-bit
 * integer, and a longer one fires at once. Delays and timeouts above it (about 24.8 days) are
 * refused rather than clamped, so that a configuration never means something else than it says.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A base URL can't hold user info (it would be sent and quoted in errors), a query or a
 * fragment (the path appended to it would be corrupt).
 */
export const UNFIT_BASE = /^[^:/]*:\/\/[^/?#]*@|[?#]/;

/** One check per field of `T`, called with the value and the option's full name. */
export type FieldChecks<T> = { [K in keyof T]-?: (value: unknown, name: string) => T[K] };

/**
 * Checks that `source` is an object and each field listed in `checks` (named `<name>.<key>`).
 * A field left out (`undefined`) takes its entry in `defaults`; a field without one is
 * required. Unlisted keys are not copied.
 */
export function checkFields<T>(
  name: string,
  source: unknown,
  checks: FieldChecks<T>,
  defaults: Partial<T>,
): T {
  const given = checkObject(source, name);
  const result = {} as T;
  for (const key in checks) {
    const value = given[key];
    result[key] =
      value === undefined && key in defaults
        ? (defaults[key] as T[typeof key])
        : checks[key](value, `${name}.${key}`);
  }
  return result;
}

/**
 * A number in `0..max` (above 0 when `positive`). Infinity and `NaN` are always refused: an
 * unbounded timeout or delay would let one call park its caller forever.
 */
function checkAmount(value: unknown, name: string, positive: boolean, max: number): number {
  const rule = `a ${positive ? 'positive' : 'non-negative'} ${max < Infinity ? 'delay' : 'number'}`;
  const range = typeof value === 'number';
  if (range && (positive ? value > 0 : value >= 0) && value <= max && value < Infinity) {
    return value;
  }
  const most = range && max < Infinity ? ` of at most ${max} ms` : '';
  throw optionError({ name, expected: rule + most, type: 'a number', value, range });
}

/** A timer's delay in milliseconds, above 0, at most {@link MAX_TIMER_MS}. */
export function checkPositiveDelay(value: unknown, name: string): number {
  return checkAmount(value, name, true, MAX_TIMER_MS);
}

/** A timer's delay in milliseconds, 0 or more, at most {@link MAX_TIMER_MS}. */
export function checkNonNegativeDelay(value: unknown, name: string): number {
  return checkAmount(value, name, false, MAX_TIMER_MS);
}

/** A finite number of 0 or more. */
export function checkNonNegative(value: unknown, name: string): number {
  return checkAmount(value, name, false, Infinity);
}

/** An absolute http(s) URL without user info. The value is never quoted: it may hold a password. */
export function checkUrl(value: unknown, name: string): string {
  return checkFitUrl(value, name, false);
}

/** {@link checkUrl}, also without a query or a fragment: a base the client appends paths to. */
export function checkBaseUrl(value: unknown, name: string): string {
  return checkFitUrl(value, name, true);
}

function checkFitUrl(value: unknown, name: string, base: boolean): string {
  const text = checkString(value, name, (problem) =>
    optionError({ ...problem, expected: base ? 'a http(s) base URL' : 'a http(s) URL' }),
  );
  if (isFitUrl(text, base)) return text;
  const parts = base ? ', a query or a fragment' : '';
  throw new TypeError(`${name} must be an http(s) URL without user:pass@${parts}`);
}

function isFitUrl(value: string, base: boolean): boolean {
  try {
    const { protocol, username, password } = new URL(value);
    return (
      /^https?:$/.test(protocol) && !username && !password && !(base && UNFIT_BASE.test(value))
    );
  } catch {
    return false;
  }
}
