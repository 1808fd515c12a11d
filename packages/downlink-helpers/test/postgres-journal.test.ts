/**
 * The PostgreSQL journal against a real server (see scripts/test-support/postgres.ts): several
 * workers of one campaign in one process, each with its own connection, as replicas would be.
 */
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { testPostgres, uniqueName } from '../../../scripts/test-support/postgres.js';
import { createMemoryJournal, DownlinkError, sendDownlinks } from '../src/index.js';
import {
  campaignStatus,
  openPostgresJournal,
  type PostgresJournal,
  type PostgresJournalOptions,
} from '../src/node/postgres/postgres-journal.js';
import type { SharedPace } from '../src/node/postgres/shared-pace.js';
import { byOutcome, collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const server = testPostgres();
afterAll(() => server.stop());
const serve = useFleetServers();
const schema = uniqueName('journal_test');

const open: PostgresJournal[] = [];
afterAll(async () => {
  await Promise.all(open.map((j) => j.close()));
});
async function worker(campaign: string, extra: Partial<PostgresJournalOptions> = {}) {
  const journal = await openPostgresJournal({
    connectionString: server.url!,
    campaign,
    schema,
    ...extra,
  });
  open.push(journal);
  return journal;
}

describe.skipIf(!server.url)(
  `PostgreSQL journal${server.reason ? ` (skipped: ${server.reason})` : ''}`,
  () => {
    it('workers reading the same input send every item exactly once, 503s included', async () => {
      // Every 15th request answers 503: its item is on record as `retry`, and only the worker
      // holding it sends it again.
      const dx = await serve({ fault: (_device, n) => (n % 15 === 7 ? 'unavailable' : 'ok') });
      const campaign = uniqueName('c');
      const fleet = items(300);
      const workers = await Promise.all([1, 2, 3].map(() => worker(campaign)));
      const runs = await Promise.all(
        workers.map((journal) =>
          collect(sendDownlinks(fleetClient(dx.baseUrl), fleet, { journal, pace: journal.pace })),
        ),
      );
      for (let i = 0; i < fleet.length; i++) {
        expect(dx.processed.get(`dev-${i}`), `dev-${i}`).toBe(1);
      }
      const queued = runs.map((results) => byOutcome(results).queued ?? 0);
      expect(queued.reduce((a, b) => a + b)).toBe(300);
      // Each item has one result in every worker: queued in one, skipped in the others.
      for (const results of runs) {
        expect(results).toHaveLength(300);
        expect(results.every((r) => r.outcome === 'queued' || r.outcome === 'skipped')).toBe(true);
      }
      expect(await workers[0]!.status()).toMatchObject({ total: 300, queued: 300, unknown: 0 });
    });

    it('a worker that is gone leaves its started items unknown, and its retries to the others', async () => {
      const dx = await serve();
      const campaign = uniqueName('c');
      const fleet = items(4);
      const digest = await digestsOf(fleet);
      const gone = await worker(campaign);
      for await (const _record of gone.read()) expect.fail('a new campaign has no records');
      // dev-0 was on its way to DX; dev-1 was answered 503 (certainly not processed).
      expect(await gone.claim({ key: '#0', event: 'start', index: 0, digest: digest[0]! })).toBe(
        true,
      );
      expect(await gone.claim({ key: '#1', event: 'start', index: 1, digest: digest[1]! })).toBe(
        true,
      );
      await gone.append({ key: '#1', event: 'retry', status: 503 });

      // While it runs, another worker leaves both alone: they are its to send.
      const peer = await worker(campaign);
      const whileAlive = await collect(
        sendDownlinks(fleetClient(dx.baseUrl), fleet, { journal: peer, pace: peer.pace }),
      );
      expect(whileAlive.filter((r) => r.index < 2).map((r) => r.outcome)).toEqual([
        'skipped',
        'skipped',
      ]);
      expect(dx.processed.has('dev-0') || dx.processed.has('dev-1')).toBe(false);
      expect(await peer.status()).toMatchObject({ inFlight: 2, queued: 2, unknown: 0, workers: 2 });

      // Gone (its session ended): its start is unknown, its retry is sent by the next worker.
      await gone.close();
      expect(
        await campaignStatus({ connectionString: server.url!, campaign, schema }),
      ).toMatchObject({
        unknown: 1,
        notSent: 1,
        queued: 2,
        workers: 1,
      });
      const next = await worker(campaign);
      const resumed = await collect(
        sendDownlinks(fleetClient(dx.baseUrl), fleet, { journal: next, pace: next.pace }),
      );
      const outcomeOf = (i: number) => resumed.find((r) => r.index === i)?.outcome;
      expect([outcomeOf(0), outcomeOf(1), outcomeOf(2), outcomeOf(3)]).toEqual([
        'unknown',
        'queued',
        'skipped',
        'skipped',
      ]);
      expect(dx.processed.has('dev-0')).toBe(false);
      expect(dx.processed.get('dev-1')).toBe(1);

      // Asked to, two workers resending the unknown one send it once between them.
      const [a, b] = await Promise.all([worker(campaign), worker(campaign)]);
      const again = await Promise.all(
        [a!, b!].map((journal) =>
          collect(
            sendDownlinks(fleetClient(dx.baseUrl), fleet, {
              journal,
              pace: journal.pace,
              resendUnknown: true,
            }),
          ),
        ),
      );
      expect(dx.processed.get('dev-0')).toBe(1);
      expect(
        again
          .flat()
          .filter((r) => r.index === 0)
          .map((r) => r.outcome)
          .sort(),
      ).toEqual(['queued', 'skipped']);
    });

    it('refuses a different input under the same campaign name', async () => {
      const dx = await serve();
      const campaign = uniqueName('c');
      const first = await worker(campaign);
      await collect(
        sendDownlinks(fleetClient(dx.baseUrl), items(5), { journal: first, pace: first.pace }),
      );
      const other = await worker(campaign);
      const run = sendDownlinks(fleetClient(dx.baseUrl), items(5, { payload: { hex: 'ff' } }), {
        journal: other,
        pace: other.pace,
      });
      const error = await collect(run).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownlinkError);
      expect((error as DownlinkError).field).toBe('journal');
      expect(dx.requests).toBe(5);
    });

    it('a throttle seen by one worker lowers the rate every worker of the campaign leases', async () => {
      const campaign = uniqueName('c');
      const [a, b] = await Promise.all([
        worker(campaign, { ratePerSecond: 100 }),
        worker(campaign, { ratePerSecond: 100 }),
      ]);
      const paceA = a.pace as SharedPace;
      const paceB = b.pace as SharedPace;
      // Spends the worker's slots until its next lease has come back; the rate it got.
      const leased = async (pace: SharedPace) => {
        pace.rate = undefined;
        while (pace.rate === undefined) {
          const wait = pace.take();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        return pace.rate;
      };
      expect(await leased(paceB)).toBe(100);
      paceA.onThrottled(Date.now(), 1000);
      await a.status();
      const after = (await leased(paceB))!;
      expect(after).toBeLessThan(100);
      expect(after).toBeGreaterThan(0);
    });

    it('creates its tables in the schema and with the prefix asked, and refuses another layout version', async () => {
      const own = uniqueName('layout');
      const journal = await worker(uniqueName('c'), { schema: own, tablePrefix: 'fleet_' });
      await journal.close();
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        const tables = await client.query<{ table_name: string }>(
          'SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
          [own],
        );
        expect(tables.rows.map((r) => r.table_name)).toEqual([
          'fleet_campaigns',
          'fleet_items',
          'fleet_schema',
          'fleet_workers',
        ]);
        await client.query(`UPDATE "${own}".fleet_schema SET version = 99`);
      } finally {
        await client.end();
      }
      const refused = await worker(uniqueName('c'), { schema: own, tablePrefix: 'fleet_' }).catch(
        (e: unknown) => e,
      );
      expect((refused as Error).message).toContain('layout version 99');
      const bad = await worker('x', { schema: 'Robert"; DROP' }).catch((e: unknown) => e);
      expect(bad).toBeInstanceOf(DownlinkError);
      expect((bad as DownlinkError).field).toBe('schema');
    });

    it('stops with a clear error when the database cannot be reached, and sends nothing', async () => {
      const dx = await serve();
      const error = await openPostgresJournal({
        connectionString: 'postgres://dx@127.0.0.1:1/postgres',
        campaign: 'c',
        statementTimeoutMs: 2000,
      }).catch((e: unknown) => e);
      expect((error as Error).name).toBe('CampaignJournalError');
      expect((error as Error).message).toMatch(/did not answer .*ECONNREFUSED.*stops sending/);
      expect(dx.requests).toBe(0);
    });
  },
);

/** The digests sendDownlinks records for `fleet`: the start records of a run elsewhere. */
async function digestsOf(fleet: ReturnType<typeof items>): Promise<string[]> {
  const elsewhere = await serve();
  const journal = createMemoryJournal();
  await collect(sendDownlinks(fleetClient(elsewhere.baseUrl), fleet, { journal }));
  return journal.records.filter((r) => r.event === 'start').map((r) => r.digest!);
}
