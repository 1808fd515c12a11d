/**
 * `@dx/downlink-helpers/postgres-journal`: the journal of a campaign in PostgreSQL, shared by
 * every worker that sends it (replicas of a service, a CronJob run twice, a resume on another
 * machine). Its own entry point: `pg` (node-postgres) is an optional peer dependency that only
 * this entry loads.
 *
 * Exactly once: an item is sent only by the worker whose claim inserted its row (one statement,
 * `INSERT ... ON CONFLICT DO NOTHING`, so of several workers claiming one item exactly one
 * wins), and only after that claim is committed. A worker that dies leaves its claimed items
 * as they were: `start` (may have reached DX: `unknown`, as a killed run's file journal says)
 * or `retry` (certainly not processed: another worker takes it over). A worker that cannot
 * write a claim (the database is gone, a network partition) sends nothing more and stops.
 */
import { hostname } from 'node:os';
import pg from 'pg';
import { DownlinkError } from '../../errors.js';
import type { FleetPace } from '../../sending/fleet-pace.js';
import type { DownlinkJournal, JournalRecord } from '../../sending/journal.js';
import { CampaignSession, unavailable } from './campaign-session.js';
import {
  countOf,
  recordsOf,
  resendable,
  type CampaignCounts,
  type ItemRow,
  type ItemState,
} from './item-states.js';
import { ensureSchema, tablesOf, type Tables } from './schema.js';
import { SharedPace } from './shared-pace.js';
import { countStates, liveWorkers, readPage } from './statements.js';

export type { CampaignCounts } from './item-states.js';

/**
 * Where the campaign lives and how it is paced.
 *
 * @example
 * ```ts
 * import type { PostgresJournalOptions } from '@dx/downlink-helpers/postgres-journal';
 *
 * const options: PostgresJournalOptions = {
 *   connectionString: 'postgres://sender@db.internal:5432/fleet',
 *   campaign: 'firmware-2026-12',
 *   ratePerSecond: 200,
 * };
 * ```
 */
export interface PostgresJournalOptions {
  /**
   * A libpq-style URL; the password, when the server asks one, comes from `PGPASSWORD` or
   * `~/.pgpass` as for `psql`. Default: the `PG*` environment variables.
   */
  connectionString?: string;
  /** Names the campaign: every worker of one campaign gives the same name. */
  campaign: string;
  /** Schema of the tables (created when missing). Default `public`. */
  schema?: string;
  /** Prefix of the table names. Default `dx_`. */
  tablePrefix?: string;
  /**
   * The campaign's requests per second, for all its workers together. A worker that gives
   * one sets it for the campaign (the last one given holds); one that gives none keeps it.
   */
  ratePerSecond?: number;
  /** Milliseconds a statement may take before the worker gives up and stops. Default 30,000. */
  statementTimeoutMs?: number;
}

/**
 * A worker's journal of a campaign. Give it and its `pace` to `sendDownlinks`; `close()` when
 * the run is over.
 *
 * @example
 * ```ts
 * import type { PostgresJournal } from '@dx/downlink-helpers/postgres-journal';
 *
 * async function finish(journal: PostgresJournal): Promise<number> {
 *   const statements = journal.roundTrips;
 *   await journal.close();
 *   return statements;
 * }
 * ```
 */
export interface PostgresJournal extends DownlinkJournal {
  readonly campaign: string;
  /** The campaign's shared pace: give it as `sendDownlinks`' `pace`. */
  readonly pace: FleetPace;
  /** Statements this worker sent to the database so far. */
  readonly roundTrips: number;
  claim(record: JournalRecord): Promise<boolean>;
  /** The campaign's counts now. */
  status(): Promise<CampaignCounts>;
  close(): Promise<void>;
}

const PAGE = 5000;

/**
 * Connects, creates the tables on first use, and registers this worker with the campaign.
 *
 * @example
 * ```ts
 * import { sendDownlinks } from '@dx/downlink-helpers';
 * import { openPostgresJournal } from '@dx/downlink-helpers/postgres-journal';
 *
 * const journal = await openPostgresJournal({
 *   connectionString: process.env.CAMPAIGN_DB,
 *   campaign: 'firmware-2026-12',
 *   ratePerSecond: 200,
 * });
 * try {
 *   const run = sendDownlinks(client, items, { journal, pace: journal.pace });
 *   for await (const result of run) log(result);
 * } finally {
 *   await journal.close();
 * }
 * ```
 */
export async function openPostgresJournal(
  options: PostgresJournalOptions,
): Promise<PostgresJournal> {
  const settings = checkOptions(options);
  const { tables, campaign } = settings;
  const client = await connect(settings);
  try {
    await ensureSchema(client, settings.schema, tables);
    await client.query(
      `INSERT INTO ${tables.campaigns} (name, ceiling) VALUES ($1, $2)
       ON CONFLICT (name) DO UPDATE SET ceiling = coalesce(excluded.ceiling, ${tables.campaigns}.ceiling)`,
      [campaign, settings.ratePerSecond ?? null],
    );
    const registered = await client.query<{ id: number }>(
      `INSERT INTO ${tables.workers} (campaign, pid, host) VALUES ($1, $2, $3) RETURNING id`,
      [campaign, process.pid, hostname()],
    );
    const worker = registered.rows[0]!.id;
    // Held as long as this session lives: how the others tell this worker is still there.
    await client.query('SELECT pg_advisory_lock($1, $2)', [tables.lockSpace, worker]);
    return journalOf(client, tables, campaign, worker);
  } catch (error) {
    await client.end().catch(() => undefined);
    throw error instanceof DownlinkError ? error : unavailable(error);
  }
}

/**
 * The counts of a campaign, without registering a worker or sending anything (what
 * `dx send-bulk --status` prints). A campaign never started counts zero everywhere.
 *
 * @example
 * ```ts
 * import { campaignStatus } from '@dx/downlink-helpers/postgres-journal';
 *
 * const counts = await campaignStatus({ connectionString: url, campaign: 'firmware-2026-12' });
 * const toCheck = counts.unknown; // sent, but nobody can tell whether DX queued them
 * ```
 */
export async function campaignStatus(options: PostgresJournalOptions): Promise<CampaignCounts> {
  const settings = checkOptions(options);
  const client = await connect(settings);
  try {
    const exists = await client.query<{ found: string | null }>('SELECT to_regclass($1) AS found', [
      settings.tables.items,
    ]);
    if (exists.rows[0]?.found == null) return countRows([], new Set());
    return await countCampaign(client, settings.tables, settings.campaign);
  } catch (error) {
    throw error instanceof DownlinkError ? error : unavailable(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

interface Settings {
  connectionString: string | undefined;
  campaign: string;
  schema: string;
  tables: Tables;
  ratePerSecond: number | undefined;
  statementTimeoutMs: number;
}

function checkOptions(options: PostgresJournalOptions): Settings {
  if (typeof options !== 'object' || options === null) {
    throw new DownlinkError('INVALID_ARGUMENT', 'options', 'expected an object');
  }
  const { campaign, connectionString, ratePerSecond } = options;
  if (typeof campaign !== 'string' || campaign.trim() === '' || campaign.length > 200) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      'campaign',
      'expected a non-empty name of at most 200 characters',
    );
  }
  if (connectionString !== undefined && typeof connectionString !== 'string') {
    throw new DownlinkError('INVALID_ARGUMENT', 'connectionString', 'expected a string');
  }
  if (
    ratePerSecond !== undefined &&
    !(typeof ratePerSecond === 'number' && ratePerSecond > 0 && ratePerSecond < Infinity)
  ) {
    throw new DownlinkError(
      'VALUE_OUT_OF_RANGE',
      'ratePerSecond',
      'expected a positive finite number',
    );
  }
  const timeout = options.statementTimeoutMs ?? 30_000;
  if (!Number.isInteger(timeout) || timeout < 100) {
    throw new DownlinkError(
      'VALUE_OUT_OF_RANGE',
      'statementTimeoutMs',
      'expected an integer of at least 100',
    );
  }
  const schema = options.schema ?? 'public';
  return {
    connectionString,
    campaign,
    schema,
    tables: tablesOf(schema, options.tablePrefix ?? 'dx_'),
    ratePerSecond,
    statementTimeoutMs: timeout,
  };
}

async function connect(settings: Settings): Promise<pg.Client> {
  const client = new pg.Client({
    ...(settings.connectionString === undefined
      ? {}
      : { connectionString: settings.connectionString }),
    // A partition must end in an error, not in a statement that waits forever.
    query_timeout: settings.statementTimeoutMs,
    connectionTimeoutMillis: settings.statementTimeoutMs,
    keepAlive: true,
    application_name: 'dx-downlink-journal',
  });
  // Until the session listens itself: an error event without a listener would crash.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw unavailable(error);
  }
  return client;
}

function journalOf(
  client: pg.Client,
  tables: Tables,
  campaign: string,
  worker: number,
): PostgresJournal {
  const unknownAtRead = new Set<string>();
  const session = new CampaignSession(client, tables, campaign, worker, unknownAtRead);
  const pace = new SharedPace(session, tables);
  let closed = false;
  return {
    campaign,
    pace,
    get roundTrips() {
      return session.roundTrips;
    },
    async *read() {
      const live = await liveIds(session, tables);
      let after = '0';
      for (;;) {
        const page = await session.task(() =>
          session.query<ItemRow & { seq: string; worker: number }>(readPage(tables), [
            campaign,
            after,
            PAGE,
          ]),
        );
        for (const row of page) {
          const item = { ...row, live: live.has(row.worker) };
          if (resendable(item)) unknownAtRead.add(item.key);
          yield* recordsOf(item);
        }
        if (page.length > 0) session.seenSeq = after = page.at(-1)!.seq;
        if (page.length < PAGE) return;
      }
    },
    async claim(record) {
      // An item known to be another's went through the pace without a slot (see take()).
      const tookNoSlot = session.isTaken(record.key);
      const mine = await session.claim(record);
      if (!mine && !tookNoSlot) pace.giveBack();
      return mine;
    },
    async append(record) {
      if (record.event === 'start') {
        // Only claim() may start an item of a shared campaign.
        throw new DownlinkError('INVALID_ARGUMENT', 'journal', 'a start must be claimed');
      }
      await session.record(record.key, record.event as ItemState, record.status);
    },
    status: () => session.task(() => countCampaign(client, tables, campaign)),
    async close() {
      if (closed) return;
      closed = true;
      if (!session.error) {
        await session
          .task(() =>
            client.query(`UPDATE ${tables.workers} SET stopped_at = now() WHERE id = $1`, [worker]),
          )
          .catch(() => undefined);
      }
      // Ending the session releases the worker's advisory lock.
      await client.end().catch(() => undefined);
    },
  };
}

async function liveIds(session: CampaignSession, tables: Tables): Promise<Set<number>> {
  const rows = await session.task(() => session.query<{ id: string }>(liveWorkers(tables), []));
  return new Set(rows.map((row) => Number(row.id)));
}

async function countCampaign(
  client: pg.ClientBase,
  tables: Tables,
  campaign: string,
): Promise<CampaignCounts> {
  const live = await client.query<{ id: string }>(liveWorkers(tables));
  const ids = new Set(live.rows.map((row) => Number(row.id)));
  const rows = await client.query<{ state: ItemState; worker: number; n: number }>(
    countStates(tables),
    [campaign],
  );
  const counts = countRows(rows.rows, ids);
  const workers = await client.query<{ id: number }>(
    `SELECT id FROM ${tables.workers} WHERE campaign = $1 AND stopped_at IS NULL`,
    [campaign],
  );
  counts.workers = workers.rows.filter((row) => ids.has(row.id)).length;
  return counts;
}

function countRows(
  rows: readonly { state: ItemState; worker: number; n: number }[],
  live: ReadonlySet<number>,
): CampaignCounts {
  const counts: CampaignCounts = {
    total: 0,
    queued: 0,
    failed: 0,
    unknown: 0,
    notSent: 0,
    inFlight: 0,
    workers: 0,
  };
  for (const row of rows) {
    counts[countOf(row.state, live.has(row.worker))] += row.n;
    counts.total += row.n;
  }
  return counts;
}
