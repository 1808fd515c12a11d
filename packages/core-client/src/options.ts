/**
 * Validation of caller-supplied options, table-driven: each factory lists its options with the
 * rule each must meet, in the words the error message uses. Messages name the option and the
 * rule, never the value: the value may be a secret.
 */

/**
 * The longest wait a timer can hold: Node and browsers store the delay in a signed 32-bit
 * integer, and a longer one fires at once. Delays and timeouts above it (about 24.8 days) are
 * refused rather than clamped, so that a configuration never means something else than it says.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * What an option must be. The last word gives the JavaScript type (`integer` is a number,
 * `URL` a string, `delay` a number of milliseconds up to {@link MAX_TIMER_MS}); `positive`
 * excludes 0. A `non-empty string` is required; every other rule accepts `undefined` (the
 * option is not set).
 */
export type Rule =
  | 'non-empty string'
  | 'boolean'
  | 'function'
  | 'http(s) URL'
  | 'http(s) base URL'
  | 'positive delay'
  | 'non-negative delay'
  | 'non-negative number'
  | 'positive integer';

const TYPES: Record<string, string> = {
  string: 'string',
  URL: 'string',
  boolean: 'boolean',
  function: 'function',
};

/** Throws `new ErrorClass("<name> <problem>")`. */
function fail(name: string, problem: string, ErrorClass: ErrorConstructor = TypeError): never {
  throw new ErrorClass(`${name} ${problem}`);
}

/**
 * A base URL can't hold user info (it would be sent and quoted in errors), a query or a
 * fragment (the path appended to it would be corrupt).
 */
export const UNFIT_BASE = /^[^:/]*:\/\/[^/?#]*@|[?#]/;

/** An absolute http(s) URL without user info; a `base` one also without query or fragment. */
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

/**
 * Checks one value. A value of the wrong type is a `TypeError`; a number out of range a
 * `RangeError`. Infinity is always out of range: an unbounded timeout or delay would let one
 * call park its caller forever.
 */
export function option<T>(name: string, value: T, rule: Rule): T {
  if (value === undefined && rule !== 'non-empty string') return value;
  const last = rule.slice(rule.lastIndexOf(' ') + 1);
  const type = TYPES[last] ?? 'number';
  // `value !== value` is NaN: a number by type, but never a valid one.
  if (typeof value !== type || value !== value) fail(name, `must be a ${rule}`);
  if (type === 'number') {
    const n = value as number;
    const max = last === 'delay' ? MAX_TIMER_MS : Infinity;
    const inRange = (rule[0] === 'p' ? n > 0 : n >= 0) && n < Infinity && n <= max;
    if (!inRange || (last === 'integer' && !Number.isInteger(n))) {
      const most = last === 'delay' ? ` of at most ${MAX_TIMER_MS} ms` : '';
      fail(name, `must be a ${rule}${most}`, RangeError);
    }
  } else if (value === '') {
    fail(name, `must be a ${rule}`);
  } else if (last === 'URL' && !isFitUrl(value as string, rule === 'http(s) base URL')) {
    // The value is never quoted: it may hold a password.
    const base = rule === 'http(s) base URL' ? ', a query or a fragment' : '';
    fail(name, `must be an http(s) URL without user:pass@${base}`);
  }
  return value;
}

/**
 * Checks that `source` is an object and each option listed in `rules` (named `<name>.<key>`);
 * returns `defaults` overlaid with the listed options that are set. Unlisted keys are not
 * copied.
 */
export function validate<T>(
  name: string,
  source: unknown,
  rules: Record<string, Rule>,
  defaults?: object,
): T {
  if (typeof source !== 'object' || source === null)
    throw new TypeError(`${name} must be an object`);
  const result: Record<string, unknown> = { ...defaults };
  for (const key in rules) {
    const value = option(`${name}.${key}`, (source as Record<string, unknown>)[key], rules[key]!);
    if (value !== undefined) result[key] = value;
  }
  return result as T;
}
