/**
 * The public face of a running mock that both transports share: what it recorded and the
 * controls that change it while it runs.
 */
import type { DxFault, DxFaultOptions, DxFaultShareOptions } from './behaviour/faults.js';
import type { DxRateLimit } from './behaviour/rate-limit.js';
import type { DxDownlinkRecord, DxRequestRecord } from './records.js';

/**
 * Everything a mock received since it started (or since `reset()`), dropped records included.
 *
 * @example
 * ```ts
 * mock.counts.downlinks - mock.downlinks.length; // how many downlink records were dropped
 * ```
 */
export interface DxMockCounts {
  /** Requests received. */
  readonly requests: number;
  /** Downlinks queued. */
  readonly downlinks: number;
}

/**
 * What both transports return: the records and the knobs that change a running mock.
 *
 * @example
 * ```ts
 * const controls: DxMockControls = await startDxMock();
 * controls.failNext(1, 'reset-after');
 * controls.downlinks.length; // a reset-after downlink still counts
 * ```
 */
export interface DxMockControls {
  /** The client id to give `createDxClient`. */
  readonly clientId: string;
  /** The client secret to give `createDxClient` (a test credential). */
  readonly clientSecret: string;
  /**
   * The last `maxRecords` requests, in arrival order. Cleared in place by
   * {@link DxMockControls.clearRecords}.
   */
  readonly requests: DxRequestRecord[];
  /**
   * The last `maxRecords` accepted downlinks, in order. Cleared in place by
   * {@link DxMockControls.clearRecords}.
   */
  readonly downlinks: DxDownlinkRecord[];
  /** Totals since start or `reset()`, counting the records dropped past `maxRecords`. */
  readonly counts: DxMockCounts;
  /** Sets (or with `undefined` removes) the rate limit; the bucket starts empty. */
  setRateLimit(limit: DxRateLimit | undefined): void;
  /** Sets the wait before each answer. */
  setLatency(ms: number): void;
  /** The next `count` requests (DX Core ones by default) get `fault`. */
  failNext(count: number, fault: DxFault, options?: DxFaultOptions): void;
  /** Each request (DX Core ones by default) gets `fault` with probability `ratio`. */
  failShare(ratio: number, fault: DxFault, options?: DxFaultShareOptions): void;
  /** Removes every scripted fault. */
  clearFaults(): void;
  /** Empties `requests` and `downlinks` (`counts` and downlink ids go on). */
  clearRecords(): void;
  /**
   * Back to the state at start, for the next test: no records, counts and downlink ids from
   * zero, the faults, rate limit and latency given at start. Issued tokens stay valid.
   */
  reset(): void;
}
