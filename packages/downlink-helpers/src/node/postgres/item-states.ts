/**
 * Every mapping between an item's row and the journal's vocabulary, in one place: what a run
 * reading the campaign is told about a row, which rows a claim may take over, what `status`
 * counts a row as. A row's `state` is the event last recorded for it (`start`, `retry`,
 * `queued`, `failed`, `unknown`, `not-sent`); `live` says whether the worker that recorded it still runs
 * (holds its advisory lock, which PostgreSQL drops with its session).
 */
import type { JournalEvent, JournalRecord } from '../../sending/journal.js';

export type ItemState = JournalEvent;

export interface ItemRow {
  key: string;
  idx: number;
  digest: string;
  state: ItemState;
  status: number | null;
  live: boolean;
}

/**
 * The records a resuming run reads for one row. A `start` of a live worker is in flight there:
 * it reads as `retry` (not done), so the run goes on to claim it, and the claim (which that
 * worker holds) tells it the item is not its own. A `start` of a worker that is gone may have
 * reached DX: it stays `start`, which the run reports `unknown`.
 */
export function recordsOf(row: ItemRow): JournalRecord[] {
  const start: JournalRecord = { key: row.key, event: 'start', index: row.idx, digest: row.digest };
  if (row.state === 'start') return row.live ? [start, { key: row.key, event: 'retry' }] : [start];
  const status = row.status === null ? {} : { status: row.status };
  return [start, { key: row.key, event: row.state, ...status }];
}

/**
 * Rows a run with `resendUnknown` may take over when it claims them (it only tries those it
 * read as unknown): an `unknown` outcome, or a `start` whose worker is gone. The claim checks
 * again, in the database, that the worker is still gone.
 */
export function resendable(row: ItemRow): boolean {
  return row.state === 'unknown' || (row.state === 'start' && !row.live);
}

/** The counts of `dx send-bulk --status`. */
export interface CampaignCounts {
  /** Items claimed so far (every row). */
  total: number;
  queued: number;
  failed: number;
  /** Sent, and no answer says whether DX queued them: never re-sent unless asked. */
  unknown: number;
  /** Certainly not processed by DX (429/503, refused connection) and no live worker holds them. */
  notSent: number;
  /** Held by a live worker: being sent, or waiting to be sent again. */
  inFlight: number;
  /** Workers of the campaign running now. */
  workers: number;
}

/** Which count a row falls in. */
export function countOf(
  state: ItemState,
  live: boolean,
): Exclude<keyof CampaignCounts, 'total' | 'workers'> {
  if (state === 'start') return live ? 'inFlight' : 'unknown';
  if (state === 'retry') return live ? 'inFlight' : 'notSent';
  if (state === 'not-sent') return 'notSent';
  return state;
}
