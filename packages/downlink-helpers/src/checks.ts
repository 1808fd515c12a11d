/**
 * The argument checks the encoders and builders share. One helper per rule keeps every
 * message of one kind worded alike, and a bundle pays for each rule once.
 */
import { describeName, wrongType } from './describe.js';
import { DownlinkError, type DownlinkErrorCode } from './errors.js';

/** `value` if it is an object (arrays included); else `<field>: expected an object, got <type>`. */
export function checkObject(
  value: unknown,
  field: string,
  position?: number,
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null) {
    throw wrongType(field, 'an object', value, undefined, position);
  }
  return value as Record<string, unknown>;
}

/**
 * An optional `AbortSignal`: anything with a boolean `aborted` and the three methods the
 * senders call, so that a signal of another realm or polyfill passes and a look-alike that
 * would fail later (with a plain `TypeError`) is refused here.
 */
export function checkSignal(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  const signal = value as Partial<AbortSignal> | null;
  const ok =
    typeof signal?.aborted === 'boolean' &&
    typeof signal.addEventListener === 'function' &&
    typeof signal.removeEventListener === 'function' &&
    typeof signal.throwIfAborted === 'function';
  if (!ok) throw wrongType('signal', 'an AbortSignal', value);
  return value as AbortSignal;
}

/** An options argument: `{}` when left out; anything but an object is an `INVALID_ARGUMENT`. */
export function checkOptions(options: unknown): Record<string, unknown> {
  return options === undefined ? {} : checkObject(options, 'options');
}

/** The name errors give an input (the `field` option): a non-empty string, else `fallback`. */
export function checkFieldName(value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') {
    throw wrongType('field', 'a non-empty string', value);
  }
  return value;
}

/** `value` if it is an array; else `<field>: expected an array, got <type>`. */
export function checkArray(value: unknown, field: string, position?: number): unknown[] {
  if (!Array.isArray(value)) throw wrongType(field, 'an array', value, undefined, position);
  return value;
}

/** `value` if it is a number (`NaN` included); anything else is an `INVALID_ARGUMENT`. */
export function checkNumber(value: unknown, field: string, position?: number): number {
  if (typeof value !== 'number') throw wrongType(field, 'a number', value, undefined, position);
  return value;
}

/**
 * `value` if it is an integer in `min..max`. Anything that is not a number is an
 * `INVALID_ARGUMENT`; a number outside the range, a fraction or `NaN` a `VALUE_OUT_OF_RANGE`.
 */
export function checkInteger(
  value: unknown,
  field: string,
  min: number,
  max: number,
  position?: number,
): number {
  const n = checkNumber(value, field, position);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new DownlinkError(
      'VALUE_OUT_OF_RANGE',
      field,
      `${n} is not an integer in ${min}..${max}`,
      { position },
    );
  }
  return n;
}

/** `value`, or `fallback` when it is undefined; anything else is an `INVALID_ARGUMENT`. */
export function checkBoolean<T>(value: unknown, field: string, fallback: T): boolean | T {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw wrongType(field, 'a boolean', value);
  return value;
}

/** Index of `value` in `names`; else `code`, listing the names. Never matches a prototype key. */
export function oneOf(
  value: unknown,
  names: readonly string[],
  field: string,
  code: DownlinkErrorCode = 'INVALID_ARGUMENT',
  position?: number,
): number {
  const index = names.indexOf(value as string);
  if (index < 0) {
    throw new DownlinkError(
      code,
      field,
      `${describeName(value)} is not one of ${names.join(', ')}`,
      { position },
    );
  }
  return index;
}
