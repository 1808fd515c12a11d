/**
 * When a failed request may be sent again, and how long to wait first.
 *
 * A downlink POST is not idempotent: a retry after the server may have queued the message can
 * make a device act twice. So this module only says "retry" where the message certainly was not
 * accepted (the connection never opened, or the server answered 429/503), unless the caller
 * explicitly opts in to retrying after a timeout or a mid-request reset.
 *
 * Everything here is pure apart from {@link sleep}, which the runtime injects so tests can
 * replace it.
 */

/**
 * Caller-facing retry settings. Every field is optional; see {@link resolveRetryOptions} for
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
 * The defaults applied by {@link resolveRetryOptions}.
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
  if (typeof partial !== 'object' || partial === null) {
    throw new TypeError('retry options must be an object');
  }
  const d = DEFAULT_RETRY_OPTIONS;
  return Object.freeze({
    maxAttempts: checkInteger('maxAttempts', partial.maxAttempts, d.maxAttempts, 1),
    baseDelayMs: checkDelay('baseDelayMs', partial.baseDelayMs, d.baseDelayMs),
    maxDelayMs: checkDelay('maxDelayMs', partial.maxDelayMs, d.maxDelayMs),
    retryOnTimeout: checkBoolean('retryOnTimeout', partial.retryOnTimeout, d.retryOnTimeout),
    retryOnReset: checkBoolean('retryOnReset', partial.retryOnReset, d.retryOnReset),
  });
}

function checkNumber(name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`retry.${name} must be a number`);
  }
  return value;
}

function checkInteger(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  const n = checkNumber(name, value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new RangeError(`retry.${name} must be an integer >= ${min}`);
  }
  return n;
}

// Infinity is refused: an unbounded cap would let a server's Retry-After park the caller forever.
function checkDelay(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const n = checkNumber(name, value);
  if (!Number.isFinite(n) || n < 0) {
    throw new RangeError(`retry.${name} must be a finite number of milliseconds >= 0`);
  }
  return n;
}

function checkBoolean(name: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`retry.${name} must be a boolean`);
  return value;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

// The three HTTP-date forms of RFC 9110 §5.6.7. They are matched explicitly because
// `Date.parse` accepts almost anything ("1", "soon 2024") and differs between engines.
const IMF_FIXDATE = /^[A-Z][a-z]{2}, (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const RFC850_DATE =
  /^[A-Z][a-z]{5,8}, (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/;
const ASCTIME_DATE = /^[A-Z][a-z]{2} ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/;

interface DateParts {
  day: string;
  month: string;
  year: number;
  hour: string;
  minute: string;
  second: string;
}

function matchHttpDate(value: string, nowMs: number): DateParts | undefined {
  const imf = IMF_FIXDATE.exec(value);
  if (imf) {
    const [, day = '', month = '', year = '', hour = '', minute = '', second = ''] = imf;
    return { day, month, year: Number(year), hour, minute, second };
  }
  const rfc850 = RFC850_DATE.exec(value);
  if (rfc850) {
    const [, day = '', month = '', yy = '', hour = '', minute = '', second = ''] = rfc850;
    return { day, month, year: expandTwoDigitYear(Number(yy), nowMs), hour, minute, second };
  }
  const asc = ASCTIME_DATE.exec(value);
  if (asc) {
    const [, month = '', day = '', hour = '', minute = '', second = '', year = ''] = asc;
    return { day: day.trim(), month, year: Number(year), hour, minute, second };
  }
  return undefined;
}

// RFC 9110: a two-digit year that would be more than 50 years in the future is in the past.
function expandTwoDigitYear(yy: number, nowMs: number): number {
  const currentYear = new Date(nowMs).getUTCFullYear();
  const candidate = currentYear - (currentYear % 100) + yy;
  return candidate > currentYear + 50 ? candidate - 100 : candidate;
}

function httpDateToMs(value: string, nowMs: number): number | undefined {
  const parts = matchHttpDate(value, nowMs);
  if (!parts) return undefined;
  const month = MONTHS.indexOf(parts.month);
  const [day, hour, minute, second] = [parts.day, parts.hour, parts.minute, parts.second].map(
    Number,
  ) as [number, number, number, number];
  const valid = month >= 0 && day >= 1 && day <= 31 && hour < 24 && minute < 60 && second < 61;
  if (!valid) return undefined;
  return Date.UTC(parts.year, month, day, hour, minute, second);
}

/**
 * Reads a `Retry-After` header value as a wait in milliseconds from `nowMs`.
 *
 * Accepts delta-seconds (`"120"`) and the three HTTP-date forms. Returns `undefined` for a
 * missing, negative or unparseable value; an HTTP-date in the past gives `0` (the server says
 * "now"). The result is not capped here: {@link retryDecision} compares it with `maxDelayMs`.
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
  const dateMs = httpDateToMs(value, nowMs);
  if (dateMs === undefined) return undefined;
  return Math.max(0, dateMs - nowMs);
}

/**
 * Wait before the retry that follows attempt number `attempt` (1-based: pass `1` after the
 * first attempt failed).
 *
 * Exponential (`baseDelayMs * 2^(attempt-1)`, capped at `maxDelayMs`) with **equal jitter**:
 * the result lies in `[step/2, step]`. Equal rather than full jitter because the main retry
 * triggers are 429 and 503 without a `Retry-After`: full jitter can draw an almost immediate
 * retry into an overloaded server, while half the step still spreads clients apart.
 *
 * @example
 * ```ts
 * const opts = resolveRetryOptions({});
 * backoffDelay(1, opts, () => 0); // 125 (half of 250)
 * backoffDelay(2, opts, () => 1); // 500
 * ```
 */
export function backoffDelay(
  attempt: number,
  options: Pick<ResolvedRetryOptions, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number = Math.random,
): number {
  // Capped so 2^exponent stays finite: 0 * Infinity would make the delay NaN.
  const exponent = Math.min(1023, Math.max(0, Math.floor(attempt) - 1));
  const step = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  const r = Math.min(1, Math.max(0, random() || 0));
  const half = step / 2;
  return Math.floor(half + r * half);
}

/**
 * How an attempt ended, as far as the retry decision cares.
 *
 * - `response`: the server answered with `status` (any status; only 429 and 503 retry).
 * - `network`: no response; `beforeRequestSent` is true only when the server provably never
 *   saw the request (see {@link classifyFetchError}).
 * - `timeout`: the caller's timeout fired; the server may have queued the message.
 *
 * @example
 * ```ts
 * const outcome: AttemptOutcome = { kind: 'response', status: 429, retryAfter: '2' };
 * ```
 */
export type AttemptOutcome =
  | { kind: 'response'; status: number; retryAfter?: string | null }
  | { kind: 'network'; beforeRequestSent: boolean }
  | { kind: 'timeout' };

/**
 * Why {@link retryDecision} said no.
 *
 * @example
 * ```ts
 * const reason: RetryStopReason = 'attempts-exhausted';
 * ```
 */
export type RetryStopReason = 'not-retryable' | 'attempts-exhausted' | 'retry-after-too-long';

/**
 * Result of {@link retryDecision}. When `reason` is `retry-after-too-long`, `retryAfterMs`
 * carries the server's requested wait so it can be reported to the caller.
 *
 * @example
 * ```ts
 * const d: RetryDecision = { retry: true, delayMs: 500 };
 * if (d.retry) await sleep(d.delayMs);
 * ```
 */
export type RetryDecision =
  | { retry: false; reason: RetryStopReason; retryAfterMs?: number }
  | { retry: true; delayMs: number };

const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

function isRetryable(outcome: AttemptOutcome, options: ResolvedRetryOptions): boolean {
  switch (outcome.kind) {
    case 'response':
      return RETRYABLE_STATUSES.has(outcome.status);
    case 'network':
      return outcome.beforeRequestSent || options.retryOnReset;
    case 'timeout':
      return options.retryOnTimeout;
    default:
      return false;
  }
}

/**
 * Decides whether to make another attempt after attempt number `attempt` (1-based) ended with
 * `outcome`, and how long to wait.
 *
 * The wait is `max(backoff, Retry-After)`. When `Retry-After` asks for more than `maxDelayMs`
 * the answer is **no retry** (`reason: 'retry-after-too-long'`) rather than a shortened wait:
 * retrying before the server said it is ready would most likely fail again, spend an attempt
 * and add load, whereas failing now hands the caller the 429/503 and the requested wait.
 *
 * @example
 * ```ts
 * const options = resolveRetryOptions({ maxAttempts: 3 });
 * const d = retryDecision({ kind: 'response', status: 503, retryAfter: '1' }, 1, options, Date.now());
 * // { retry: true, delayMs: 1000 }
 * retryDecision({ kind: 'timeout' }, 1, options, Date.now()); // { retry: false, reason: 'not-retryable' }
 * ```
 */
export function retryDecision(
  outcome: AttemptOutcome,
  attempt: number,
  options: ResolvedRetryOptions,
  nowMs: number,
  random: () => number = Math.random,
): RetryDecision {
  if (!isRetryable(outcome, options)) return { retry: false, reason: 'not-retryable' };
  if (attempt >= options.maxAttempts) return { retry: false, reason: 'attempts-exhausted' };
  const backoff = backoffDelay(attempt, options, random);
  const retryAfterMs =
    outcome.kind === 'response' ? parseRetryAfter(outcome.retryAfter, nowMs) : undefined;
  if (retryAfterMs === undefined) return { retry: true, delayMs: backoff };
  if (retryAfterMs > options.maxDelayMs) {
    return { retry: false, reason: 'retry-after-too-long', retryAfterMs };
  }
  return { retry: true, delayMs: Math.max(backoff, retryAfterMs) };
}

/**
 * Waits `ms` milliseconds; rejects with the signal's reason as soon as `signal` aborts.
 * The runtime takes this as an injectable dependency so tests need not wait.
 *
 * @example
 * ```ts
 * await sleep(250, controller.signal);
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Signature of {@link sleep}, for injection.
 *
 * @example
 * ```ts
 * const noWait: Sleep = async () => {};
 * ```
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * What {@link classifyFetchError} learned from a thrown fetch error.
 *
 * @example
 * ```ts
 * const c: FetchErrorClassification = { code: 'ECONNREFUSED', beforeRequestSent: true };
 * ```
 */
export interface FetchErrorClassification {
  /** The first string `code` found on the error or its `cause` chain, e.g. `ECONNREFUSED`. */
  code: string | undefined;
  /** True only when the failure proves the server never received the request. */
  beforeRequestSent: boolean;
}

/*
 * Shapes observed with Node 20.20's fetch (undici) against 127.0.0.1:
 *
 * - closed port: TypeError('fetch failed'), cause Error code ECONNREFUSED, syscall 'connect'.
 * - name not resolved (dns.lookup stubbed to fail, so no real DNS): TypeError('fetch failed'),
 *   cause is the lookup error unchanged: code ENOTFOUND / EAI_AGAIN, syscall 'getaddrinfo'.
 * - server destroys the socket after reading the request, before answering:
 *   TypeError('fetch failed'), cause SocketError code UND_ERR_SOCKET 'other side closed'.
 * - server sends headers and part of the body, then destroys the socket: fetch() resolves,
 *   then reading the body rejects with TypeError('terminated'), cause SocketError
 *   UND_ERR_SOCKET 'other side closed'.
 * - server RSTs after reading the request: cause Error ECONNRESET, syscall 'read'.
 * - server RSTs right on accept: cause Error ECONNRESET, syscall 'connect' (100 of 100 runs).
 *   net only reports syscall 'connect' from the connect callback, before which undici writes
 *   nothing, so any error with that syscall proves the request was not sent.
 * - non-HTTP answer: cause HTTPParserError code HPE_INVALID_CONSTANT.
 * - 307 with `redirect: 'error'`: cause Error('unexpected redirect') without a code.
 * - abort / AbortSignal.timeout: a DOMException named AbortError / TimeoutError (numeric
 *   `code`, no cause); the runtime recognises those from its own signal, not here.
 * - Node's happy-eyeballs connect (hostnames with several addresses) reports an AggregateError
 *   whose `errors` are the per-address connect errors; it counts as before-sent only if every
 *   one of them does.
 *
 * Browsers reject with a bare TypeError ('Failed to fetch', 'Load failed', ...) that says
 * nothing about how far the request got, so it is classified as possibly sent.
 */
const BEFORE_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EAI_NODATA',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // undici's own connect timeout: the TCP handshake never completed.
  'UND_ERR_CONNECT_TIMEOUT',
]);

const BEFORE_SENT_SYSCALLS: ReadonlySet<string> = new Set(['connect', 'getaddrinfo']);

const MAX_CAUSE_DEPTH = 8;

function readString(value: object, key: string): string | undefined {
  const field = (value as Record<string, unknown>)[key];
  return typeof field === 'string' ? field : undefined;
}

function nestedErrors(value: object): object[] {
  const nested = (value as { errors?: unknown }).errors;
  if (!Array.isArray(nested)) return [];
  return nested.filter((e): e is object => typeof e === 'object' && e !== null);
}

// Walks `cause` (bounded, cycle-safe) to the first error that carries a code or aggregates
// per-address errors: that is the one describing what actually went wrong on the wire.
function findCodedError(error: unknown): object | undefined {
  let current: unknown = error;
  const seen = new Set<unknown>();
  for (let depth = 0; depth < MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null || seen.has(current)) return undefined;
    if (readString(current, 'code') !== undefined || nestedErrors(current).length > 0) {
      return current;
    }
    seen.add(current);
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function codeOf(error: object): string | undefined {
  return readString(error, 'code') ?? nestedErrors(error).map(codeOf).find(Boolean);
}

function provesNotSent(error: object): boolean {
  const nested = nestedErrors(error);
  if (nested.length > 0) return nested.every(provesNotSent);
  const code = readString(error, 'code');
  const syscall = readString(error, 'syscall');
  if (code !== undefined && BEFORE_SENT_CODES.has(code)) return true;
  return syscall !== undefined && BEFORE_SENT_SYSCALLS.has(syscall);
}

/**
 * Classifies an error thrown by `fetch` (or by reading its body) so the retry policy can tell
 * "the server never got it" from "the server may have queued it". Anything unknown, including
 * a browser's bare `TypeError`, is classified as possibly sent, which is the safe side for a
 * non-idempotent downlink.
 *
 * @example
 * ```ts
 * try {
 *   await fetch(url, init);
 * } catch (err) {
 *   const { code, beforeRequestSent } = classifyFetchError(err);
 *   const d = retryDecision({ kind: 'network', beforeRequestSent }, attempt, options, Date.now());
 * }
 * ```
 */
export function classifyFetchError(error: unknown): FetchErrorClassification {
  const coded = findCodedError(error);
  if (!coded) return { code: undefined, beforeRequestSent: false };
  return { code: codeOf(coded), beforeRequestSent: provesNotSent(coded) };
}
