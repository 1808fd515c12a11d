import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  resolveRetryOptions,
  type RetryOptions,
} from '../src/retry-policy.js';

const NOW = Date.parse('2015-10-21T07:27:00Z');
const defaults = resolveRetryOptions();

describe('resolveRetryOptions', () => {
  it('fills in the documented defaults', () => {
    expect(resolveRetryOptions({})).toEqual({
      maxAttempts: 3,
      baseDelayMs: 250,
      maxDelayMs: 10_000,
      retryOnTimeout: false,
      retryOnReset: false,
    });
    expect(DEFAULT_RETRY_OPTIONS).toEqual(resolveRetryOptions({}));
  });

  it('keeps given values', () => {
    const given: RetryOptions = {
      maxAttempts: 1,
      baseDelayMs: 0,
      maxDelayMs: 30_000,
      retryOnTimeout: true,
      retryOnReset: true,
    };
    expect(resolveRetryOptions(given)).toEqual(given);
  });

  it.each([
    ['maxAttempts', 0, RangeError],
    ['maxAttempts', -1, RangeError],
    ['maxAttempts', 1.5, RangeError],
    ['maxAttempts', Infinity, RangeError],
    ['maxAttempts', NaN, TypeError],
    ['maxAttempts', '3', TypeError],
    ['baseDelayMs', -1, RangeError],
    ['baseDelayMs', Infinity, RangeError],
    ['baseDelayMs', null, TypeError],
    ['maxDelayMs', -0.5, RangeError],
    ['maxDelayMs', Infinity, RangeError],
    ['maxDelayMs', '10s', TypeError],
    ['retryOnTimeout', 'yes', TypeError],
    ['retryOnReset', 1, TypeError],
  ])('rejects %s = %s with an error naming the option', (name, value, ErrorClass) => {
    const call = (): unknown => resolveRetryOptions({ [name]: value } as RetryOptions);
    expect(call).toThrow(ErrorClass);
    expect(call).toThrow(name);
  });

  it('rejects a non-object', () => {
    expect(() => resolveRetryOptions(null as unknown as RetryOptions)).toThrow(TypeError);
  });
});

describe('parseRetryAfter', () => {
  it.each<[string, string | null | undefined, number | undefined]>([
    ['zero seconds', '0', 0],
    ['delta-seconds', '120', 120_000],
    ['delta-seconds with surrounding whitespace', ' 5 ', 5_000],
    ['IMF-fixdate one minute ahead', 'Wed, 21 Oct 2015 07:28:00 GMT', 60_000],
    ['RFC 850 date one minute ahead', 'Wednesday, 21-Oct-15 07:28:00 GMT', 60_000],
    ['asctime date one minute ahead', 'Wed Oct 21 07:28:00 2015', 60_000],
    ['asctime date with a single-digit day', 'Mon Nov  2 07:27:00 2015', 12 * 86_400_000],
    ['HTTP-date in the past (retry now)', 'Tue, 20 Oct 2015 07:27:00 GMT', 0],
    ['negative seconds', '-5', undefined],
    ['fractional seconds', '1.5', undefined],
    ['garbage', 'soon', undefined],
    ['a number followed by text', '12abc', undefined],
    ['ISO 8601 (not an HTTP-date)', '2015-10-21T07:28:00Z', undefined],
    ['an impossible hour', 'Wed, 21 Oct 2015 25:28:00 GMT', undefined],
    ['an unknown month', 'Wed, 21 Foo 2015 07:28:00 GMT', undefined],
    ['a date without GMT', 'Wed, 21 Oct 2015 07:28:00', undefined],
    ['empty', '', undefined],
    ['null (header absent)', null, undefined],
    ['undefined', undefined, undefined],
  ])('%s: %j', (_label, value, expected) => {
    expect(parseRetryAfter(value, NOW)).toBe(expected);
  });

  it('reads a two-digit RFC 850 year more than 50 years ahead as last century', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now)).toBe(0);
    expect(parseRetryAfter('Tuesday, 01-Jan-30 00:01:00 GMT', now)).toBe(60_000);
  });
});

describe('backoffDelay (equal jitter)', () => {
  it.each([
    [1, 0, 125],
    [1, 0.5, 187],
    [1, 0.999999, 249],
    [2, 0, 250],
    [2, 0.999999, 499],
    [3, 0, 500],
    [6, 0, 4_000],
    [7, 0, 5_000],
    [7, 0.999999, 9_999],
    [50, 0, 5_000],
    [5_000, 0.999999, 9_999],
  ])('attempt %i with random() = %f waits %i ms', (attempt, r, expected) => {
    expect(backoffDelay(attempt, defaults, () => r)).toBe(expected);
  });

  it.each([
    ['NaN', NaN, 125],
    ['below 0', -3, 125],
    ['above 1', 7, 250],
  ])('clamps a random() that returns %s', (_label, r, expected) => {
    expect(backoffDelay(1, defaults, () => r)).toBe(expected);
  });

  it.each([3, 2_000])('is 0 when baseDelayMs is 0 (attempt %i)', (attempt) => {
    expect(backoffDelay(attempt, { baseDelayMs: 0, maxDelayMs: 10_000 }, () => 0.9)).toBe(0);
  });

  it('stays within [step/2, step] and never above maxDelayMs', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 5_000 }),
        fc.integer({ min: 0, max: 60_000 }),
        (attempt, r, baseDelayMs, maxDelayMs) => {
          const delay = backoffDelay(attempt, { baseDelayMs, maxDelayMs }, () => r);
          const step =
            baseDelayMs === 0 ? 0 : Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          expect(delay).toBeGreaterThanOrEqual(Math.floor(step / 2));
          expect(delay).toBeLessThanOrEqual(step);
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('uses Math.random by default', () => {
    const spy = vi.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(backoffDelay(1, defaults)).toBe(125);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
