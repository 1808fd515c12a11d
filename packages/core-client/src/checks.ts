/**
 * The option checks of the `@dx/*` packages: one plain function per kind of value, each
 * returning the value or throwing the error its caller's package throws. The checks decide what
 * is wrong; a {@link CheckFailure} decides the words and the class, so `@dx/core-client`
 * throws `TypeError`/`RangeError` and `@dx/downlink-helpers` its `DownlinkError` from the same
 * rules.
 */

/**
 * What a check found wrong with one value.
 *
 * @example
 * ```ts
 * const problem: CheckProblem = {
 *   name: 'retry.maxAttempts',
 *   expected: 'a positive integer',
 *   type: 'a number',
 *   value: 0,
 *   range: true,
 * };
 * ```
 */
export interface CheckProblem {
  /** The option or field, e.g. `options.timeoutMs`. */
  name: string;
  /** What the value must be, in the words of a message, e.g. `an integer in 0..255`. */
  expected: string;
  /** The kind of value the check takes (`a number`), for a message about a wrong type. */
  type: string;
  /** The value refused. Show it only where it can't be a secret (a number). */
  value: unknown;
  /** Right type, wrong value: a number out of range, a fraction or `NaN`. */
  range: boolean;
}

/**
 * Builds the error a check throws. The default, {@link optionError}, is `@dx/core-client`'s.
 *
 * @example
 * ```ts
 * const fail: CheckFailure = ({ name, expected }) => new Error(`${name}: not ${expected}`);
 * checkBoolean('yes', 'verbose', fail); // throws Error: verbose: not a boolean
 * ```
 */
export type CheckFailure = (problem: CheckProblem) => Error;

/**
 * `<name> must be <expected>`, never quoting the value (it may be a secret): a `RangeError`
 * for a number out of range, else a `TypeError`. `NaN` is a number by type, but never a valid
 * one: a `TypeError`.
 *
 * @example
 * ```ts
 * throw optionError({ name: 'timeoutMs', expected: 'a positive delay', type: 'a number', value: -1, range: true });
 * // RangeError: timeoutMs must be a positive delay
 * ```
 */
export function optionError(problem: CheckProblem): Error {
  const { name, expected, value, range } = problem;
  const ErrorClass = range && !Number.isNaN(value) ? RangeError : TypeError;
  return new ErrorClass(`${name} must be ${expected}`);
}

function refuse(
  fail: CheckFailure,
  name: string,
  value: unknown,
  type: string,
  expected = type,
  range = false,
): never {
  throw fail({ name, expected, type, value, range });
}

/**
 * `value` if it is an object (arrays included).
 *
 * @example
 * ```ts
 * const options = checkObject(input, 'options'); // TypeError: options must be an object
 * ```
 */
export function checkObject(
  value: unknown,
  name: string,
  fail: CheckFailure = optionError,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) refuse(fail, name, value, 'an object');
  return value as Record<string, unknown>;
}

/**
 * `value` if it is an array.
 *
 * @example
 * ```ts
 * const items = checkArray(input, 'items'); // TypeError: items must be an array
 * ```
 */
export function checkArray(
  value: unknown,
  name: string,
  fail: CheckFailure = optionError,
): unknown[] {
  if (!Array.isArray(value)) refuse(fail, name, value, 'an array');
  return value;
}

/**
 * `value` if it is a string other than `''`.
 *
 * @example
 * ```ts
 * const id = checkString(input, 'auth.clientId'); // TypeError: auth.clientId must be a non-empty string
 * ```
 */
export function checkString(
  value: unknown,
  name: string,
  fail: CheckFailure = optionError,
): string {
  if (typeof value !== 'string' || value === '') refuse(fail, name, value, 'a non-empty string');
  return value;
}

/**
 * `value` if it is a boolean.
 *
 * @example
 * ```ts
 * const confirm = checkBoolean(input, 'confirm'); // TypeError: confirm must be a boolean
 * ```
 */
export function checkBoolean(
  value: unknown,
  name: string,
  fail: CheckFailure = optionError,
): boolean {
  if (typeof value !== 'boolean') refuse(fail, name, value, 'a boolean');
  return value;
}

/**
 * `value` if it is a function.
 *
 * @example
 * ```ts
 * const fetchImpl = checkFunction(input, 'fetch'); // TypeError: fetch must be a function
 * ```
 */
export function checkFunction<F = (...args: never[]) => unknown>(
  value: unknown,
  name: string,
  fail: CheckFailure = optionError,
): F {
  if (typeof value !== 'function') refuse(fail, name, value, 'a function');
  return value as F;
}

/**
 * `value` if it is a number, `NaN` and the infinities included (the range checks refuse them).
 *
 * @example
 * ```ts
 * const celsius = checkNumber(input, 'temperature'); // TypeError: temperature must be a number
 * ```
 */
export function checkNumber(
  value: unknown,
  name: string,
  fail: CheckFailure = optionError,
): number {
  if (typeof value !== 'number') refuse(fail, name, value, 'a number');
  return value;
}

/** `an integer in 0..255`; `a positive integer` for `1..Infinity`. */
function integerRule(min: number, max: number): string {
  if (max < Infinity) return `an integer in ${min}..${max}`;
  return min === 1 ? 'a positive integer' : `an integer of at least ${min}`;
}

/**
 * `value` if it is an integer in `min..max` (`max` may be `Infinity`; the value never is).
 *
 * @example
 * ```ts
 * checkInteger(0, 'retry.maxAttempts', 1, Infinity); // RangeError: retry.maxAttempts must be a positive integer
 * checkInteger(300, 'channel', 0, 255); // RangeError: channel must be an integer in 0..255
 * ```
 */
export function checkInteger(
  value: unknown,
  name: string,
  min: number,
  max: number,
  fail: CheckFailure = optionError,
): number {
  const rule = integerRule(min, max);
  const n = typeof value === 'number' ? value : refuse(fail, name, value, 'a number', rule);
  if (!Number.isInteger(n) || n < min || n > max) refuse(fail, name, n, 'a number', rule, true);
  return n;
}
