import { expect } from 'vitest';
import { DownlinkError, type DownlinkErrorCode } from '../src/index.js';

/** Runs `fn`, asserts it throws a DownlinkError with this code (and field/position), returns it. */
export function expectDownlinkError(
  fn: () => unknown,
  code: DownlinkErrorCode,
  field?: string,
  position?: number,
): DownlinkError {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(DownlinkError);
  const error = thrown as DownlinkError;
  expect(error.code).toBe(code);
  if (field !== undefined) expect(error.field).toBe(field);
  if (position !== undefined) expect(error.position).toBe(position);
  expect(error.message.startsWith(`${error.field}: `)).toBe(true);
  return error;
}

/**
 * What `fn` returns, or `undefined` when it throws a DownlinkError: any other exception fails.
 * A property test then checks the value it got, not only that nothing else was thrown.
 */
export function valueOrDownlinkError<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof DownlinkError) return undefined;
    throw err;
  }
}
