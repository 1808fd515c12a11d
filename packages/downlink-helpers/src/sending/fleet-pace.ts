/**
 * What sets the pace of a fleet run. The run's own rate controller is one; a pace shared
 * by several runs (the workers of one campaign, e.g. `@dx/downlink-helpers/postgres-journal`)
 * is another, given as `sendDownlinks`' `pace` option.
 *
 * @example
 * ```ts
 * import type { FleetPace } from '@dx/downlink-helpers';
 *
 * // No pace at all: every send may go at once (the concurrency still bounds it).
 * const unpaced: FleetPace = { take: () => 0, onThrottled() {}, onServed() {} };
 * ```
 */
export interface FleetPace {
  /**
   * Milliseconds to wait before the next send; 0 means "send now" and takes the permission.
   * `key` is the journal key of the item about to go: a pace shared with a journal may let an
   * item another run holds through at once, without a permission (its claim will not send it).
   * A throw ends the run (as a journal that cannot be written does).
   */
  take(key?: string): number;
  /**
   * A 429/503 answered a request sent at `sentAt` (ms on `performance.now()`'s monotonic clock,
   * as every time of a run); `retryAfterMs` when DX gave one.
   */
  onThrottled(sentAt: number, retryAfterMs?: number): void;
  /** A response that was not a throttle. */
  onServed(): void;
}
