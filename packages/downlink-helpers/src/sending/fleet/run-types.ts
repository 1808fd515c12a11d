/**
 * The shapes a fleet run takes and gives: its items, options, results and progress. Exported
 * by send-downlinks.ts (the public entry); kept here so the run's modules never import their
 * own entry.
 */
import type { DownlinkMessageResponse } from '@dx/core-client';
import type { FleetOutage } from '../circuit-breaker.js';
import type { FleetPace } from '../fleet-pace.js';
import type { DownlinkJournal } from '../journal.js';
import type { DownlinkOutcome } from '../outcome.js';
import type { SendDownlinkOptions } from '../send-downlink.js';

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
  /**
   * A pace shared with other runs (the workers of one campaign), instead of this run's own
   * adaptive one; `ratePerSecond` is then the shared pace's to hold, not this option's.
   */
  pace?: FleetPace;
}
