/**
 * The mock's one option checker: the message names the option, says what it must be and
 * quotes what it got (never a secret, never a whole long string); the error type says which.
 */
import { describe, expect, it } from 'vitest';
import { aFunction, check, integerFrom, nonEmptyString, object, oneOf } from '../src/checks.js';

const thrown = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('did not throw');
};

describe('check', () => {
  it('returns the value that passes', () => {
    expect(check('options.port', 8080, integerFrom(0, 65535))).toBe(8080);
  });

  it.each([
    [
      () => check('options.port', 1.5, integerFrom(0, 65535)),
      RangeError,
      'options.port must be an integer from 0 to 65535; got 1.5',
    ],
    [
      () => check('options.target', 'all', oneOf(['api', 'token'])),
      TypeError,
      'options.target must be one of api, token; got "all"',
    ],
    [
      () => check('options.redirectStatus', 200, oneOf([301, 307])),
      RangeError,
      'options.redirectStatus must be 301 or 307; got 200',
    ],
    [
      () => check('options.now', [1], aFunction),
      TypeError,
      'options.now must be a function; got an array',
    ],
    [
      () => check('options.handlers', null, object),
      TypeError,
      'options.handlers must be an object; got null',
    ],
  ])('words a refusal (%#)', (fn, type, message) => {
    const error = thrown(fn);
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(message);
  });

  it('quotes a long string cut short', () => {
    const { message } = thrown(() => check('options.spec', 'x'.repeat(500), object));
    expect(message).toBe(`options.spec must be an object; got "${'x'.repeat(76)}..."`);
  });

  it('leaves a secret out of the message', () => {
    const { message } = thrown(() =>
      check('options.clientSecret', '', nonEmptyString, { secret: true }),
    );
    expect(message).toBe('options.clientSecret must be a non-empty string');
  });
});
