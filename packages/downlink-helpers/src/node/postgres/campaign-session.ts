/**
 * One worker's connection to its campaign. Statements go one at a time over one connection;
 * claims and outcomes that arrive while one is under way wait and then go together in a
 * single statement, so a worker makes far fewer round trips than it records events (the
 * batch grows with the latency instead of the latency adding up).
 *
 * The first statement that fails breaks the session for good: every later call fails with the
 * same error, so a worker that cannot write its claims stops sending instead of guessing.
 */
import type { Client } from 'pg';
import { DownlinkError } from '../../errors.js';
import { digestOf, type JournalRecord } from '../../sending/journal.js';
import type { ItemState } from './item-states.js';
import type { Tables } from './schema.js';
import { claimAndRecord } from './statements.js';

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

interface Claim extends Pending<boolean> {
  record: JournalRecord;
}

interface Outcome extends Pending<void> {
  key: string;
  state: ItemState;
  status: number | null;
}

interface Task extends Pending<unknown> {
  run: () => Promise<unknown>;
}

export class CampaignSession {
  private claims: Claim[] = [];
  private outcomes: Outcome[] = [];
  private tasks: Task[] = [];
  private busy = false;
  private broken: Error | undefined;
  /** Statements sent to the database by this session. */
  roundTrips = 0;
  /** Keys other workers claimed, that this one has not come to yet. */
  private readonly taken = new Set<string>();
  /** The last row (`seq`) whose claim this worker has heard of. */
  seenSeq = '0';

  constructor(
    readonly client: Client,
    private readonly tables: Tables,
    readonly campaign: string,
    readonly worker: number,
    /** Keys read as unknown, that a claim may take over (asked with `resendUnknown`). */
    private readonly resendable: ReadonlySet<string>,
  ) {
    // A lost connection is reported by the next statement; without a listener it would crash.
    client.on('error', (error) => this.fail(unavailable(error)));
  }

  /** Whether `key` is known to be held by another worker. */
  isTaken(key: string): boolean {
    return this.taken.has(key);
  }

  claim(record: JournalRecord): Promise<boolean> {
    // Known to be another worker's: answered at once, without waiting for a statement.
    if (!this.broken && this.taken.delete(record.key)) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      this.claims.push({ record, resolve, reject });
      this.kick();
    });
  }

  record(key: string, state: ItemState, status: number | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      this.outcomes.push({ key, state, status: status ?? null, resolve, reject });
      this.kick();
    });
  }

  /** Runs `run` in turn with the batches (it uses the same connection). */
  task<T>(run: () => Promise<T>): Promise<T> {
    return new Promise((resolve, reject) => {
      this.tasks.push({ run, resolve: resolve as (value: unknown) => void, reject });
      this.kick();
    });
  }

  /** One statement (one round trip, counted); its rows. */
  async query<R extends object>(text: string, values: unknown[]): Promise<R[]> {
    return (await this.send<R>(text, values)).rows;
  }

  /** One statement; the number of rows it changed. */
  async execute(text: string, values: unknown[]): Promise<number> {
    return (await this.send(text, values)).rowCount ?? 0;
  }

  private async send<R extends object>(text: string, values: unknown[]) {
    for (let attempt = 1; ; attempt++) {
      if (this.broken) throw this.broken;
      this.roundTrips += 1;
      try {
        // Named: the server parses and plans each statement once per session, not per batch.
        return await this.client.query<R>({ name: this.nameOf(text), text, values });
      } catch (error) {
        // A deadlock or serialization failure rolled the whole statement back: run it again.
        const code = (error as { code?: unknown }).code;
        if ((code === '40P01' || code === '40001') && attempt < 5) continue;
        throw this.fail(unavailable(error));
      }
    }
  }

  private readonly names = new Map<string, string>();

  private nameOf(text: string): string {
    let name = this.names.get(text);
    if (name === undefined) this.names.set(text, (name = `dx_journal_${digestOf(text)}`));
    return name;
  }

  /** Breaks the session: every waiting and later call fails with `error`. */
  fail(error: Error): Error {
    this.broken ??= error;
    for (const pending of [...this.claims, ...this.outcomes, ...this.tasks]) {
      pending.reject(this.broken);
    }
    this.claims = [];
    this.outcomes = [];
    this.tasks = [];
    return this.broken;
  }

  get error(): Error | undefined {
    return this.broken;
  }

  private kick(): void {
    if (this.broken) {
      this.fail(this.broken);
      return;
    }
    if (!this.busy) void this.drain();
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (!this.broken && (this.tasks.length || this.claims.length || this.outcomes.length)) {
        const task = this.tasks.shift();
        if (task) await task.run().then(task.resolve, task.reject);
        else await this.flush();
      }
    } finally {
      this.busy = false;
    }
  }

  /** Everything waiting goes in one statement. */
  private async flush(): Promise<void> {
    const outcomes = this.outcomes.splice(0);
    // Keys another worker is known to hold are answered without a round trip.
    const claims: Claim[] = [];
    for (const c of this.claims.splice(0)) {
      if (this.taken.delete(c.record.key)) c.resolve(false);
      else claims.push(c);
    }
    if (outcomes.length === 0 && claims.length === 0) return;
    claims.sort((a, b) => indexOf(a) - indexOf(b));
    try {
      const [row] = await this.query<BatchRow>(claimAndRecord(this.tables), [
        this.campaign,
        this.worker,
        outcomes.map((o) => o.key),
        outcomes.map((o) => o.state),
        outcomes.map((o) => o.status),
        claims.map((c) => c.record.key),
        claims.map(indexOf),
        claims.map((c) => c.record.digest ?? ''),
        claims.filter((c) => this.resendable.has(c.record.key)).map((c) => c.record.key),
        this.seenSeq,
      ]);
      if (!row) throw new Error('the batch statement returned no row');
      for (const key of row.taken) this.taken.add(key);
      if (row.last_seq !== null) this.seenSeq = row.last_seq;
      if (row.recorded !== outcomes.length) throw this.takenOver(outcomes.length - row.recorded);
      for (const o of outcomes) o.resolve();
      const mine = new Set([...row.retaken, ...row.inserted]);
      for (const c of claims) {
        const held = row.held[c.record.key];
        if (!mine.has(c.record.key) && held !== undefined && held !== c.record.digest) {
          c.reject(mismatch(this.campaign, c.record));
        } else c.resolve(mine.has(c.record.key));
      }
    } catch (error) {
      for (const pending of [...outcomes, ...claims]) pending.reject(error);
    }
  }

  /**
   * Only a row taken over by another worker (it believed this one gone) has no start of ours
   * left to record an outcome against: the campaign can no longer be trusted to this run.
   */
  private takenOver(count: number): Error {
    return this.fail(
      new DownlinkError(
        'INVALID_ARGUMENT',
        'journal',
        `campaign "${this.campaign}": ${count} item(s) this worker was sending were taken over by another worker; stopping`,
      ),
    );
  }
}

interface BatchRow {
  recorded: number;
  retaken: string[];
  inserted: string[];
  held: Record<string, string>;
  taken: string[];
  last_seq: string | null;
}

const indexOf = (claim: Claim): number => claim.record.index ?? 0;

function mismatch(campaign: string, record: JournalRecord): DownlinkError {
  return new DownlinkError(
    'INVALID_ARGUMENT',
    'journal',
    `item ${record.index ?? '?'} (${record.key}): its content differs from the journal of campaign "${campaign}"; the campaign belongs to a different input. Resume with the same input, or name a new campaign`,
    ...(record.index === undefined ? [] : [{ position: record.index }]),
  );
}

/**
 * What a worker says when the database does not answer or refuses a statement. The driver's
 * messages name host and port at most (never a password); the code tells refused from timed
 * out, or the server's reason (42501: no right to create the tables).
 */
export function unavailable(cause: unknown): Error {
  const code = (cause as { code?: unknown } | null)?.code;
  const fromServer = (cause as { severity?: unknown } | null)?.severity !== undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  const why = `${typeof code === 'string' ? `${code}: ` : ''}${message}`;
  // SQLSTATE classes 08 (connection) and 57 (shut down, terminated): the server went away.
  const gone = typeof code === 'string' && /^(08|57)/.test(code);
  const what = !fromServer ? 'did not answer' : gone ? 'went away' : 'refused a statement';
  const error = new Error(
    `the campaign database ${what} (${why}); this worker stops sending: no item is sent without its claim written`,
    { cause },
  );
  error.name = 'CampaignJournalError';
  return error;
}
