import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  resolveRetryOptions,
  retryDecision,
  type AttemptOutcome,
  type RetryOptions,
} from '../src/retry-policy.js';

const NOW = Date.parse('2015-10-21T07:27:00Z');
const defaults = resolveRetryOptions();
const low = (): number => 0;

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

describe('retryDecision', () => {
  const decide = (outcome: AttemptOutcome, attempt = 1, options: RetryOptions = {}) =>
    retryDecision(outcome, attempt, resolveRetryOptions(options), NOW, low);

  it.each([
    [429, true],
    [503, true],
    [500, false],
    [502, false],
    [504, false],
    [400, false],
    [401, false],
    [403, false],
    [404, false],
    [408, false],
    [409, false],
    [200, false],
    [202, false],
  ])('response %i: retry %s', (status, retry) => {
    expect(decide({ kind: 'response', status }).retry).toBe(retry);
  });

  it.each<[string, AttemptOutcome, RetryOptions, boolean]>([
    ['connect failure', { kind: 'network', beforeRequestSent: true }, {}, true],
    ['reset after sending', { kind: 'network', beforeRequestSent: false }, {}, false],
    [
      'reset after sending, retryOnReset',
      { kind: 'network', beforeRequestSent: false },
      { retryOnReset: true },
      true,
    ],
    ['timeout', { kind: 'timeout' }, {}, false],
    ['timeout, retryOnTimeout', { kind: 'timeout' }, { retryOnTimeout: true }, true],
    ['timeout, only retryOnReset', { kind: 'timeout' }, { retryOnReset: true }, false],
    [
      'reset, only retryOnTimeout',
      { kind: 'network', beforeRequestSent: false },
      { retryOnTimeout: true },
      false,
    ],
    [
      '500 with every opt-in',
      { kind: 'response', status: 500 },
      { retryOnReset: true, retryOnTimeout: true },
      false,
    ],
  ])('%s: retry %s', (_label, outcome, options, retry) => {
    expect(decide(outcome, 1, options).retry).toBe(retry);
  });

  it('says why it does not retry a non-retryable outcome', () => {
    expect(decide({ kind: 'response', status: 500 })).toEqual({
      retry: false,
      reason: 'not-retryable',
    });
  });

  it('uses the jittered backoff as the delay when there is no Retry-After', () => {
    expect(decide({ kind: 'network', beforeRequestSent: true }, 1)).toEqual({
      retry: true,
      delayMs: 125,
    });
    expect(decide({ kind: 'response', status: 503 }, 2)).toEqual({ retry: true, delayMs: 250 });
  });

  it.each([
    [1, { retry: true, delayMs: 125 }],
    [2, { retry: true, delayMs: 250 }],
    [3, { retry: false, reason: 'attempts-exhausted' }],
    [4, { retry: false, reason: 'attempts-exhausted' }],
  ])('stops at maxAttempts (3): after attempt %i', (attempt, expected) => {
    expect(decide({ kind: 'response', status: 429 }, attempt)).toEqual(expected);
  });

  it('never retries with maxAttempts 1', () => {
    expect(decide({ kind: 'response', status: 429 }, 1, { maxAttempts: 1 })).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
  });

  it.each<[string, string | null, object]>([
    ['seconds above the backoff', '2', { retry: true, delayMs: 2_000 }],
    ['seconds below the backoff', '0', { retry: true, delayMs: 125 }],
    ['an HTTP-date', 'Wed, 21 Oct 2015 07:27:07 GMT', { retry: true, delayMs: 7_000 }],
    ['an HTTP-date in the past', 'Wed, 21 Oct 2015 07:00:00 GMT', { retry: true, delayMs: 125 }],
    ['garbage', 'later', { retry: true, delayMs: 125 }],
    ['null', null, { retry: true, delayMs: 125 }],
    ['exactly the cap', '10', { retry: true, delayMs: 10_000 }],
    ['above the cap', '11', { retry: false, reason: 'retry-after-too-long', retryAfterMs: 11_000 }],
    [
      'an HTTP-date beyond the cap',
      'Wed, 21 Oct 2015 08:27:00 GMT',
      { retry: false, reason: 'retry-after-too-long', retryAfterMs: 3_600_000 },
    ],
  ])('429 with Retry-After %s', (_label, retryAfter, expected) => {
    expect(decide({ kind: 'response', status: 429, retryAfter })).toEqual(expected);
  });

  it('lets maxDelayMs raise the Retry-After cap', () => {
    expect(
      decide({ kind: 'response', status: 503, retryAfter: '20' }, 1, { maxDelayMs: 30_000 }),
    ).toEqual({ retry: true, delayMs: 20_000 });
  });

  it('reports attempts-exhausted before looking at Retry-After', () => {
    expect(decide({ kind: 'response', status: 503, retryAfter: '1' }, 3)).toEqual({
      retry: false,
      reason: 'attempts-exhausted',
    });
  });
});
