/**
 * Validation of caller-supplied options, shared by every factory of the package so each check
 * and each message exists once. Messages name the option and the problem, never the value: the
 * value may be a secret.
 */

/** Throws `new ErrorClass("<name> <problem>")`. */
export function fail(
  name: string,
  problem: string,
  ErrorClass: new (message: string) => Error = TypeError,
): never {
  throw new ErrorClass(`${name} ${problem}`);
}

/** A required non-empty string. */
export function stringOption(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') fail(name, 'must be a non-empty string');
  return value;
}

/** An optional boolean: `undefined` stays `undefined`. */
export function booleanOption(name: string, value: unknown): boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') fail(name, 'must be a boolean');
  return value;
}

/** An optional function, such as a `fetch` implementation. */
export function functionOption<F>(name: string, value: F): F {
  if (value !== undefined && typeof value !== 'function') fail(name, 'must be a function');
  return value;
}

/**
 * An optional finite number: `undefined` gives `fallback`; a non-number (or NaN) is a
 * `TypeError`, a number out of range a `RangeError`. Infinity is always out of range: an
 * unbounded timeout or delay would let one call park its caller forever.
 */
export function numberOption(
  name: string,
  value: unknown,
  fallback: number,
  positive: boolean,
  integer = false,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) fail(name, 'must be a number');
  const inRange = (positive ? value > 0 : value >= 0) && value < Infinity;
  if (!inRange || (integer && !Number.isInteger(value))) {
    const kind = integer ? 'integer' : 'number';
    fail(name, `must be a ${positive ? 'positive' : 'non-negative'} ${kind}`, RangeError);
  }
  return value;
}

/** An absolute http(s) URL, returned as given. */
export function urlOption(name: string, value: unknown): string {
  let protocol = '';
  try {
    protocol = new URL(value as string).protocol;
  } catch {
    // Reported below, with every other way of not being a URL.
  }
  if (typeof value !== 'string' || !/^https?:$/.test(protocol)) {
    fail(name, 'is not a valid URL (http or https)');
  }
  return value;
}
