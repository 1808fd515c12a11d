import type { FleetOutage } from '../circuit-breaker.js';
import type { DownlinkClient } from '../downlink-client.js';
import type { FleetPace } from '../fleet-pace.js';
import { readJournal } from '../journal.js';
import type { DownlinkOutcome } from '../outcome.js';
import { monotonicNow, RateController } from '../rate-controller.js';
import type { FleetProgress, FleetResult } from './run-types.js';
import { Attempts, type AttemptHost } from './attempt.js';
import { prepareItem, resultBase, type Prepared, type Source } from './items.js';
import { LoopSleep } from './loop-sleep.js';
import { ProgressCounts, type Waiting } from './progress.js';
import { JournalResume } from './resume.js';
import type { Settings } from './settings.js';

/** A wait this long or longer is said on the progress (`waiting`). */
const SAID_WAIT_MS = 1000;

/**
 * One run of `sendDownlinks`: the loop that takes items (retries first), spaces their
 * sends by the pace, starts them up to `concurrency`, hands out results as they come and ends
 * the run (stopped, broken or done) with its summary.
 */
export class Scheduler implements AttemptHost {
  readonly summary: Promise<FleetProgress>;
  readonly tally = new ProgressCounts();
  private readonly counts = this.tally.counts;
  private resolveSummary!: (progress: FleetProgress) => void;
  private rejectSummary!: (error: unknown) => void;
  private readonly rate: FleetPace;
  private readonly attempts: Attempts;
  private readonly sleep: LoopSleep;
  private outage: FleetOutage | undefined;
  private waiting: Waiting | undefined;
  private resume: JournalResume | undefined;
  private readonly seenIds = new Set<string>();
  private readonly ready: FleetResult[] = [];
  private readonly retries: Prepared[] = [];
  private nextIndex = 0;
  private sourceDone = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  /** Taken from the input (or a retry), waiting for the rate to allow it. */
  private held: Prepared | undefined;
  private fatal: { error: unknown } | undefined;

  constructor(
    client: DownlinkClient,
    private readonly source: Source,
    private readonly settings: Settings,
  ) {
    this.rate = settings.pace ?? new RateController({ ratePerSecond: settings.ratePerSecond });
    this.attempts = new Attempts(client, this.rate, settings, this);
    this.sleep = new LoopSleep(settings.signal);
    this.summary = new Promise<FleetProgress>((resolve, reject) => {
      this.resolveSummary = resolve;
      this.rejectSummary = reject;
    });
    // Awaiting the summary is optional: an unread rejection must not crash the process.
    this.summary.catch(() => undefined);
  }

  async *results(): AsyncGenerator<FleetResult, void, undefined> {
    const { journal, signal } = this.settings;
    const unconfirmed = this.attempts.unconfirmed;
    try {
      if (journal) {
        this.resume = new JournalResume(await readJournal(journal), this.settings.resendUnknown);
      }
      for (;;) {
        while (this.ready.length > 0) yield this.ready.shift()!;
        if (this.fatal) throw this.fatal.error;
        if (signal?.aborted) this.stopping = true;
        if (unconfirmed.length > 0 && this.counts.inFlight === 0 && this.ending()) {
          await this.attempts.closeUnconfirmed('not-sent');
          continue;
        }
        if (this.finished()) return;
        if (!this.stopping && (this.held || this.hasRoom())) {
          const next = this.held ?? (await this.nextToSend());
          this.held = undefined;
          if (next === 'wait') await this.waitFor(this.untilNextRetry(), this.nextRetryReason());
          else if (next !== undefined) await this.sendWhenAllowed(next);
          continue;
        }
        await this.sleep.wait();
      }
    } catch (error) {
      this.fatal ??= { error };
      // Sends in flight still end, and the caller must learn how before the error, or it
      // cannot tell what DX queued (without a journal it would send them again).
      await this.stop().catch(() => undefined);
      while (this.ready.length > 0) yield this.ready.shift()!;
      throw error;
    } finally {
      await this.stop();
    }
  }

  finish(
    base: Omit<FleetResult, 'outcome'>,
    outcome: DownlinkOutcome,
    extra: Partial<FleetResult>,
  ): void {
    this.tally.count(outcome, extra.fromJournal === true);
    this.ready.push({ ...base, outcome, ...extra });
    this.report();
    this.sleep.wake();
  }

  retry(p: Prepared): void {
    this.retries.push(p);
  }

  fail(error: unknown): void {
    this.fatal ??= { error };
  }

  /** Stops the run for an outage (once): no new sends, those in flight settle. */
  trip(outage: FleetOutage | undefined): void {
    if (outage === undefined || this.outage !== undefined) return;
    this.outage = outage;
    this.stopping = true;
    this.sleep.wake();
  }

  private finished(): boolean {
    if (this.counts.inFlight > 0 || this.ready.length > 0) return false;
    return this.attempts.unconfirmed.length === 0 && this.ending();
  }

  /** Nothing more will be sent: stopped, or the input and the retries are done. */
  private ending(): boolean {
    return this.stopping || (this.sourceDone && this.retries.length === 0 && !this.held);
  }

  /** Room for one more send, and something (an item or a retry) that could be sent. */
  private hasRoom(): boolean {
    if (this.sourceDone && this.retries.length === 0) return false;
    return this.counts.inFlight < this.settings.concurrency && this.ready.length === 0;
  }

  /** Ends the run, once: no new sends, the ones in flight finish (and are recorded). */
  private stop(): Promise<void> {
    return (this.stopped ??= this.end());
  }

  private async end(): Promise<void> {
    this.stopping = true;
    while (this.counts.inFlight > 0) await this.sleep.wait();
    // What a broken run leaves here has a `retry` record or none: a resume sends it.
    this.counts.stopped +=
      this.retries.splice(0).length +
      this.attempts.unconfirmed.splice(0).length +
      (this.held ? 1 : 0);
    this.held = undefined;
    let progress: FleetProgress | undefined;
    try {
      await this.source.return?.();
      progress = this.progress(true);
      if (!this.fatal) this.settings.onProgress?.(progress);
    } catch (error) {
      // The summary must settle whatever fails here, or whoever awaits it waits forever.
      this.fatal ??= { error };
      throw error;
    } finally {
      if (this.fatal) this.rejectSummary(this.fatal.error);
      else this.resolveSummary(progress!);
    }
  }

  /** A retry that is due, else the next item of the input; 'wait' when only retries can go. */
  private async nextToSend(): Promise<Prepared | 'wait' | undefined> {
    const now = monotonicNow();
    const due = this.retries.findIndex((p) => p.notBefore <= now);
    if (due >= 0) return this.retries.splice(due, 1)[0];
    // An item waiting to be sent again holds its place among the `concurrency`: when DX
    // answers everything with a fast 503, the run must not drain the input into memory.
    const full = this.counts.inFlight + this.retries.length >= this.settings.concurrency;
    if (this.sourceDone || full) return this.retries.length > 0 ? 'wait' : undefined;
    const next = await this.source.next();
    if (next.done) {
      this.sourceDone = true;
      return undefined;
    }
    return this.admit(next.value, this.nextIndex++);
  }

  private untilNextRetry(): number {
    const first = Math.min(...this.retries.map((p) => p.notBefore));
    return Math.max(0, first - monotonicNow());
  }

  private nextRetryReason(): string {
    const first = this.retries.reduce((a, b) => (b.notBefore < a.notBefore ? b : a));
    return first.problem ?? 'a retry';
  }

  /** Validates an item and checks it against the journal; undefined when it has its result. */
  private async admit(item: unknown, index: number): Promise<Prepared | undefined> {
    const p = prepareItem(item, index, this.seenIds);
    if (!('key' in p)) {
      this.finish(p.base, 'invalid', { error: p.error });
      return undefined;
    }
    const verdict = this.resume?.verdict(p) ?? 'send';
    if (verdict === 'send') return p;
    this.finish(resultBase(p), verdict, { fromJournal: true });
    return undefined;
  }

  /**
   * Sends `p` now if the rate allows, else holds it and waits: a result that arrives meanwhile
   * wakes the loop, which yields it at once rather than after the wait (at a low rate, hours).
   */
  private async sendWhenAllowed(p: Prepared): Promise<void> {
    const delay = this.rate.take(p.key);
    if (delay > 0) {
      this.held = p;
      await this.waitFor(delay, this.paceReason(delay));
      return;
    }
    this.counts.inFlight++;
    // Not awaited: the run goes on starting sends while this one is in flight.
    void this.attempts.send(p).finally(() => {
      this.counts.inFlight--;
      this.sleep.wake();
    });
  }

  private progress(finished: boolean): FleetProgress {
    return this.tally.progress(this.settings.total, finished, this.waiting, this.outage);
  }

  /** Tells `onProgress` the counts; a callback that throws ends the run. */
  private report(): void {
    try {
      this.settings.onProgress?.(this.progress(false));
    } catch (error) {
      this.fatal ??= { error };
    }
  }

  /** Waits as {@link LoopSleep.wait} does, saying what for in the progress while it does. */
  /**
   * The spacing between sends at the run's pace is no wait worth saying (a progress line that
   * read "a pause DX asked for" at every send of an unthrottled `ratePerSecond` run misled);
   * a wait of a second or more is, and it is DX's only once DX throttled this run.
   */
  private paceReason(delay: number): string | undefined {
    if (delay < SAID_WAIT_MS) return undefined;
    return this.counts.throttled > 0 ? 'a pause DX asked for (429)' : 'the rate set for the run';
  }

  private async waitFor(ms: number, reason: string | undefined): Promise<void> {
    this.waiting = reason === undefined ? undefined : { reason, until: monotonicNow() + ms };
    if (reason !== undefined) this.report();
    try {
      await this.sleep.wait(ms);
    } finally {
      this.waiting = undefined;
    }
  }
}
