import type { DownlinkMessageResponse } from '@dx/core-client';
import * as core from '@dx/core-client';
import { CircuitBreaker, type FleetOutage } from '../circuit-breaker.js';
import type { DownlinkClient } from '../downlink-client.js';
import type { FleetPace } from '../fleet-pace.js';
import { fleetLink, type FleetLink } from '../fleet-transport.js';
import type { DownlinkJournal, JournalRecord } from '../journal.js';
import {
  classifyError,
  errorName,
  statusOf,
  type AttemptFault,
  type AttemptVerdict,
  type DownlinkOutcome,
} from '../outcome.js';
import { monotonicNow } from '../rate-controller.js';
import type { FleetResult } from './run-types.js';
import { resultBase, type Prepared } from './items.js';
import type { ProgressCounts } from './progress.js';
import type { Settings } from './settings.js';

/** What the attempts report to the run that schedules them. */
export interface AttemptHost {
  readonly tally: ProgressCounts;
  /** `base` has its outcome: count it, hand it out. */
  finish(
    base: Omit<FleetResult, 'outcome'>,
    outcome: DownlinkOutcome,
    extra: Partial<FleetResult>,
  ): void;
  /** `p` goes again once its `notBefore` is due. */
  retry(p: Prepared): void;
  /** The journal failed: the run ends with `error`. */
  fail(error: unknown): void;
  /** What the circuit breaker made of a failure: an outage (if any) stops the run. */
  trip(outage: FleetOutage | undefined): void;
}

/**
 * The tries of each item: the token, the journal's `start`, the request, and what its answer
 * means (queued, sent again later, failed, unknown); the circuit breaker watches them all.
 */
export class Attempts {
  private readonly link: FleetLink;
  private readonly breaker: CircuitBreaker;
  /**
   * Items DX answered 404 before it answered anything else: its refusals of those items, or
   * a wrong base URL's. Decided by the next other answer (`failed`), or `not-sent` at the end.
   */
  readonly unconfirmed: { p: Prepared; error: unknown }[] = [];

  constructor(
    client: DownlinkClient,
    private readonly rate: FleetPace,
    private readonly settings: Settings,
    private readonly host: AttemptHost,
  ) {
    this.link = fleetLink(client);
    this.breaker = new CircuitBreaker(settings.outageMs);
  }

  async send(p: Prepared): Promise<void> {
    const journal = this.settings.journal;
    p.tries++;
    // The token first: a `start` record means "this request is about to leave", which a
    // token that never came would make untrue (a resume would call it `unknown`).
    try {
      await this.link.getToken?.();
    } catch (error) {
      return this.settle(p, classifyError(error), error, undefined, undefined);
    }
    try {
      const start = { key: p.key, event: 'start', index: p.index, digest: p.digest } as const;
      if (!(await recordStart(journal, start))) {
        // Another run sharing the journal holds this item: it is that run's to send.
        this.host.finish(resultBase(p), 'skipped', { fromJournal: true });
        return;
      }
    } catch (error) {
      this.host.fail(error);
      return;
    }
    p.started = true;
    p.attempts++;
    const sentAt = monotonicNow();
    this.host.tally.firstSendAt ??= sentAt;
    let response: DownlinkMessageResponse | undefined;
    let error: unknown;
    try {
      response = await this.link.downlink.sendDownlinkMessage(p.args);
    } catch (caught) {
      error = caught;
    }
    const verdict: AttemptVerdict =
      error === undefined ? { outcome: 'queued' } : classifyError(error);
    return this.settle(p, verdict, error, response, sentAt);
  }

  /** Journals and reports one try; `sentAt` is undefined when the request never left. */
  private async settle(
    p: Prepared,
    verdict: AttemptVerdict,
    error: unknown,
    response: DownlinkMessageResponse | undefined,
    sentAt: number | undefined,
  ): Promise<void> {
    const journal = this.settings.journal;
    const host = this.host;
    const status = error === undefined ? 200 : statusOf(error);
    const withStatus = status ? { status } : {};
    let outcome = verdict.outcome;
    let fault: AttemptFault | undefined = verdict.fault;
    // A 404 is DX's refusal of that item only once DX answered something else in this run;
    // before that it may be a wrong base URL's: the item waits for the verdict, journaled as
    // still to send (a run killed meanwhile sends it again: DX did not process it).
    if (fault === 'not-found' && this.breaker.confirmed) fault = undefined;
    try {
      if (fault === 'not-found') {
        host.trip(this.breaker.onFailure(fault));
        await journal?.append({ key: p.key, event: 'retry', ...withStatus });
        this.unconfirmed.push({ p, error });
        return;
      }
      if (verdict.outcome === 'retry') {
        if (verdict.throttled && sentAt !== undefined) {
          host.tally.counts.throttled++;
          const asked = verdict.retryAfterMs;
          this.rate.onThrottled(
            sentAt,
            asked === undefined ? undefined : Math.min(asked, this.link.maxDelayMs),
          );
        }
        // A wait longer than the client allows is a quota, not a burst: stop as for an outage.
        if ((verdict.retryAfterMs ?? 0) > this.link.maxDelayMs) {
          fault = 'quota';
          outcome = 'not-sent';
        }
      }
      const fromToken = errorName(error) === 'AuthError';
      if (fault !== undefined) host.trip(this.breaker.onFailure(fault, fromToken));
      else if (outcome !== 'unknown') {
        this.breaker.onAnswer();
        // DX answers: the 404s before were its own refusals of those items.
        if (this.unconfirmed.length > 0) await this.closeUnconfirmed('failed');
      }
      if (outcome === 'retry' && verdict.outcome === 'retry') {
        if (p.tries < this.settings.maxAttempts) {
          if (sentAt !== undefined) {
            await journal?.append({ key: p.key, event: 'retry', ...withStatus });
          }
          const wait = Math.max(verdict.retryAfterMs ?? 0, core.backoffDelay(p.tries, this.link));
          p.notBefore = monotonicNow() + Math.min(wait, this.link.maxDelayMs);
          p.problem = problemOf(error, status);
          host.retry(p);
          return;
        }
        // Certainly not processed, and out of tries: a plain resume sends it.
        outcome = 'not-sent';
      }
      // A 429/503 that ran out was not served: only DX's own answers measure its rate.
      if (sentAt !== undefined && verdict.outcome !== 'retry') this.rate.onServed();
      const final =
        outcome === 'invalid' ? 'failed' : (outcome as Exclude<typeof outcome, 'retry'>);
      // An item never started has nothing to close in the journal: no record is a resend.
      if (final !== 'not-sent' || p.started) {
        await journal?.append({ key: p.key, event: final, ...withStatus });
      }
      host.finish(resultBase(p), final, {
        ...(response === undefined ? {} : { response }),
        ...(error === undefined ? {} : { error }),
      });
    } catch (journalError) {
      host.fail(journalError);
    }
  }

  /** Gives the items answered 404 before DX confirmed the base URL their outcome. */
  async closeUnconfirmed(outcome: 'failed' | 'not-sent'): Promise<void> {
    for (const { p, error } of this.unconfirmed.splice(0)) {
      try {
        await this.settings.journal?.append({ key: p.key, event: outcome, status: 404 });
      } catch (journalError) {
        this.host.fail(journalError);
        return;
      }
      this.host.finish(resultBase(p), outcome, { error });
    }
  }
}

/** The failure of a try in words, for "waiting for ..." on a progress line. */
function problemOf(error: unknown, status: number | undefined): string {
  const name = errorName(error);
  if (name === 'AuthError') return 'the token endpoint (no token)';
  if (name === 'NetworkError') return 'DX refused the connection';
  if (status === 429) return 'DX throttling (429)';
  if (status !== undefined) return `DX answered ${status}`;
  return 'DX';
}

/** Records that `start` is about to be sent; false when another run sharing the journal holds it. */
async function recordStart(
  journal: DownlinkJournal | undefined,
  start: JournalRecord,
): Promise<boolean> {
  if (journal?.claim) return journal.claim(start);
  await journal?.append(start);
  return true;
}
