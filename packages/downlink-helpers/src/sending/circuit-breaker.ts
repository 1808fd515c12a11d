import type { AttemptFault, OutageReason } from './outcome.js';
import { monotonicNow } from './rate-controller.js';

export type { OutageReason };

/**
 * An outage that stopped a run: why, since when (wall-clock milliseconds of the first failure
 * of the streak, for people), and a sentence that says so.
 *
 * @example
 * ```ts
 * import type { FleetOutage } from '@dx/downlink-helpers';
 *
 * const outage: FleetOutage = { reason: 'unreachable', since: 1796000584000, message: 'DX unreachable since 12:03:04 UTC' };
 * ```
 */
export interface FleetOutage {
  reason: OutageReason;
  /** Wall-clock milliseconds (`Date.now()`) of the first failure of the streak. */
  since: number;
  /** "DX unreachable since 12:03:04 UTC". */
  message: string;
}

/**
 * Thresholds of the breaker, documented in the README ("A run that notices an outage"):
 * - failures that may have been processed (`server-error`) or that say the base URL is wrong
 *   (`not-found` before any other answer) stop the run after {@link FAST_TRIP} in a row: each
 *   costs an item;
 * - failures that certainly reached nothing (`unreachable`) cost no item, so a short blip is
 *   ridden out: the run stops after {@link SLOW_TRIP} in a row spanning `outageMs` (default
 *   {@link OUTAGE_MS});
 * - refused credentials and a quota-sized `Retry-After` stop it at once.
 * Any answer from DX about an item (2xx, 4xx, 429) ends the streak.
 */
export const FAST_TRIP = 10;
export const SLOW_TRIP = 10;
export const OUTAGE_MS = 10_000;

const WHY: Record<OutageReason, string> = {
  unreachable: 'DX unreachable',
  'server-error': 'DX answers server errors',
  'not-found': 'DX answers 404 to everything (is the base URL right?)',
  credentials: 'DX refused the credentials',
  quota: 'DX asks to wait longer than the client allows (a quota?)',
};

export class CircuitBreaker {
  private streak = 0;
  private streakStart = 0;
  private streakSince = 0;
  private fastStreak = 0;
  private answered = false;

  /** `wall` is the wall clock, only for the message; every duration is monotonic. */
  constructor(
    private readonly outageMs: number = OUTAGE_MS,
    private readonly now: () => number = monotonicNow,
    private readonly wall: () => number = Date.now,
  ) {}

  /** DX answered about an item (not a 404 that could be a wrong base URL's). */
  onAnswer(): void {
    this.answered = true;
    this.streak = 0;
    this.fastStreak = 0;
  }

  /** Whether a 404 is DX's own (it answered something else in this run). */
  get confirmed(): boolean {
    return this.answered;
  }

  /** Counts a failed attempt; returns the outage when the run must stop. */
  onFailure(fault: AttemptFault, tokenEndpoint = false): FleetOutage | undefined {
    if (this.streak === 0) {
      this.streakStart = this.now();
      this.streakSince = this.wall();
    }
    this.streak++;
    if (fault === 'server-error' || fault === 'not-found') this.fastStreak++;
    const trip =
      fault === 'credentials' ||
      fault === 'quota' ||
      this.fastStreak >= FAST_TRIP ||
      (this.streak >= SLOW_TRIP && this.now() - this.streakStart >= this.outageMs);
    if (!trip) return undefined;
    const since = fault === 'credentials' || fault === 'quota' ? this.wall() : this.streakSince;
    const reason = this.fastStreak >= FAST_TRIP && fault === 'unreachable' ? 'server-error' : fault;
    // The token endpoint is another server than DX: say which one is down.
    const why =
      tokenEndpoint && reason === 'unreachable' ? 'the token endpoint unreachable' : WHY[reason];
    return { reason, since, message: `${why} since ${clockTime(since)}` };
  }
}

/** hh:mm:ss in UTC: a log line people compare with DX's status page. */
function clockTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(11, 19)} UTC`;
}
