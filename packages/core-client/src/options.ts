/**
 * Validation of caller-supplied options, table-driven: each factory lists its options with the
 * rule each must meet, in the words the error message uses. Messages name the option and the
 * rule, never the value: the value may be a secret.
 */

/**
 * What an option must be. The last word gives the JavaScript type (`integer` is a number,
 * `URL` a string); `positive` excludes 0. A `non-empty string` is required; every other rule
 * accepts `undefined` (the option is not set).
 */
export type Rule =
  | 'non-empty string'
  | 'boolean'
  | 'function'
  | 'http(s) URL'
  | 'positive number'
  | 'non-negative number'
  | 'positive integer';

/** Throws `new ErrorClass("<name> must be a <rule>")` (URLs read better as "is not a valid URL"). */
function fail(name: string, rule: string, ErrorClass: ErrorConstructor = TypeError): never {
  const problem =
    rule === 'http(s) URL' ? 'is not a valid URL (http or https)' : `must be a ${rule}`;
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
export function option<T>(name: string, value: T, rule: Rule): T {
  if (value === undefined && rule !== 'non-empty string') return value;
  const last = rule.slice(rule.lastIndexOf(' ') + 1);
  const type = last === 'integer' ? 'number' : last === 'URL' ? 'string' : last;
  // `value !== value` is NaN: a number by type, but never a valid one.
  if (typeof value !== type || value !== value) fail(name, rule);
  if (type === 'number') {
    const n = value as number;
    const inRange = (rule[0] === 'p' ? n > 0 : n >= 0) && n < Infinity;
    if (!inRange || (last === 'integer' && !Number.isInteger(n))) fail(name, rule, RangeError);
  } else if (value === '' || (last === 'URL' && !isHttpUrl(value as string))) {
    fail(name, rule);
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
