/**
 * The argument checks the encoders and builders share: `@dx/core-client`'s check functions,
 * reporting a `DownlinkError` (`INVALID_ARGUMENT` for a wrong type, `VALUE_OUT_OF_RANGE` for a
 * number out of range) that names the field and, for a position in an input, where.
 */
// The client's values come in as one namespace in every module of this package: the built
// file then holds one import of the client, which a bundle that leaves the client out keeps
// whole (named imports would all stay, used or not).
import * as core from '@dx/core-client';
import type { CheckFailure } from '@dx/core-client';
import { describeName, describeValue, wrongType } from './describe.js';
import { DownlinkError, type DownlinkErrorCode } from './errors.js';

/** `<field>: expected <type>, got <type>`: what the checks of a type report. */
function wrongTypeAt(position?: number): CheckFailure {
  return ({ name, type, value }) => wrongType(name, type, value, undefined, position);
}

/** `value` if it is an object (arrays included); else `<field>: expected an object, got <type>`. */
export function checkObject(
  value: unknown,
  field: string,
  position?: number,
): Record<string, unknown> {
  return core.checkObject(value, field, wrongTypeAt(position));
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
  return value === undefined ? fallback : core.checkString(value, 'field', wrongTypeAt());
}

/** `value` if it is an array; else `<field>: expected an array, got <type>`. */
export function checkArray(value: unknown, field: string, position?: number): unknown[] {
  return core.checkArray(value, field, wrongTypeAt(position));
}

/** `value` if it is a number (`NaN` included); anything else is an `INVALID_ARGUMENT`. */
export function checkNumber(value: unknown, field: string, position?: number): number {
  return core.checkNumber(value, field, wrongTypeAt(position));
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
  const fail: CheckFailure = (problem) =>
    problem.range
      ? new DownlinkError(
          'VALUE_OUT_OF_RANGE',
          field,
          `${describeValue(problem.value)} is not ${problem.expected}`,
          { position },
        )
      : wrongTypeAt(position)(problem);
  return core.checkInteger(value, field, min, max, fail);
}

/** `value`, or `fallback` when it is undefined; anything else is an `INVALID_ARGUMENT`. */
export function checkBoolean<T>(value: unknown, field: string, fallback: T): boolean | T {
  return value === undefined ? fallback : core.checkBoolean(value, field, wrongTypeAt());
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
