/**
 * The option rules only the client has (delays, URLs), built like the shared ones in
 * `checks.ts`. Messages name the option and the rule, never the value: it may be a secret.
 */
import { checkString, optionError } from './checks.js';

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

/** `check(value)`, or `fallback` when the option is not set (`null` is set, and refused). */
export function ifSet<T, F>(value: unknown, fallback: F, check: (value: unknown) => T): T | F {
  return value === undefined ? fallback : check(value);
}

/**
 * A number in `0..max` (above 0 when `positive`). Infinity and `NaN` are always refused: an
 * unbounded timeout or delay would let one call park its caller forever.
 */
function checkAmount(
  value: unknown,
  name: string,
  positive: boolean,
  max: number,
  rule: string,
): number {
  const most = max < Infinity ? ` of at most ${max} ms` : '';
  if (typeof value !== 'number')
    throw optionError({ name, expected: rule, type: 'a number', value, range: false });
  const inRange = (positive ? value > 0 : value >= 0) && value <= max && value < Infinity;
  if (!inRange)
    throw optionError({ name, expected: rule + most, type: 'a number', value, range: true });
  return value;
}

/** A timer's delay in milliseconds: `positive` (above 0) or not, at most {@link MAX_TIMER_MS}. */
export function checkDelay(value: unknown, name: string, positive: boolean): number {
  const rule = positive ? 'a positive delay' : 'a non-negative delay';
  return checkAmount(value, name, positive, MAX_TIMER_MS, rule);
}

/** A finite number of 0 or more. */
export function checkNonNegative(value: unknown, name: string): number {
  return checkAmount(value, name, false, Infinity, 'a non-negative number');
}

/**
 * An absolute http(s) URL without user info; a `base` one also without query or fragment.
 * The value is never quoted: it may hold a password.
 */
export function checkUrl(value: unknown, name: string, base: boolean): string {
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
