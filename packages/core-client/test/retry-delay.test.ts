import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  AuthError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
} from '../src/errors.js';
import { resolveRetryOptions, retryDelay, type RetryOptions } from '../src/retry-policy.js';

/** The runtime's retry rule, read from the error it is about to throw. */
const info = { method: 'POST', url: 'https://h/devices/d1/downlinkMessages' };

afterEach(() => {
  vi.restoreAllMocks();
});

/** The wait after `attempt` for `error`, with the backoff's jitter at its low end (half a step). */
function delay(error: unknown, attempt = 1, options: RetryOptions = {}): number | undefined {
  vi.spyOn(Math, 'random').mockReturnValue(0);
  return retryDelay(error, attempt, resolveRetryOptions(options));
}

const answer = (status: number, retryAfterMs?: number) =>
  new ApiError(info, { status, statusText: '', body: undefined, retryAfterMs });
const network = (beforeRequestSent: boolean) =>
  new NetworkError(info, { code: 'X', beforeRequestSent });
const timeout = () => new TimeoutError(info, 100);

describe('retryDelay', () => {
  it.each([
    [429, 125],
    [503, 125],
    [500, undefined],
    [502, undefined],
    [504, undefined],
    [400, undefined],
    [401, undefined],
    [403, undefined],
    [404, undefined],
    [408, undefined],
    [409, undefined],
  ])('an answer %i: wait %s', (status, expected) => {
    expect(delay(answer(status))).toBe(expected);
  });

  it.each<[string, unknown, RetryOptions, number | undefined]>([
    ['connect failure', network(true), {}, 125],
    ['reset after sending', network(false), {}, undefined],
    ['reset after sending, retryOnReset', network(false), { retryOnReset: true }, 125],
    ['timeout', timeout(), {}, undefined],
    ['timeout, retryOnTimeout', timeout(), { retryOnTimeout: true }, 125],
    ['timeout, only retryOnReset', timeout(), { retryOnReset: true }, undefined],
    ['reset, only retryOnTimeout', network(false), { retryOnTimeout: true }, undefined],
    ['500 with every opt-in', answer(500), { retryOnReset: true, retryOnTimeout: true }, undefined],
  ])('%s: wait %s', (_label, error, options, expected) => {
    expect(delay(error, 1, options)).toBe(expected);
  });

  it.each([
    [1, 125],
    [2, 250],
    [3, undefined],
    [4, undefined],
  ])('backs off and stops at maxAttempts (3): after attempt %i, wait %s', (attempt, expected) => {
    expect(delay(answer(429), attempt)).toBe(expected);
  });

  it('never retries with maxAttempts 1', () => {
    expect(delay(answer(429), 1, { maxAttempts: 1 })).toBeUndefined();
  });

  it.each([
    ['above the backoff', 2_000, 2_000],
    ['below the backoff', 0, 125],
    ['exactly the cap', 10_000, 10_000],
    ['above the cap: no retry rather than a shorter wait', 11_000, undefined],
  ])('a Retry-After %s', (_label, retryAfterMs, expected) => {
    expect(delay(answer(429, retryAfterMs))).toBe(expected);
  });

  it('lets maxDelayMs raise the Retry-After cap', () => {
    expect(delay(answer(503, 20_000), 1, { maxDelayMs: 30_000 })).toBe(20_000);
  });

  it('stops at maxAttempts even when Retry-After is short', () => {
    expect(delay(answer(503, 1_000), 3)).toBeUndefined();
  });

  it('never retries a parse, auth or unknown error', () => {
    const options = { retryOnReset: true, retryOnTimeout: true };
    const parse = new ResponseParseError(info, { status: 200, contentType: undefined }, 'x');
    const auth = new AuthError('token-request', 'no', { status: 503 });
    for (const error of [parse, auth, new Error('x'), undefined]) {
      expect(delay(error, 1, options)).toBeUndefined();
    }
  });
});
