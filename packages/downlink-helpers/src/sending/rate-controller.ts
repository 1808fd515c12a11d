/**
 * The pace of a fleet run: a token bucket whose rate adapts to throttling, in the spirit of
 * the AWS SDKs' "adaptive" retry mode (a CUBIC curve, as TCP uses for its window).
 *
 * - Before any throttle and without a cap, requests are only bounded by the concurrency.
 * - The first throttle says the server has a limit but not which: its 429s come back before
 *   the 2xx of the same burst, so nothing useful was measured yet. The rate restarts low and
 *   doubles every `DOUBLING_MS` ("slow start", as in TCP) until the next throttle.
 * - From then on a throttle (429, 503) drops the rate to `BETA` x the rate the server was seen
 *   to serve; it grows back fast towards that rate, levels off near it, and probes beyond it
 *   slowly: a run settles just under the server's limit instead of bouncing between bursts
 *   and pauses.
 * - A throttle answering a request sent before the last cut says nothing new (it left at the
 *   old rate), so it does not cut again: one cut per round trip.
 * - A configured `ratePerSecond` is a ceiling the curve never crosses.
 *
 * Times are milliseconds from an injectable clock so tests can drive it without waiting. The
 * default is monotonic (`performance.now()`): a wall clock stepped back by NTP or a resumed VM
 * would otherwise make elapsed times negative and the rate collapse to nothing.
 */

/** Milliseconds from a clock that never steps back (browsers and Node alike). */
export const monotonicNow = (): number => performance.now();

/** Share of the served rate kept after a throttle (AWS and CUBIC use 0.7). */
const BETA = 0.7;
/**
 * CUBIC's scale constant, per request per second of the rate at the last throttle: the climb
 * back takes about two seconds at any rate (AWS's fixed 0.4 takes four at 100/s, forty at
 * 100,000/s).
 */
const SCALE = 0.04;
/** Never slower than this, so a run always makes progress. */
const MIN_RATE = 0.5;
/** Slow start: the rate doubles this often until the second throttle. */
const DOUBLING_MS = 200;
/** How far back the served rate is measured. */
const WINDOW_MS = 1000;
/** A `Retry-After` longer than this is a quota, not a burst: the whole run pauses for it. */
export const LONG_RETRY_AFTER_MS = 5000;

export interface RateControllerOptions {
  /** A ceiling in requests per second; `undefined` for none. */
  ratePerSecond?: number | undefined;
  /** Milliseconds; default {@link monotonicNow}. */
  now?: () => number;
}

export class RateController {
  private readonly cap: number;
  private readonly now: () => number;
  private tokens = 1;
  private lastRefill: number;
  /** Set by the first throttle: from then on the curve below sets the rate. */
  private lastCut: number | undefined;
  /** Rate of the slow start; `undefined` once the curve has taken over. */
  private slowStart: number | undefined;
  private maxRate = 0;
  /** Time the curve needs to climb back to `maxRate` after a cut, in seconds. */
  private climbSeconds = 0;
  /** Completion times of served (not throttled) requests, oldest first. */
  private served: number[] = [];
  private servedFrom: number;
  private pausedUntil = -Infinity;
  /** The length of the last pause: a clock stepped back never makes a wait longer. */
  private pauseMs = 0;

  constructor(options: RateControllerOptions = {}) {
    this.cap = options.ratePerSecond ?? Infinity;
    this.now = options.now ?? monotonicNow;
    this.lastRefill = this.now();
    this.servedFrom = this.lastRefill;
  }

  /** Requests per second allowed right now (`Infinity` when nothing limits the pace). */
  rate(): number {
    if (this.lastCut === undefined) return this.cap;
    // Never negative, whatever clock was injected: a rate is never driven to 0.
    const elapsed = Math.max(0, this.now() - this.lastCut);
    if (this.slowStart !== undefined) {
      return Math.min(this.cap, Math.max(MIN_RATE, this.slowStart * 2 ** (elapsed / DOUBLING_MS)));
    }
    const t = elapsed / 1000 - this.climbSeconds;
    return Math.min(this.cap, Math.max(MIN_RATE, this.maxRate * (1 + SCALE * t ** 3)));
  }

  /** Milliseconds to wait before the next send; 0 means "send now" and takes the token. */
  take(): number {
    const now = this.now();
    const pause = this.pausedUntil - now;
    if (pause > 0) return Math.min(pause, this.pauseMs);
    const rate = this.rate();
    if (rate === Infinity) {
      this.lastRefill = now;
      return 0;
    }
    // A bucket of 50 ms worth of requests absorbs timer lateness without a burst that matters.
    const capacity = Math.max(1, rate / 20);
    const since = Math.max(0, now - this.lastRefill);
    this.tokens = Math.min(capacity, this.tokens + (since / 1000) * rate);
    this.lastRefill = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - this.tokens) / rate) * 1000);
  }

  /** A response that was not a throttle: the server served it. */
  onServed(): void {
    const now = this.now();
    this.served.push(now);
    while (this.served[0]! <= now - WINDOW_MS) this.served.shift();
  }

  /**
   * A 429/503 to a request sent at `sentAt`. Cuts the rate (once per round trip) and, for a
   * long `Retry-After`, pauses every send until it has passed.
   */
  onThrottled(sentAt: number, retryAfterMs?: number): void {
    const now = this.now();
    if (retryAfterMs !== undefined && retryAfterMs > LONG_RETRY_AFTER_MS) {
      if (now + retryAfterMs > this.pausedUntil) {
        this.pausedUntil = now + retryAfterMs;
        this.pauseMs = retryAfterMs;
      }
    }
    if (this.lastCut !== undefined && sentAt < this.lastCut) return;
    const servedRate = this.servedRate(now);
    if (this.lastCut === undefined) {
      // What follows the opening burst measures the sustained rate.
      this.servedFrom = now;
      this.slowStart = Math.max(1, Math.min(this.cap, servedRate));
    } else {
      // Leaving the slow start, the last second still holds its low beginning: the last
      // quarter second, when the server's bucket was already full, tells its rate better.
      const served =
        this.slowStart === undefined ? servedRate : Math.max(servedRate, this.servedRate(now, 250));
      const current = Math.min(this.rate(), served);
      this.maxRate = Math.max(MIN_RATE, Math.min(this.cap, current || this.rate()));
      this.climbSeconds = Math.cbrt((1 - BETA) / SCALE);
      this.slowStart = undefined;
    }
    this.lastCut = now;
    // The server's bucket is full right now: no saved-up burst after a cut.
    this.tokens = 0;
    this.lastRefill = now;
  }

  /** Served requests per second over the last second (or since the opening burst ended). */
  private servedRate(now: number, windowMs = WINDOW_MS): number {
    const from = Math.max(now - windowMs, this.servedFrom);
    const count = this.served.filter((at) => at > from).length;
    return (count * 1000) / Math.max(now - from, 1);
  }
}
