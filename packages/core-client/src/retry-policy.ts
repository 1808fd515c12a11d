/**
 * When a failed request may be sent again, and how long to wait first.
 *
 * A downlink POST is not idempotent: a retry after the server may have queued the message can
 * make a device act twice. So this module only says "retry" where the message certainly was not
 * accepted (the connection never opened, or the server answered 429/503), unless the caller
 * explicitly opts in to retrying after a timeout or a mid-request reset.
 *
 * Everything here is pure: the runtime owns the waiting, so that cancel() can end a wait.
 */

import { ApiError, NetworkError, TimeoutError } from './errors.js';
import { checkBoolean, checkInteger } from './checks.js';
import { checkFields, checkNonNegativeDelay } from './options.js';

/**
 * Caller-facing retry settings. Every field is optional; see `resolveRetryOptions` for
 * the defaults.
 *
 * @example
 * ```ts
 * const retry: RetryOptions = { maxAttempts: 5, maxDelayMs: 30_000 };
 * ```
 */
export interface RetryOptions {
  /** Total attempts including the first; `1` disables retries. Default `3`. */
  maxAttempts?: number;
  /** Backoff step before the first retry, doubled for each further one. Default `250`. */
  baseDelayMs?: number;
  /** Upper bound of any wait, including one asked for by `Retry-After`. Default `10000`. */
  maxDelayMs?: number;
  /** Retry after a timeout, accepting that the device may act twice. Default `false`. */
  retryOnTimeout?: boolean;
  /** Retry after a reset that may have happened once the request was sent. Default `false`. */
  retryOnReset?: boolean;
}

/**
 * {@link RetryOptions} with every default filled in and every value validated.
 *
 * @example
 * ```ts
 * const resolved: ResolvedRetryOptions = resolveRetryOptions({ maxAttempts: 1 });
 * ```
 */
export type ResolvedRetryOptions = Readonly<Required<RetryOptions>>;

/**
 * The defaults applied by `resolveRetryOptions`.
 *
 * @example
 * ```ts
 * const twiceTheDefaultCap = DEFAULT_RETRY_OPTIONS.maxDelayMs * 2;
 * ```
 */
export const DEFAULT_RETRY_OPTIONS: ResolvedRetryOptions = Object.freeze({
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 10_000,
  retryOnTimeout: false,
  retryOnReset: false,
});

/**
 * Fills in defaults and validates. Throws `TypeError` for a value of the wrong type and
 * `RangeError` for a number out of range, naming the option in both cases, so a typo in
 * configuration fails at construction rather than silently disabling retries.
 *
 * @example
 * ```ts
 * resolveRetryOptions({ maxAttempts: 5 }); // { maxAttempts: 5, baseDelayMs: 250, ... }
 * resolveRetryOptions({ maxAttempts: 0 }); // throws RangeError: retry.maxAttempts ...
 * ```
 */
export function resolveRetryOptions(partial: RetryOptions = {}): ResolvedRetryOptions {
  const checks = {
    maxAttempts: (value: unknown, name: string) => checkInteger(value, name, 1, Infinity),
    baseDelayMs: checkNonNegativeDelay,
    maxDelayMs: checkNonNegativeDelay,
    retryOnTimeout: checkBoolean,
    retryOnReset: checkBoolean,
  };
  return Object.freeze(checkFields('retry', partial, checks, DEFAULT_RETRY_OPTIONS));
}

// The three HTTP-date forms of RFC 9110 §5.6.7 (IMF-fixdate, RFC 850, asctime), by shape only:
// `Date.parse` alone accepts almost anything ("1", ISO 8601, local times), so the shape gate
// comes first and `Date.parse` then does the calendar work (it refuses hour 25, month "Foo").
// An RFC 850 two-digit year is read by the engine (V8: 00-49 are 20xx); servers send IMF-fixdate.
const HTTP_DATE = /^[A-Z][a-z]+,? [\w -]+ \d\d:\d\d:\d\d (?:GMT|\d{4})$/;

/**
 * Reads a `Retry-After` header value as a wait in milliseconds from `nowMs`.
 *
 * Accepts delta-seconds (`"120"`) and the three HTTP-date forms. Returns `undefined` for a
 * missing, negative or unparseable value; an HTTP-date in the past gives `0` (the server says
 * "now"). The result is not capped here: the client compares it with `maxDelayMs` before it retries.
 *
 * @example
 * ```ts
 * parseRetryAfter('120', Date.now()); // 120000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:27:00Z')); // 60000
 * parseRetryAfter('soon', Date.now()); // undefined
 * ```
 */
export function parseRetryAfter(
  headerValue: string | null | undefined,
  nowMs: number,
): number | undefined {
  if (typeof headerValue !== 'string') return undefined;
  const value = headerValue.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  if (!HTTP_DATE.test(value)) return undefined;
  // asctime carries no zone but is GMT by definition; left alone, Date.parse would read local time.
  const dateMs = Date.parse(value.endsWith('GMT') ? value : `${value} GMT`);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/**
 * Wait before the retry that follows attempt number `attempt` (1-based: pass `1` after the
 * first attempt failed). The one backoff rule of the `@dx/*` packages: the client's retries and
 * `@dx/downlink-helpers`' fleet runs both wait by it.
 *
 * Exponential (`baseDelayMs * 2^(attempt-1)`, capped at `maxDelayMs`) with **equal jitter**:
 * the result lies in `[step/2, step]`. Equal rather than full jitter because the main retry
 * triggers are 429 and 503 without a `Retry-After`: full jitter can draw an almost immediate
 * retry into an overloaded server, while half the step still spreads clients apart.
 *
 * @example
 * ```ts
 * backoffDelay(1, DEFAULT_RETRY_OPTIONS, () => 0); // 125 (half of 250)
 * backoffDelay(2, DEFAULT_RETRY_OPTIONS, () => 1); // 500
 * backoffDelay(3, DEFAULT_RETRY_OPTIONS); // 500..1000, drawn with Math.random
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  // Capped so 2^exponent stays finite: 0 * Infinity would make the delay NaN.
  const exponent = Math.min(1023, Math.max(0, Math.floor(attempt) - 1));
  const half = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent) / 2;
  return Math.floor(half + Math.min(1, Math.max(0, random() || 0)) * half);
}

/**
 * The wait before the next attempt, or `undefined` for none. The wait is
 * `max(backoff, Retry-After)`. A `Retry-After` beyond `maxDelayMs` means no retry rather than a
 * shortened wait: retrying before the server said it is ready would most likely fail again,
 * spend an attempt and add load, whereas failing now hands the caller the 429/503 and the
 * requested wait.
 */
function nextDelay(
  retryable: boolean,
  retryAfterMs: number | undefined,
  attempt: number,
  options: ResolvedRetryOptions,
): number | undefined {
  if (!retryable || attempt >= options.maxAttempts || retryAfterMs! > options.maxDelayMs) return;
  return Math.max(backoffDelay(attempt, options), retryAfterMs ?? 0);
}

/**
 * What the runtime asks after a failed attempt: the wait before retrying, or `undefined` for
 * "throw it", read from the error itself: only a 429 or 503 answer retries; an
 * `ApiError` already holds its status and `Retry-After` (as `retryAfterMs`, read when the
 * response arrived), a `NetworkError` whether the request left, a `TimeoutError` is a timeout.
 * Every other error (parse, abort, auth) is never retried.
 */
export function retryDelay(
  error: unknown,
  attempt: number,
  options: ResolvedRetryOptions,
): number | undefined {
  const retryable =
    error instanceof ApiError
      ? error.status === 429 || error.status === 503
      : error instanceof NetworkError
        ? error.beforeRequestSent || options.retryOnReset
        : error instanceof TimeoutError && options.retryOnTimeout;
  return nextDelay(retryable, (error as ApiError | undefined)?.retryAfterMs, attempt, options);
}
