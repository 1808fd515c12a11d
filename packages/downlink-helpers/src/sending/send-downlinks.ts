import type { ApiError, DownlinkMessageResponse } from '@dx/core-client';
import * as core from '@dx/core-client';
import { checkBoolean, checkInteger, checkSignal } from '../checks.js';
import { describeName, wrongType } from '../describe.js';
import { DownlinkError } from '../errors.js';
import { checkClient, type DownlinkClient } from './downlink-client.js';
import { CircuitBreaker, OUTAGE_MS, type FleetOutage } from './circuit-breaker.js';
import { fleetLink, type FleetLink } from './fleet-transport.js';
import { digestOf, readJournal, type DownlinkJournal, type JournalSummary } from './journal.js';
import {
  classifyError,
  type AttemptFault,
  type AttemptVerdict,
  type DownlinkOutcome,
} from './outcome.js';
import { monotonicNow, RateController } from './rate-controller.js';
import {
  buildDownlinkRequest,
  type DownlinkRequest,
  type SendDownlinkOptions,
} from './send-downlink.js';

/**
 * One item of {@link sendDownlinks}: a {@link sendDownlink} input with an optional `id`.
 * The `id` names the item in results and in the journal (else its index does); ids must be
 * unique within one input. The item's own `signal` is not used: the run's `signal` is.
 *
 * @example
 * ```ts
 * import type { FleetItem } from '@dx/downlink-helpers';
 *
 * const item: FleetItem = { id: 'meter-0042', device: '0018B20000000B20', payload: { hex: '01' }, fPort: 2 };
 * ```
 */
export interface FleetItem extends SendDownlinkOptions {
  id?: string | number;
}

/**
 * What became of one item. `response` is DX's answer when it was `queued` (absent when DX
 * answered 2xx with an unreadable body: `error` is then the `ResponseParseError`); `error` is
 * what decided any other outcome. `fromJournal` marks an outcome read from the journal of an
 * earlier run rather than produced by a request of this one.
 *
 * @example
 * ```ts
 * import type { FleetResult } from '@dx/downlink-helpers';
 *
 * const result: FleetResult = { index: 0, device: '0018B20000000B20', outcome: 'queued', attempts: 1 };
 * ```
 */
export interface FleetResult {
  index: number;
  id?: string | number;
  /** The device as sent (a DevEUI normalised), or as given when the item was invalid. */
  device: string;
  outcome: DownlinkOutcome;
  response?: DownlinkMessageResponse;
  error?: unknown;
  /** Requests made for this item in this run (429/503 answers included). */
  attempts: number;
  fromJournal?: boolean;
}

/**
 * Counts of a run so far; the last one (`finished: true`) is the run's summary.
 *
 * @example
 * ```ts
 * import type { FleetProgress } from '@dx/downlink-helpers';
 *
 * const show = (p: FleetProgress) => `${p.done}/${p.total ?? '?'} at ${p.ratePerSecond.toFixed(0)}/s`;
 * ```
 */
export interface FleetProgress {
  /** `options.total`, or the length of an array input; `undefined` when unknown. */
  total: number | undefined;
  /** Items with an outcome. */
  done: number;
  queued: number;
  failed: number;
  unknown: number;
  /** Items DX certainly did not process (a plain resume sends them). */
  notSent: number;
  invalid: number;
  skipped: number;
  /** Requests in flight right now. */
  inFlight: number;
  /** 429 and 503 answers seen (their items were sent again later). */
  throttled: number;
  /** Items taken from the input but never sent because the run was stopped. */
  stopped: number;
  /** Items with an outcome per second, over the run so far (journal skips excluded). */
  ratePerSecond: number;
  /** Estimated time to the end, when `total` is known and a rate has been measured. */
  etaMs: number | undefined;
  elapsedMs: number;
  finished: boolean;
  /** What the run waits for before its next send (a retry, a pause DX asked for). */
  waiting?: FleetWait;
  /** Set when the run stopped itself because DX (or its token endpoint) failed every attempt. */
  outage?: FleetOutage;
}

/**
 * What a run waits for: `reason` in words ("DX refused the connection"), and how long from
 * the moment of this progress.
 *
 * @example
 * ```ts
 * import type { FleetWait } from '@dx/downlink-helpers';
 *
 * const say = (w: FleetWait) => `${w.reason}, retry in ${Math.ceil(w.inMs / 1000)} s`;
 * ```
 */
export interface FleetWait {
  /** "DX refused the connection", "DX answered 503", "DX throttling (429)"... */
  reason: string;
  /** Milliseconds left, from the moment of this progress. */
  inMs: number;
}

/**
 * Settings of {@link sendDownlinks}.
 *
 * @example
 * ```ts
 * import type { SendDownlinksOptions } from '@dx/downlink-helpers';
 *
 * const options: SendDownlinksOptions = { concurrency: 16, ratePerSecond: 50, resendUnknown: false };
 * ```
 */
export interface SendDownlinksOptions {
  /** Requests in flight at most, items waiting to be sent again included. Default 8. */
  concurrency?: number;
  /** Requests per second at most. Default: none; the run adapts to the server's 429s. */
  ratePerSecond?: number;
  /** Records before each send and after it; read back on start to resume. */
  journal?: DownlinkJournal;
  /** On resume, send again the items the journal holds as `unknown`. Default false. */
  resendUnknown?: boolean;
  /** Stops starting sends; those in flight finish and are recorded. */
  signal?: AbortSignal;
  /** Called after every outcome, and once more at the end with `finished: true`. */
  onProgress?: (progress: FleetProgress) => void;
  /** Number of items, for the ETA, when `items` is not an array. */
  total?: number;
  /**
   * Tries per item when DX answers 429/503, the connection is refused or no token could be
   * had; then the item is `not-sent`. Default 10.
   */
  maxAttempts?: number;
  /**
   * How long DX (or its token endpoint) may be unreachable, every attempt failing, before the
   * run stops itself (`outage` in the summary). Default 10,000 ms. See the README's circuit
   * breaker for the other thresholds.
   */
  outageMs?: number;
}

/**
 * What {@link sendDownlinks} returns: iterate it (once) to run; `summary` resolves with the
 * last progress when the iteration ends (and rejects with the error that ended it).
 *
 * @example
 * ```ts
 * import type { FleetRun } from '@dx/downlink-helpers';
 *
 * async function drain(run: FleetRun) {
 *   const problems = [];
 *   for await (const result of run) if (result.outcome !== 'queued') problems.push(result);
 *   return { problems, summary: await run.summary };
 * }
 * ```
 */
export interface FleetRun extends AsyncIterable<FleetResult> {
  summary: Promise<FleetProgress>;
}

/** An item that passed validation, on its way to DX. */
interface Prepared {
  index: number;
  id: string | number | undefined;
  key: string;
  args: DownlinkRequest;
  digest: string;
  /** Requests that left for DX. */
  attempts: number;
  /** Tries, token failures included (bounded by `maxAttempts`). */
  tries: number;
  /** A `start` record exists for it (this run or an earlier one). */
  started: boolean;
  notBefore: number;
  /** Why its last try failed, for the progress line while it waits. */
  problem?: string;
}

/**
 * Sends a downlink to every item of `items`, at the rate DX allows, never twice. Each item
 * gets one {@link FleetResult} (see the outcome table in the README); results come in
 * completion order. With a client of `@dx/core-client` the run makes every attempt itself (the
 * client's own retries are set aside, its `maxDelayMs` kept): it sees every 429/503, slows
 * the whole run down and sends those items again. When DX or its token endpoint fails every
 * attempt for a while, the run stops itself: the last progress holds `outage`.
 *
 * @example
 * ```ts
 * import { createDxClient } from '@dx/core-client';
 * import { sendDownlinks } from '@dx/downlink-helpers';
 *
 * const client = createDxClient({ auth: { clientId, clientSecret } });
 * const items = devices.map((device) => ({ id: device, device, payload: { hex: '0101' }, fPort: 2 }));
 * const run = sendDownlinks(client, items, { concurrency: 16 });
 * for await (const result of run) {
 *   if (result.outcome !== 'queued') needsAttention.push(result); // failed, unknown, invalid
 * }
 * const summary = await run.summary; // { queued: 998, failed: 2, ... }
 * ```
 */
export function sendDownlinks(
  client: DownlinkClient,
  items: Iterable<FleetItem> | AsyncIterable<FleetItem>,
  options: SendDownlinksOptions = {},
): FleetRun {
  checkClient(client);
  const source = openSource(items);
  const fleet = new Fleet(client, source, checkOptions(options, items));
  let iterated = false;
  return {
    summary: fleet.summary,
    [Symbol.asyncIterator]() {
      if (iterated) {
        throw new DownlinkError('INVALID_ARGUMENT', 'run', 'a run can be iterated only once');
      }
      iterated = true;
      return fleet.results();
    },
  };
}

type Source = Iterator<FleetItem> | AsyncIterator<FleetItem>;

function openSource(items: unknown): Source {
  const iterable = items as Partial<AsyncIterable<FleetItem> & Iterable<FleetItem>> | null;
  const asyncIterator = iterable?.[Symbol.asyncIterator];
  if (typeof asyncIterator === 'function') return asyncIterator.call(iterable);
  const iterator = iterable?.[Symbol.iterator];
  if (typeof iterator === 'function') return iterator.call(iterable);
  throw wrongType('items', 'an iterable or async iterable', items);
}

interface Settings {
  concurrency: number;
  ratePerSecond: number | undefined;
  journal: DownlinkJournal | undefined;
  resendUnknown: boolean;
  signal: AbortSignal | undefined;
  onProgress: ((progress: FleetProgress) => void) | undefined;
  total: number | undefined;
  maxAttempts: number;
  outageMs: number;
}

function checkOptions(options: SendDownlinksOptions, items: unknown): Settings {
  if (typeof options !== 'object' || options === null) {
    throw wrongType('options', 'an object', options);
  }
  const { ratePerSecond, journal, signal, onProgress } = options;
  if (
    ratePerSecond !== undefined &&
    !(typeof ratePerSecond === 'number' && ratePerSecond > 0 && ratePerSecond < Infinity)
  ) {
    throw new DownlinkError(
      'VALUE_OUT_OF_RANGE',
      'ratePerSecond',
      `expected a positive finite number, got ${typeof ratePerSecond === 'number' ? ratePerSecond : describeName(ratePerSecond)}`,
    );
  }
  if (
    journal !== undefined &&
    (typeof journal?.read !== 'function' || typeof journal.append !== 'function')
  ) {
    throw wrongType('journal', 'a DownlinkJournal (read and append)', journal);
  }
  checkSignal(signal);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw wrongType('onProgress', 'a function', onProgress);
  }
  return {
    concurrency: checkInteger(options.concurrency ?? 8, 'concurrency', 1, 1024),
    ratePerSecond,
    journal,
    resendUnknown: checkBoolean(options.resendUnknown, 'resendUnknown', false),
    signal,
    onProgress,
    total:
      options.total === undefined
        ? Array.isArray(items)
          ? items.length
          : undefined
        : checkInteger(options.total, 'total', 0, Number.MAX_SAFE_INTEGER),
    maxAttempts: checkInteger(options.maxAttempts ?? 10, 'maxAttempts', 1, 100),
    outageMs: checkInteger(options.outageMs ?? OUTAGE_MS, 'outageMs', 0, 2 ** 31 - 1),
  };
}

/** The digest of what goes to DX, minus the AS key (a secret never goes to the journal). */
function digestArgs(args: DownlinkRequest): string {
  const { securityParams, ...body } = args.requestBody;
  return digestOf(
    JSON.stringify([
      args.device,
      body,
      securityParams?.asId ?? null,
      args.confirmDownlink ?? null,
      args.flushDownlinkQueue ?? null,
    ]),
  );
}

class Fleet {
  readonly summary: Promise<FleetProgress>;
  private resolveSummary!: (progress: FleetProgress) => void;
  private rejectSummary!: (error: unknown) => void;
  private readonly rate: RateController;
  private readonly link: FleetLink;
  private readonly breaker: CircuitBreaker;
  private outage: FleetOutage | undefined;
  private waiting: { reason: string; until: number } | undefined;
  private journalState: JournalSummary | undefined;
  private firstChecked = false;
  private readonly seenIds = new Set<string>();
  private readonly ready: FleetResult[] = [];
  private readonly retries: Prepared[] = [];
  private nextIndex = 0;
  private sourceDone = false;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  /** Taken from the input (or a retry), waiting for the rate to allow it. */
  private held: Prepared | undefined;
  /**
   * Items DX answered 404 before it answered anything else: its refusals of those items, or
   * a wrong base URL's. Decided by the next other answer (`failed`), or `not-sent` at the end.
   */
  private readonly unconfirmed: { p: Prepared; error: unknown }[] = [];
  private fatal: { error: unknown } | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private readonly startedAt = monotonicNow();
  private firstSendAt: number | undefined;
  private sent = 0;
  private readonly counts = {
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

  constructor(
    private readonly client: DownlinkClient,
    private readonly source: Source,
    private readonly settings: Settings,
  ) {
    this.rate = new RateController({ ratePerSecond: settings.ratePerSecond });
    this.link = fleetLink(client);
    this.breaker = new CircuitBreaker(settings.outageMs);
    this.summary = new Promise<FleetProgress>((resolve, reject) => {
      this.resolveSummary = resolve;
      this.rejectSummary = reject;
    });
    // Awaiting the summary is optional: an unread rejection must not crash the process.
    this.summary.catch(() => undefined);
  }

  async *results(): AsyncGenerator<FleetResult, void, undefined> {
    try {
      if (this.settings.journal) this.journalState = await readJournal(this.settings.journal);
      for (;;) {
        while (this.ready.length > 0) yield this.ready.shift()!;
        if (this.fatal) throw this.fatal.error;
        if (this.settings.signal?.aborted) this.stopping = true;
        if (this.unconfirmed.length > 0 && this.counts.inFlight === 0 && this.ending()) {
          await this.closeUnconfirmed('not-sent');
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
        await this.wait();
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

  private finished(): boolean {
    if (this.counts.inFlight > 0 || this.ready.length > 0) return false;
    return this.unconfirmed.length === 0 && this.ending();
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
    while (this.counts.inFlight > 0) await this.wait();
    // What a broken run leaves here has a `retry` record or none: a resume sends it.
    this.counts.stopped +=
      this.retries.splice(0).length + this.unconfirmed.splice(0).length + (this.held ? 1 : 0);
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
    const id = (item as Partial<FleetItem> | null)?.id;
    const given = (item as Partial<FleetItem> | null)?.device;
    const device = typeof given === 'string' ? given : '';
    const invalid = (error: unknown): undefined => {
      this.finish({ index, ...(id === undefined ? {} : { id }), device, attempts: 0 }, 'invalid', {
        error,
      });
      return undefined;
    };
    if (id !== undefined) {
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
        return invalid(wrongType('id', 'a string or a finite number', id));
      }
      // By its journal key: 1 and '1' are the same item there, so they are the same here.
      if (this.seenIds.has(String(id))) {
        return invalid(
          new DownlinkError('INVALID_ARGUMENT', 'id', `${JSON.stringify(id)} appears twice`, {
            position: index,
          }),
        );
      }
      this.seenIds.add(String(id));
    }
    let args: DownlinkRequest;
    try {
      args = buildDownlinkRequest(item as FleetItem);
    } catch (error) {
      return invalid(error);
    }
    const key = id === undefined ? `#${index}` : `id:${id}`;
    const prepared: Prepared = {
      index,
      id,
      key,
      args,
      digest: digestArgs(args),
      attempts: 0,
      tries: 0,
      started: false,
      notBefore: 0,
    };
    return this.resume(prepared);
  }

  /** What the journal of an earlier run says about this item (undefined: it has a result). */
  private resume(p: Prepared): Prepared | undefined {
    const state = this.journalState;
    if (!state) return p;
    if (!this.firstChecked) {
      this.firstChecked = true;
      if (state.first && (state.first.key !== p.key || state.first.digest !== p.digest)) {
        throw this.mismatch(p, 'the journal begins with another item');
      }
    }
    const record = state.keys.get(p.key);
    if (!record) return p;
    if (record.digest !== p.digest) throw this.mismatch(p, 'its content differs from the journal');
    const last = record.last;
    p.started = true;
    // DX certainly did not process it: a plain resume sends it.
    if (last === 'retry' || last === 'not-sent') return p;
    if ((last === 'start' || last === 'unknown') && this.settings.resendUnknown) return p;
    const outcome = last === 'queued' ? 'skipped' : last === 'failed' ? 'failed' : 'unknown';
    this.finish(this.resultBase(p), outcome, { fromJournal: true });
    return undefined;
  }

  private mismatch(p: Prepared, why: string): DownlinkError {
    return new DownlinkError(
      'INVALID_ARGUMENT',
      'journal',
      `item ${p.index} (${p.key}): ${why}; the journal belongs to a different input. Resume with the same input in the same order, or start a new journal`,
      { position: p.index },
    );
  }

  /**
   * Sends `p` now if the rate allows, else holds it and waits: a result that arrives meanwhile
   * wakes the loop, which yields it at once rather than after the wait (at a low rate, hours).
   */
  private async sendWhenAllowed(p: Prepared): Promise<void> {
    const delay = this.rate.take();
    if (delay > 0) {
      this.held = p;
      await this.waitFor(delay, 'a pause DX asked for (429)');
      return;
    }
    this.counts.inFlight++;
    // Not awaited: the run goes on starting sends while this one is in flight.
    void this.send(p).finally(() => {
      this.counts.inFlight--;
      this.wake();
    });
  }

  private async send(p: Prepared): Promise<void> {
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
      await journal?.append({ key: p.key, event: 'start', index: p.index, digest: p.digest });
    } catch (error) {
      this.fatal ??= { error };
      return;
    }
    p.started = true;
    p.attempts++;
    const sentAt = monotonicNow();
    this.firstSendAt ??= sentAt;
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
    const status =
      error === undefined
        ? 200
        : (error as Partial<Error> | null)?.name === 'ApiError'
          ? (error as ApiError).status
          : undefined;
    const withStatus = status ? { status } : {};
    let outcome = verdict.outcome;
    let fault: AttemptFault | undefined = verdict.fault;
    // A 404 is DX's refusal of that item only once DX answered something else in this run;
    // before that it may be a wrong base URL's: the item waits for the verdict, journaled as
    // still to send (a run killed meanwhile sends it again: DX did not process it).
    if (fault === 'not-found' && this.breaker.confirmed) fault = undefined;
    try {
      if (fault === 'not-found') {
        this.trip(this.breaker.onFailure(fault));
        await journal?.append({ key: p.key, event: 'retry', ...withStatus });
        this.unconfirmed.push({ p, error });
        return;
      }
      if (verdict.outcome === 'retry') {
        if (verdict.throttled && sentAt !== undefined) {
          this.counts.throttled++;
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
      const fromToken = (error as { name?: unknown } | null)?.name === 'AuthError';
      if (fault !== undefined) this.trip(this.breaker.onFailure(fault, fromToken));
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
          // The client's backoff rule (equal jitter), so runs sharing DX do not retry in step.
          const wait = Math.max(verdict.retryAfterMs ?? 0, core.backoffDelay(p.tries, this.link));
          p.notBefore = monotonicNow() + Math.min(wait, this.link.maxDelayMs);
          p.problem = problemOf(error, status);
          this.retries.push(p);
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
      this.finish(this.resultBase(p), final, {
        ...(response === undefined ? {} : { response }),
        ...(error === undefined ? {} : { error }),
      });
    } catch (journalError) {
      this.fatal ??= { error: journalError };
    }
  }

  /** Gives the items answered 404 before DX confirmed the base URL their outcome. */
  private async closeUnconfirmed(outcome: 'failed' | 'not-sent'): Promise<void> {
    for (const { p, error } of this.unconfirmed.splice(0)) {
      try {
        await this.settings.journal?.append({ key: p.key, event: outcome, status: 404 });
      } catch (journalError) {
        this.fatal ??= { error: journalError };
        return;
      }
      this.finish(this.resultBase(p), outcome, { error });
    }
  }

  /** Stops the run for an outage (once): no new sends, those in flight settle. */
  private trip(outage: FleetOutage | undefined): void {
    if (outage === undefined || this.outage !== undefined) return;
    this.outage = outage;
    this.stopping = true;
    this.wake();
  }

  private resultBase(p: Prepared): Omit<FleetResult, 'outcome'> {
    return {
      index: p.index,
      ...(p.id === undefined ? {} : { id: p.id }),
      device: p.args.device,
      attempts: p.attempts,
    };
  }

  private finish(
    base: Omit<FleetResult, 'outcome'>,
    outcome: DownlinkOutcome,
    extra: Partial<FleetResult>,
  ): void {
    this.counts[outcome === 'not-sent' ? 'notSent' : outcome]++;
    if (extra.fromJournal !== true) this.sent += outcome === 'invalid' ? 0 : 1;
    this.ready.push({ ...base, outcome, ...extra });
    try {
      this.settings.onProgress?.(this.progress(false));
    } catch (error) {
      this.fatal ??= { error };
    }
    this.wake();
  }

  private progress(finished: boolean): FleetProgress {
    const now = monotonicNow();
    const { queued, failed, unknown, notSent, invalid, skipped } = this.counts;
    const done = queued + failed + unknown + notSent + invalid + skipped;
    const seconds = this.firstSendAt === undefined ? 0 : (now - this.firstSendAt) / 1000;
    const ratePerSecond = seconds > 0 ? this.sent / seconds : 0;
    const total = this.settings.total;
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
      ...(this.waiting && !finished
        ? { waiting: { reason: this.waiting.reason, inMs: Math.max(0, this.waiting.until - now) } }
        : {}),
      ...(this.outage ? { outage: this.outage } : {}),
    };
  }

  /** Waits as {@link wait} does, saying what for in the progress while it does. */
  private async waitFor(ms: number, reason: string): Promise<void> {
    this.waiting = { reason, until: monotonicNow() + ms };
    try {
      this.settings.onProgress?.(this.progress(false));
    } catch (error) {
      this.fatal ??= { error };
    }
    try {
      await this.wait(ms);
    } finally {
      this.waiting = undefined;
    }
  }

  /** Resolves on the next completion, after `ms`, or on abort, whichever comes first. */
  private wait(ms?: number): Promise<void> {
    // Something changed since the loop last looked: look again before sleeping.
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const signal = this.settings.signal;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      // A timer holds at most 2^31-1 ms and fires at once beyond it (a 30-day Retry-After
      // would spin the loop): a shorter wait only makes the loop look again.
      const timer = ms === undefined ? undefined : setTimeout(done, Math.min(ms, 2 ** 31 - 1));
      this.wakeUp = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  private wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}

/** The failure of a try in words, for "waiting for ..." on a progress line. */
function problemOf(error: unknown, status: number | undefined): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'AuthError') return 'the token endpoint (no token)';
  if (name === 'NetworkError') return 'DX refused the connection';
  if (status === 429) return 'DX throttling (429)';
  if (status !== undefined) return `DX answered ${status}`;
  return 'DX';
}
