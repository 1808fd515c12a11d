import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  ApiError,
  AuthError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
} from '../src/errors.js';
import {
  resolveRetryOptions,
  retryDecision,
  retryDelay,
  type AttemptOutcome,
  type RetryOptions,
} from '../src/retry-policy.js';

/** The runtime decides from the error it is about to throw; it must agree with retryDecision. */
const info = { method: 'POST', url: 'https://h/devices/d1/downlinkMessages' };
const NOW = Date.parse('2015-10-21T07:27:00Z');

afterEach(() => {
  vi.restoreAllMocks();
});

function errorFor(outcome: AttemptOutcome): unknown {
  if (outcome.kind === 'timeout') return new TimeoutError(info, 100);
  if (outcome.kind === 'network') {
    return new NetworkError(info, { code: 'X', beforeRequestSent: outcome.beforeRequestSent });
  }
  const { status, retryAfter } = outcome;
  const retryAfterMs = retryAfter ? Number(retryAfter) * 1000 : undefined;
  return new ApiError(info, { status, statusText: '', body: undefined, retryAfterMs });
}

describe('retryDelay (the runtime side of retryDecision)', () => {
  it.each<[AttemptOutcome, RetryOptions]>([
    [{ kind: 'response', status: 429 }, {}],
    [{ kind: 'response', status: 503, retryAfter: '2' }, {}],
    [{ kind: 'response', status: 503, retryAfter: '11' }, {}],
    [
      { kind: 'response', status: 500 },
      { retryOnReset: true, retryOnTimeout: true },
    ],
    [{ kind: 'response', status: 401 }, {}],
    [{ kind: 'network', beforeRequestSent: true }, {}],
    [{ kind: 'network', beforeRequestSent: false }, {}],
    [{ kind: 'network', beforeRequestSent: false }, { retryOnReset: true }],
    [{ kind: 'timeout' }, {}],
    [{ kind: 'timeout' }, { retryOnTimeout: true }],
    [{ kind: 'timeout' }, { retryOnReset: true }],
  ])('agrees with retryDecision for %j with %j', (outcome, given) => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const options = resolveRetryOptions(given);
    for (const attempt of [1, 2, 3]) {
      const decision = retryDecision(outcome, attempt, options, NOW, Math.random);
      const expected = decision.retry ? decision.delayMs : undefined;
      expect(retryDelay(errorFor(outcome), attempt, options)).toBe(expected);
    }
  });

  it('never retries a parse, auth or unknown error', () => {
    const options = resolveRetryOptions({ retryOnReset: true, retryOnTimeout: true });
    const parse = new ResponseParseError(info, { status: 200, contentType: undefined }, 'x');
    const auth = new AuthError('token-request', 'no', { status: 503 });
    for (const error of [parse, auth, new Error('x'), undefined]) {
      expect(retryDelay(error, 1, options)).toBeUndefined();
    }
  });
});
