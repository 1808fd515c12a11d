import { describe, expect, it } from 'vitest';
import {
  checkArray,
  checkBoolean,
  checkFunction,
  checkInteger,
  checkNumber,
  checkObject,
  checkString,
  optionError,
  type CheckFailure,
  type CheckProblem,
} from '../src/index.js';

describe('the check functions', () => {
  it('return the value they accept, unchanged', () => {
    const object = { a: 1 };
    const list = [1];
    const fn = (): void => {};
    expect(checkObject(object, 'o')).toBe(object);
    expect(checkObject(list, 'o')).toBe(list);
    expect(checkArray(list, 'a')).toBe(list);
    expect(checkString('x', 's')).toBe('x');
    expect(checkBoolean(false, 'b')).toBe(false);
    expect(checkFunction(fn, 'f')).toBe(fn);
    expect(checkNumber(Number.NaN, 'n')).toBeNaN();
    expect(checkInteger(255, 'i', 0, 255)).toBe(255);
    expect(checkInteger(2 ** 40, 'i', 1, Infinity)).toBe(2 ** 40);
  });

  it.each<[string, () => unknown, ErrorConstructor, string]>([
    ['a non-object', () => checkObject(null, 'options'), TypeError, 'options must be an object'],
    ['a non-array', () => checkArray({}, 'items'), TypeError, 'items must be an array'],
    [
      'an empty string',
      () => checkString('', 'auth.clientId'),
      TypeError,
      'auth.clientId must be a non-empty string',
    ],
    [
      'a boolean as text',
      () => checkBoolean('yes', 'retry.retryOnReset'),
      TypeError,
      'retry.retryOnReset must be a boolean',
    ],
    [
      'a non-function',
      () => checkFunction({}, 'options.fetch'),
      TypeError,
      'options.fetch must be a function',
    ],
    ['a number as text', () => checkNumber('1', 'n'), TypeError, 'n must be a number'],
    [
      '0 for a positive integer',
      () => checkInteger(0, 'retry.maxAttempts', 1, Infinity),
      RangeError,
      'retry.maxAttempts must be a positive integer',
    ],
    [
      'a fraction',
      () => checkInteger(1.5, 'retry.maxAttempts', 1, Infinity),
      RangeError,
      'retry.maxAttempts must be a positive integer',
    ],
    [
      'Infinity',
      () => checkInteger(Infinity, 'retry.maxAttempts', 1, Infinity),
      RangeError,
      'retry.maxAttempts must be a positive integer',
    ],
    [
      'NaN (a number by type, never a valid one)',
      () => checkInteger(Number.NaN, 'retry.maxAttempts', 1, Infinity),
      TypeError,
      'retry.maxAttempts must be a positive integer',
    ],
    [
      'a number above the range',
      () => checkInteger(256, 'channel', 0, 255),
      RangeError,
      'channel must be an integer in 0..255',
    ],
    [
      'a number below the range',
      () => checkInteger(-1, 'size', 0, 9),
      RangeError,
      'size must be an integer in 0..9',
    ],
    [
      'an integer of another type',
      () => checkInteger('3', 'retry.maxAttempts', 1, Infinity),
      TypeError,
      'retry.maxAttempts must be a positive integer',
    ],
  ])(
    'refuse %s with a typed error naming the option and the rule',
    (_label, call, ErrorClass, message) => {
      expect(call).toThrow(ErrorClass);
      expect(call).toThrow(new ErrorClass(message));
    },
  );

  it('never quote the value refused: it may be a secret', () => {
    const secret = 's3cret-value';
    for (const call of [
      () => checkInteger(secret, 'x', 0, 1),
      () => checkBoolean(secret, 'x'),
      () => checkNumber(secret, 'x'),
      () => checkObject(secret, 'x'),
    ]) {
      expect(call).toThrow(/^x must be/);
      expect(call).not.toThrow(secret);
    }
  });

  it('hand a failure function what is wrong, and throw what it returns', () => {
    const seen: CheckProblem[] = [];
    const fail: CheckFailure = (problem) => {
      seen.push(problem);
      return new SyntaxError(`${problem.name}!`);
    };
    expect(() => checkInteger(300, 'channel', 0, 255, fail)).toThrow(new SyntaxError('channel!'));
    expect(() => checkInteger('a', 'channel', 0, 255, fail)).toThrow(SyntaxError);
    expect(() => checkString('', 'field', fail)).toThrow(SyntaxError);
    expect(seen).toEqual([
      {
        name: 'channel',
        expected: 'an integer in 0..255',
        type: 'a number',
        value: 300,
        range: true,
      },
      {
        name: 'channel',
        expected: 'an integer in 0..255',
        type: 'a number',
        value: 'a',
        range: false,
      },
      {
        name: 'field',
        expected: 'a non-empty string',
        type: 'a non-empty string',
        value: '',
        range: false,
      },
    ]);
  });

  it('optionError: a RangeError only for a number out of range', () => {
    const problem = { name: 'n', expected: 'a positive delay', type: 'a number' };
    expect(optionError({ ...problem, value: -1, range: true })).toBeInstanceOf(RangeError);
    expect(optionError({ ...problem, value: Number.NaN, range: true })).toBeInstanceOf(TypeError);
    expect(optionError({ ...problem, value: '1', range: false })).toBeInstanceOf(TypeError);
  });
});
