/**
 * The one way the mock checks what a test gives it (options at start, control calls, fault
 * rules): each check names the option and what it must be, as in `options.port must be an
 * integer from 0 to 65535; got 70000`. A value of the wrong kind is a TypeError; one of the
 * right kind out of range is a RangeError.
 */

/** What a value must be: the test, its wording after "must be", and which error it raises. */
export interface Rule<T> {
  test(value: unknown): value is T;
  must: string;
  /** A RangeError (the right kind of value, out of range) rather than a TypeError. */
  range?: boolean;
}

function rule<T>(must: string, test: (value: unknown) => boolean, range = false): Rule<T> {
  return { test: test as Rule<T>['test'], must, range };
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);
const isInteger = (v: unknown): v is number => Number.isInteger(v);

export const positiveInteger = rule<number>(
  'a positive integer',
  (v) => isInteger(v) && v > 0,
  true,
);
export const nonNegativeInteger = rule<number>(
  'a non-negative integer',
  (v) => isInteger(v) && v >= 0,
  true,
);
export const positiveNumber = rule<number>(
  'a positive number',
  (v) => isNumber(v) && Number.isFinite(v) && v > 0,
  true,
);
export const nonNegativeMilliseconds = rule<number>(
  'a non-negative number of milliseconds',
  (v) => isNumber(v) && Number.isFinite(v) && v >= 0,
  true,
);
export const integer = rule<number>('an integer', isInteger);
export const nonEmptyString = rule<string>(
  'a non-empty string',
  (v) => typeof v === 'string' && v !== '',
);
export const anyString = rule<string>('a string', (v) => typeof v === 'string');
export const object = rule<object>('an object', (v) => typeof v === 'object' && v !== null);
export const aFunction = rule<(...args: never[]) => unknown>(
  'a function',
  (v) => typeof v === 'function',
);
export const httpUrl = rule<string>(
  'an http(s) URL',
  (v) => typeof v === 'string' && URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
);

export const integerFrom = (min: number, max: number): Rule<number> =>
  rule(`an integer from ${min} to ${max}`, (v) => isInteger(v) && v >= min && v <= max, true);

export const numberFrom = (min: number, max: number): Rule<number> =>
  rule(`a number from ${min} to ${max}`, (v) => isNumber(v) && v >= min && v <= max, true);

/** One of `allowed`: a RangeError for numbers (a status code), a TypeError for names. */
export function oneOf<T extends string | number>(allowed: readonly T[]): Rule<T> {
  const numeric = typeof allowed[0] === 'number';
  const must = numeric
    ? `${allowed.slice(0, -1).join(', ')} or ${String(allowed.at(-1))}`
    : `one of ${allowed.join(', ')}`;
  return rule(must, (v) => allowed.includes(v as T), numeric);
}

/** The same test, worded for what the value is for, e.g. `an http(s) URL of the mock`. */
export const described = <T>(base: Rule<T>, must: string): Rule<T> => ({ ...base, must });

/** How a refused value is quoted: strings in JSON quotes and cut short, objects by kind. */
function shown(value: unknown): string {
  if (typeof value === 'string') {
    const quoted = JSON.stringify(value);
    return quoted.length > 80 ? `${quoted.slice(0, 77)}..."` : quoted;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object' || typeof value === 'function') return typeof value;
  return String(value);
}

/**
 * `value` when it passes `expected`; else throws naming `name`. `secret` leaves the value out of
 * the message (a client secret must not reach a log, even a wrong one).
 */
export function check<T>(
  name: string,
  value: unknown,
  expected: Rule<T>,
  how: { secret?: boolean } = {},
): T {
  if (expected.test(value)) return value;
  const got = how.secret ? '' : `; got ${shown(value)}`;
  const message = `${name} must be ${expected.must}${got}`;
  throw expected.range ? new RangeError(message) : new TypeError(message);
}
