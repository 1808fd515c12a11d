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

const isNumber = (value: unknown): value is number => typeof value === 'number';
const isInteger = (value: unknown): value is number => Number.isInteger(value);

export const positiveInteger: Rule<number> = {
  test: (v): v is number => isInteger(v) && v > 0,
  must: 'a positive integer',
  range: true,
};

export const nonNegativeInteger: Rule<number> = {
  test: (v): v is number => isInteger(v) && v >= 0,
  must: 'a non-negative integer',
  range: true,
};

export const positiveNumber: Rule<number> = {
  test: (v): v is number => isNumber(v) && Number.isFinite(v) && v > 0,
  must: 'a positive number',
  range: true,
};

export const nonNegativeMilliseconds: Rule<number> = {
  test: (v): v is number => isNumber(v) && Number.isFinite(v) && v >= 0,
  must: 'a non-negative number of milliseconds',
  range: true,
};

export const nonEmptyString: Rule<string> = {
  test: (v): v is string => typeof v === 'string' && v !== '',
  must: 'a non-empty string',
};

export const anyString: Rule<string> = {
  test: (v): v is string => typeof v === 'string',
  must: 'a string',
};

export const integer: Rule<number> = { test: isInteger, must: 'an integer' };

export const object: Rule<object> = {
  test: (v): v is object => typeof v === 'object' && v !== null,
  must: 'an object',
};

export const aFunction: Rule<(...args: never[]) => unknown> = {
  test: (v): v is (...args: never[]) => unknown => typeof v === 'function',
  must: 'a function',
};

export const httpUrl: Rule<string> = {
  test: (v): v is string =>
    typeof v === 'string' && URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
  must: 'an http(s) URL',
};

export function integerFrom(min: number, max: number): Rule<number> {
  return {
    test: (v): v is number => isInteger(v) && v >= min && v <= max,
    must: `an integer from ${min} to ${max}`,
    range: true,
  };
}

export function numberFrom(min: number, max: number): Rule<number> {
  return {
    test: (v): v is number => isNumber(v) && v >= min && v <= max,
    must: `a number from ${min} to ${max}`,
    range: true,
  };
}

/** One of `allowed`; `range` for numbers (a status code), a TypeError for names. */
export function oneOf<T extends string | number>(allowed: readonly T[]): Rule<T> {
  const numeric = typeof allowed[0] === 'number';
  const listed = numeric
    ? `${allowed.slice(0, -1).join(', ')} or ${String(allowed.at(-1))}`
    : `one of ${allowed.join(', ')}`;
  return {
    test: (v): v is T => allowed.includes(v as T),
    must: listed,
    ...(numeric ? { range: true } : {}),
  };
}

/** A rule with other wording, for a value whose unit or purpose the message should say. */
export function described<T>(rule: Rule<T>, must: string): Rule<T> {
  return { ...rule, must };
}

/** Either rule, e.g. a positive integer or `Infinity`. */
export function either<T, U>(a: Rule<T>, b: Rule<U>, must: string): Rule<T | U> {
  return {
    test: (v): v is T | U => a.test(v) || b.test(v),
    must,
    ...(a.range || b.range ? { range: true } : {}),
  };
}

export const infinity: Rule<number> = {
  test: (v): v is number => v === Infinity,
  must: 'Infinity',
};

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
 * `value` when it passes `rule`; else throws naming `name`. `secret` leaves the value out of
 * the message (a client secret must not reach a log, even a wrong one).
 */
export function check<T>(
  name: string,
  value: unknown,
  rule: Rule<T>,
  how: { secret?: boolean } = {},
): T {
  if (rule.test(value)) return value;
  const got = how.secret ? '' : `; got ${shown(value)}`;
  const message = `${name} must be ${rule.must}${got}`;
  throw rule.range ? new RangeError(message) : new TypeError(message);
}
