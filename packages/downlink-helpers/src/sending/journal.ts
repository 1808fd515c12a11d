/**
 * The journal of a fleet run: what was about to be sent, and what became of it. A run appends
 * a `start` record before each request leaves and an outcome record after; a later run with
 * the same journal reads them back to skip what is done and to report what may have been sent.
 *
 * Records are plain JSON data so that any store can hold them: a file (the Node-only
 * `@dx/downlink-helpers/file-journal`), IndexedDB, a table on a server.
 */
import { DownlinkError } from '../errors.js';
import type { DownlinkRequest } from './send-downlink.js';

/**
 * Every event a journal record can hold, in one place (a store that checks them, such as a
 * table's `CHECK` constraint, can use this list):
 * - `start`: the request is about to leave, with its token in hand (written before it does);
 * - `retry`: that attempt certainly did not reach DX (429, 503, connection refused): the item
 *   is still to send;
 * - `queued`, `failed`, `unknown`: the item's final outcome;
 * - `not-sent`: the run gave the item up, but DX certainly did not process it (retries ran
 *   out, credentials refused, an outage stopped the run): a plain resume sends it.
 *
 * What a resume does with an item by the last event of its key: `queued` is skipped,
 * `failed` and `unknown` are reported again from the journal (`unknown` and a `start`
 * without an outcome are sent again only with `resendUnknown`), `retry` and `not-sent` are
 * sent.
 *
 * @example
 * ```ts
 * import { JOURNAL_EVENTS } from '@dx/downlink-helpers';
 *
 * const check = `CHECK (event IN (${JOURNAL_EVENTS.map((e) => `'${e}'`).join(', ')}))`;
 * ```
 */
export const JOURNAL_EVENTS = [
  'start',
  'retry',
  'queued',
  'failed',
  'unknown',
  'not-sent',
] as const;

/**
 * What a {@link JournalRecord} says about its item (see {@link JOURNAL_EVENTS}).
 *
 * @example
 * ```ts
 * import type { JournalEvent } from '@dx/downlink-helpers';
 *
 * const resumable: JournalEvent[] = ['retry', 'not-sent'];
 * ```
 */
export type JournalEvent = (typeof JOURNAL_EVENTS)[number];

/**
 * One line of a journal. `key` is `id:<id>` for an item with an `id`, else `#<index>`.
 * A `start` record also holds the item's `index` and the `digest` of what is sent (the
 * request minus the AS key), so a resumed run can tell a journal of different input.
 *
 * @example
 * ```ts
 * import type { JournalRecord } from '@dx/downlink-helpers';
 *
 * const records: JournalRecord[] = [
 *   { key: '#0', event: 'start', index: 0, digest: '1f3a9c0b2d4e6f' },
 *   { key: '#0', event: 'queued', status: 200 },
 * ];
 * ```
 */
export interface JournalRecord {
  key: string;
  event: JournalEvent;
  index?: number;
  digest?: string;
  /** The HTTP status that decided the outcome, when there was one. */
  status?: number;
}

/**
 * Where a fleet run keeps its records. `append` must not resolve before the record would
 * survive what you need it to survive (at least the process being killed): the run sends
 * the request only after `append` of its `start` record has resolved.
 *
 * @example
 * ```ts
 * import type { DownlinkJournal, JournalRecord } from '@dx/downlink-helpers';
 *
 * // A journal in a server-side table, for a browser app.
 * const journal: DownlinkJournal = {
 *   async *read() {
 *     yield* (await (await fetch('/campaigns/42/journal')).json()) as JournalRecord[];
 *   },
 *   async append(record) {
 *     await fetch('/campaigns/42/journal', { method: 'POST', body: JSON.stringify(record) });
 *   },
 * };
 * ```
 */
export interface DownlinkJournal {
  /** Every record appended so far, oldest first. Called once, before the first send. */
  read(): Iterable<JournalRecord> | AsyncIterable<JournalRecord>;
  append(record: JournalRecord): void | Promise<void>;
  /**
   * For a journal shared by runs at the same time (the workers of one campaign): records a
   * `start` record only if no other run holds its item, in one atomic step, and says whether
   * it did. `false`: another run has the item; this run does not send it and reports it
   * `skipped`. Without `claim`, `append` records the starts.
   */
  claim?(record: JournalRecord): boolean | Promise<boolean>;
}

/**
 * A journal held in memory, for tests and for runs that only need "never twice" within one
 * process; `records` is everything appended.
 *
 * @example
 * ```ts
 * import { createMemoryJournal } from '@dx/downlink-helpers';
 *
 * const journal = createMemoryJournal();
 * // ... sendDownlinks(client, items, { journal }) ...
 * journal.records.filter((r) => r.event === 'queued').length;
 * ```
 */
export function createMemoryJournal(
  records: JournalRecord[] = [],
): DownlinkJournal & { records: JournalRecord[] } {
  return {
    records,
    read: () => records.slice(),
    append(record) {
      records.push({ ...record });
    },
  };
}

/** What the journal says of one key: the digest of its last start and where it stands. */
export interface KeyState {
  digest: string | undefined;
  last: JournalEvent;
}

/**
 * What a resumed run needs from the journal: the last event of each key (one small entry per
 * item: 50,000 items are a few MB) and the first item ever started.
 */
export interface JournalSummary {
  keys: Map<string, KeyState>;
  first: { key: string; digest: string | undefined } | undefined;
}

/** Folds the records into a {@link JournalSummary}, refusing anything that is not a record. */
export async function readJournal(journal: DownlinkJournal): Promise<JournalSummary> {
  const keys = new Map<string, KeyState>();
  let first: JournalSummary['first'];
  let line = 0;
  for await (const record of journal.read()) {
    line++;
    if (!isRecord(record)) {
      throw new DownlinkError(
        'INVALID_ARGUMENT',
        'journal',
        `record ${line} is not a journal record`,
      );
    }
    const known = keys.get(record.key);
    if (record.event === 'start') {
      first ??= { key: record.key, digest: record.digest };
      keys.set(record.key, { digest: record.digest, last: 'start' });
    } else if (known) {
      known.last = record.event;
    }
  }
  return { keys, first };
}

const EVENTS: readonly string[] = JOURNAL_EVENTS;

function isRecord(value: unknown): value is JournalRecord {
  const record = value as Partial<JournalRecord> | null;
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.key === 'string' &&
    EVENTS.includes(record.event as string)
  );
}

/**
 * A 53-bit digest (cyrb53) of what an item sends, as 14 hex digits. Not cryptographic: it
 * tells a different input from the journal's, it does not protect anything.
 */
export function digestOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** The digest of what goes to DX, minus the AS key (a secret never goes to the journal). */
export function digestArgs(args: DownlinkRequest): string {
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
