/**
 * Validation of caller-supplied options, table-driven so each factory states only which kind
 * each option is. Messages name the option and the problem, never the value: the value may be
 * a secret.
 */

/**
 * One letter per kind, so the tables stay short: `S` required non-empty string, `s` optional
 * one, `b` boolean, `f` function, `u` absolute http(s) URL, `p` positive number, `n`
 * non-negative number, `i` positive integer. Every kind but `S` accepts `undefined`.
 */
export type Kind = 'S' | 's' | 'b' | 'f' | 'u' | 'p' | 'n' | 'i';

/** What the value must be: the JavaScript type, then the rule named in the message. */
const RULES: Record<Kind, [type: string, rule: string]> = {
  S: ['string', 'must be a non-empty string'],
  s: ['string', 'must be a non-empty string'],
  b: ['boolean', 'must be a boolean'],
  f: ['function', 'must be a function'],
  u: ['string', 'is not a valid URL (http or https)'],
  p: ['number', 'must be a positive number'],
  n: ['number', 'must be a non-negative number'],
  i: ['number', 'must be a positive integer'],
};

/** Throws `new ErrorClass("<name> <problem>")`. */
export function fail(
  name: string,
  problem: string,
  ErrorClass: new (message: string) => Error = TypeError,
): never {
  throw new ErrorClass(`${name} ${problem}`);
}

function isHttpUrl(value: string): boolean {
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}

/**
 * Checks one value. A value of the wrong type is a `TypeError`; a number out of range a
 * `RangeError`. Infinity is always out of range: an unbounded timeout or delay would let one
 * call park its caller forever.
 */
export function option<T>(name: string, value: T, kind: Kind): T {
  if (value === undefined && kind !== 'S') return value;
  const [type, rule] = RULES[kind];
  // `value !== value` is NaN: a number by type, but never a valid one.
  if (typeof value !== type || value !== value) fail(name, rule);
  if (type === 'number') {
    const n = value as number;
    const inRange = (kind === 'n' ? n >= 0 : n > 0) && n < Infinity;
    if (!inRange || (kind === 'i' && !Number.isInteger(n))) fail(name, rule, RangeError);
  } else if (value === '' || (kind === 'u' && !isHttpUrl(value as string))) {
    fail(name, rule);
  }
  return value;
}

/**
 * Checks that `source` is an object and each option listed in `kinds` (as `<name>.<key>`);
 * returns `defaults` overlaid with the listed options that are set. Unlisted keys are not
 * copied.
 */
export function validate<T>(
  name: string,
  source: unknown,
  kinds: Record<string, Kind>,
  defaults?: object,
): T {
  if (typeof source !== 'object' || source === null) fail(name, 'must be an object');
  const result: Record<string, unknown> = { ...defaults };
  for (const key in kinds) {
    const value = option(`${name}.${key}`, (source as Record<string, unknown>)[key], kinds[key]!);
    if (value !== undefined) result[key] = value;
  }
  return result as T;
}
