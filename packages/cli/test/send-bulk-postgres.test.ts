/**
 * `dx send-bulk --journal postgres://...`: several `dx` processes on one campaign, against the
 * real `@dx/mock` and a real PostgreSQL (scripts/test-support/postgres.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  serverCtl,
  testPostgres,
  uniqueName,
  type TestPostgres,
} from '../../../scripts/test-support/postgres.js';
import { assertBuilt, BIN, dx, ndjson, SECRET } from './harness.js';
import { mockedDx } from './mock.js';

const server = testPostgres();
assertBuilt();
const { mock, home, env, outputs } = await mockedDx();
afterAll(() => server.stop());

const eui = (n: number) => `0018B2${n.toString(16).toUpperCase().padStart(10, '0')}`;

async function fleetFile(count: number): Promise<string> {
  const path = join(home.home, `fleet-${count}.jsonl`);
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ device: eui(i), payload: { hex: '0101' }, fPort: 2 }),
  );
  await writeFile(path, lines.join('\n'));
  return path;
}

interface Worker {
  child: ChildProcess;
  done: Promise<{
    code: number | null;
    signal: NodeJS.Signals | null;
    stdout: string;
    stderr: string;
  }>;
}

const running = new Set<ChildProcess>();
// A test that failed half-way must not leave workers sending into the next one.
afterEach(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** One `dx send-bulk` worker process (not awaited: several run at once). */
function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, [BIN, 'send-bulk', ...args, '--json'], {
    env,
    cwd: home.home,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Awaited<Worker['done']>>((resolve) =>
    child.on('close', (code, signal) => {
      running.delete(child);
      outputs.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, done };
}

/** Downlinks DX queued, per device. */
function queuedPerDevice(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of mock.downlinks) counts.set(d.device, (counts.get(d.device) ?? 0) + 1);
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

/** Items the worker process `pid` has claimed and not yet recorded an outcome for. */
async function claimsOut(pid: number): Promise<number> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const result = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM dx_items i JOIN dx_workers w ON w.id = i.worker
       WHERE w.pid = $1 AND i.state = 'start'`,
      [pid],
    );
    return result.rows[0]!.n;
  } finally {
    await client.end();
  }
}

type Counts = Record<
  'total' | 'queued' | 'failed' | 'unknown' | 'notSent' | 'inFlight' | 'workers',
  number
>;

async function status(db: TestPostgres, campaign: string): Promise<Counts> {
  const r = await dx(
    ['send-bulk', '--journal', db.url!, '--campaign', campaign, '--status', '--json'],
    { env },
  );
  outputs.push(r.stdout, r.stderr);
  expect(r.code, r.stderr).toBe(0);
  return (ndjson(r.stdout)[0] as { status: Counts }).status;
}

const reset = (limit?: { perSecond: number; burst: number }, latencyMs = 0) => {
  mock.clearRecords();
  mock.clearFaults();
  mock.setRateLimit(limit);
  mock.setLatency(latencyMs);
};

describe.skipIf(!server.url)(
  `dx send-bulk with a PostgreSQL journal${server.reason ? ` (skipped: ${server.reason})` : ''}`,
  () => {
    it('4 workers on one campaign: every device exactly once, at the shared rate, few 429s', async () => {
      reset({ perSecond: 1000, burst: 50 });
      const file = await fleetFile(1000);
      const campaign = uniqueName('four');
      const args = [
        '--file',
        file,
        '--journal',
        server.url!,
        '--campaign',
        campaign,
        '--rate',
        '1000',
      ];
      const workers = [0, 1, 2, 3].map(() => startWorker(args));
      const results = await Promise.all(workers.map((w) => w.done));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const perDevice = queuedPerDevice();
      expect(perDevice.size).toBe(1000);
      expect([...perDevice.values()].every((n) => n === 1)).toBe(true);
      const api = mock.requests.filter((r) => r.endpoint === 'api');
      const throttled = api.filter((r) => r.status === 429).length;
      expect(throttled / api.length).toBeLessThanOrEqual(0.05);
      // Each worker reports every line: queued by it, or skipped (another worker's).
      const summaries = results.map(
        (r) => ndjson(r.stdout).at(-1)!.summary as Record<string, number>,
      );
      expect(summaries.reduce((sum, s) => sum + s.queued!, 0)).toBe(1000);
      for (const s of summaries) expect(s.queued! + s.skipped!).toBe(1000);
      expect(await status(server, campaign)).toMatchObject({
        queued: 1000,
        unknown: 0,
        notSent: 0,
      });
    });

    it('SIGKILL of one worker: the others finish, only its in-flight items are unknown, a resume sends what was not sent', async () => {
      // Answers slow enough that a worker has sends in flight when it is killed, and a limit
      // below the rate asked: its 429s leave items `retry` (certainly not sent) for the resume.
      reset({ perSecond: 160, burst: 5 }, 300);
      const file = await fleetFile(400);
      const campaign = uniqueName('kill');
      const args = [
        '--file',
        file,
        '--journal',
        server.url!,
        '--campaign',
        campaign,
        '--rate',
        '200',
      ];
      const workers = [0, 1, 2, 3].map(() => startWorker(args));
      // Killed once it has claims out: sends DX may or may not have received.
      await until(() => mock.downlinks.length >= 60);
      while ((await claimsOut(workers[0]!.child.pid!)) === 0) await sleep(5);
      workers[0]!.child.kill('SIGKILL');
      const [killed, ...others] = await Promise.all(workers.map((w) => w.done));
      expect(killed!.signal).toBe('SIGKILL');
      for (const r of others) expect(r.code, r.stderr).toBe(0);

      const after = await status(server, campaign);
      // Its claims that had started are unknown: at most its concurrency (8) of them.
      expect(after.unknown).toBeGreaterThanOrEqual(1);
      expect(after.unknown).toBeLessThanOrEqual(8);
      expect(after.queued + after.unknown + after.notSent).toBe(400);
      expect(after.inFlight).toBe(0);
      const beforeResume = queuedPerDevice();
      expect([...beforeResume.values()].every((n) => n === 1)).toBe(true);

      const resume = await startWorker(args).done;
      const lines = ndjson(resume.stdout);
      const summary = lines.at(-1)!.summary as Record<string, number>;
      expect(summary.unknown).toBe(after.unknown);
      expect(summary.queued).toBe(after.notSent);
      const final = queuedPerDevice();
      expect([...final.values()].every((n) => n === 1)).toBe(true);
      // Everything but the unknown ones reached DX exactly once.
      const unknownDevices = new Set(
        lines.filter((l) => l.outcome === 'unknown').map((l) => l.device as string),
      );
      for (let i = 0; i < 400; i++) {
        if (!unknownDevices.has(eui(i))) expect(final.get(eui(i)), eui(i)).toBe(1);
      }
      expect(await status(server, campaign)).toMatchObject({
        notSent: 0,
        queued: 400 - after.unknown,
      });
    });

    it('the database stopped mid-run: workers stop sending with a clear message; a resume after the restart finishes, no duplicates', async () => {
      // A server of its own: stopping the shared one would break the other test files.
      const own = testOwnPostgres();
      try {
        reset(undefined, 10);
        const file = await fleetFile(300);
        const campaign = uniqueName('stop');
        const args = [
          '--file',
          file,
          '--journal',
          own.url!,
          '--campaign',
          campaign,
          '--rate',
          '200',
        ];
        const workers = [0, 1].map(() => startWorker(args));
        await until(() => mock.downlinks.length >= 100);
        serverCtl(own.dir!, 'stop');
        const atStop = mock.downlinks.length;
        const results = await Promise.all(workers.map((w) => w.done));
        for (const r of results) {
          expect(r.code).toBe(1);
          expect(r.stderr).toMatch(
            /the campaign database (did not answer|went away) .*this worker stops sending/,
          );
        }
        // Only sends whose claims were written before the stop may still have gone out.
        expect(mock.downlinks.length - atStop).toBeLessThanOrEqual(2 * 8);

        serverCtl(own.dir!, 'start');
        const resume = await startWorker(args).done;
        const summary = ndjson(resume.stdout).at(-1)!.summary as Record<string, number>;
        expect(summary.queued! + summary.skipped! + summary.unknown!).toBe(300);
        const perDevice = queuedPerDevice();
        expect([...perDevice.values()].every((n) => n === 1)).toBe(true);
        expect(perDevice.size).toBeGreaterThanOrEqual(300 - summary.unknown!);
      } finally {
        own.stop();
      }
    });

    it('refuses a password in the URL (without repeating it) and a database journal without --campaign', async () => {
      reset();
      const file = await fleetFile(3);
      const withPassword = await dx(
        [
          'send-bulk',
          '--file',
          file,
          '--journal',
          'postgres://dx:hunter2-SECRET@127.0.0.1:5432/db',
          '--campaign',
          'c',
        ],
        { env },
      );
      expect(withPassword.code).toBe(2);
      expect(withPassword.stderr).toContain('PGPASSWORD or ~/.pgpass');
      expect(withPassword.stderr + withPassword.stdout).not.toContain('hunter2');
      const noCampaign = await dx(['send-bulk', '--file', file, '--journal', server.url!], { env });
      expect(noCampaign.code).toBe(2);
      expect(noCampaign.stderr).toContain('--campaign <name> is required');
      const campaignAlone = await dx(['send-bulk', '--file', file, '--campaign', 'c'], { env });
      expect(campaignAlone.code).toBe(2);
      expect(mock.downlinks).toHaveLength(0);
    });
  },
);

/** A PostgreSQL for this test alone (never the shared one of DX_TEST_POSTGRES_URL). */
function testOwnPostgres(): TestPostgres {
  const shared = process.env.DX_TEST_POSTGRES_URL;
  const sharedDir = process.env.DX_TEST_POSTGRES_DIR;
  delete process.env.DX_TEST_POSTGRES_URL;
  try {
    return testPostgres();
  } finally {
    if (shared !== undefined) process.env.DX_TEST_POSTGRES_URL = shared;
    if (sharedDir !== undefined) process.env.DX_TEST_POSTGRES_DIR = sharedDir;
  }
}
