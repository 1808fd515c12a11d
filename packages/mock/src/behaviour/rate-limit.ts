/**
 * A leaky bucket as NGINX's `limit_req rate=… burst=… nodelay` applies it (ThingPark's limiter
 * behaves this way): each accepted request adds one unit, the bucket drains `perSecond` units a
 * second, and a request that would overflow `burst + 1` units is refused with the number of
 * seconds after which one would pass. Refused requests add nothing.
 */
import { check, nonNegativeInteger, positiveNumber } from '../checks.js';

/**
 * A leaky-bucket limit on DX Core requests.
 *
 * @example
 * ```ts
 * const limit: DxRateLimit = { perSecond: 2, burst: 5 }; // 6 at once, then 2 a second
 * ```
 */
export interface DxRateLimit {
  /** Sustained rate, requests per second (may be fractional, e.g. 0.5). */
  perSecond: number;
  /** Requests allowed above the sustained rate in a burst (NGINX `burst`). Default 0. */
  burst?: number;
}

export type Admission = { ok: true } | { ok: false; retryAfterSeconds: number };

export class LeakyBucket {
  readonly #perSecond: number;
  readonly #capacity: number;
  readonly #now: () => number;
  #level = 0;
  #at: number;

  constructor(limit: DxRateLimit, now: () => number) {
    const { perSecond, burst = 0 } = limit;
    this.#perSecond = check('rateLimit.perSecond', perSecond, positiveNumber);
    this.#capacity = check('rateLimit.burst', burst, nonNegativeInteger) + 1;
    this.#now = now;
    this.#at = now();
  }

  take(): Admission {
    const now = this.#now();
    const drained = (Math.max(0, now - this.#at) / 1000) * this.#perSecond;
    this.#level = Math.max(0, this.#level - drained);
    this.#at = now;
    if (this.#level + 1 <= this.#capacity + 1e-9) {
      this.#level += 1;
      return { ok: true };
    }
    const waitSeconds = (this.#level + 1 - this.#capacity) / this.#perSecond;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }
}
