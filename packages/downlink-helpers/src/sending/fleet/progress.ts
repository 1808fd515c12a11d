import type { FleetOutage } from '../circuit-breaker.js';
import type { DownlinkOutcome } from '../outcome.js';
import { monotonicNow } from '../rate-controller.js';
import type { FleetProgress } from './run-types.js';

/** What the run waits for, until when (on the monotonic clock). */
export interface Waiting {
  reason: string;
  until: number;
}

/** The counts of a run and the clock of its rate, from which each progress is made. */
export class ProgressCounts {
  readonly counts = {
    queued: 0,
    failed: 0,
    unknown: 0,
    notSent: 0,
    invalid: 0,
    skipped: 0,
    inFlight: 0,
    throttled: 0,
    stopped: 0,
  };
  /** When the first request left: the rate is measured from there. */
  firstSendAt: number | undefined;
  private readonly startedAt = monotonicNow();
  private sent = 0;

  count(outcome: DownlinkOutcome, fromJournal: boolean): void {
    this.counts[outcome === 'not-sent' ? 'notSent' : outcome]++;
    if (!fromJournal) this.sent += outcome === 'invalid' ? 0 : 1;
  }

  progress(
    total: number | undefined,
    finished: boolean,
    waiting: Waiting | undefined,
    outage: FleetOutage | undefined,
  ): FleetProgress {
    const now = monotonicNow();
    const { queued, failed, unknown, notSent, invalid, skipped } = this.counts;
    const done = queued + failed + unknown + notSent + invalid + skipped;
    const seconds = this.firstSendAt === undefined ? 0 : (now - this.firstSendAt) / 1000;
    const ratePerSecond = seconds > 0 ? this.sent / seconds : 0;
    const etaMs =
      total !== undefined && ratePerSecond > 0
        ? (Math.max(0, total - done) / ratePerSecond) * 1000
        : undefined;
    return {
      total,
      done,
      ...this.counts,
      ratePerSecond,
      etaMs: finished ? 0 : etaMs,
      elapsedMs: now - this.startedAt,
      finished,
      ...(waiting && !finished
        ? { waiting: { reason: waiting.reason, inMs: Math.max(0, waiting.until - now) } }
        : {}),
      ...(outage ? { outage } : {}),
    };
  }
}
