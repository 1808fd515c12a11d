/**
 * `pnpm bench:postgres`: a campaign sent by 4 `dx send-bulk` worker processes sharing one
 * PostgreSQL journal, against `@dx/mock` limited to R requests per second (the workers are
 * told `--rate R`, which they hold together). Reports:
 *
 * - the time from the first downlink DX queued to the last, as a ratio to N/R (1.0 is the
 *   limit itself; the issue asks at most 1.2), and the wall time including start-up;
 * - 429 answers, as a share of the requests;
 * - database round trips per item: transactions the server counted (pg_stat_database) during
 *   the run, all workers together, start-up included, divided by N;
 * - every device queued exactly once (the run fails otherwise);
 * - for comparison, the same campaign sent by one `dx` with a file journal.
 *
 * Size: BENCH_PG_ITEMS (default 20,000) at BENCH_PG_RATE per second (default 200): 100 s.
 * BENCH_PG_CONCURRENCY: each worker's --concurrency (default: dx's, 8).
 * The server is the one of DX_TEST_POSTGRES_URL, else one started for the run (see
 * scripts/postgres/start.sh). Run `pnpm build` first (the script's pnpm entry does).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDxMock } from '@dx/mock';
import pg from 'pg';
import { testPostgres } from '../test-support/postgres.js';

const N = Number(process.env.BENCH_PG_ITEMS ?? 20_000);
const R = Number(process.env.BENCH_PG_RATE ?? 200);
const WORKERS = 4;
const BIN = resolve(import.meta.dirname, '../../packages/cli/dist/cli.js');

const server = testPostgres();
if (!server.url) throw new Error(`no PostgreSQL for the benchmark: ${server.reason}`);
const work = await mkdtemp(join(tmpdir(), 'dx-bench-pg-'));
// Every record kept (not the last 10,000): exactly-once is checked device by device.
const mock = await startDxMock({ rateLimit: { perSecond: R, burst: 20 }, maxRecords: Infinity });
const env = {
  PATH: process.env.PATH ?? '',
  HOME: work,
  DX_BASE_URL: mock.url,
  DX_TOKEN_URL: mock.tokenUrl,
  DX_CLIENT_ID: mock.clientId,
  DX_CLIENT_SECRET: mock.clientSecret,
};

async function transactions(): Promise<number> {
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  try {
    const r = await client.query<{ n: string }>(
      'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(r.rows[0]!.n);
  } finally {
    await client.end();
  }
}

function worker(args: string[]): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, 'send-bulk', ...args], { env, stdio: 'ignore' });
    child.on('error', fail);
    child.on('exit', done);
  });
}

try {
  const file = join(work, 'fleet.jsonl');
  const lines = Array.from({ length: N }, (_, i) =>
    JSON.stringify({
      device: `0018B2${i.toString(16).toUpperCase().padStart(10, '0')}`,
      payload: { hex: '0101' },
      fPort: 2,
    }),
  );
  await writeFile(file, lines.join('\n'));
  const campaign = `bench-${process.pid}`;
  const args = ['--file', file, '--journal', server.url, '--campaign', campaign];
  args.push('--rate', String(R), '--json');
  if (process.env.BENCH_PG_CONCURRENCY)
    args.push('--concurrency', process.env.BENCH_PG_CONCURRENCY);

  // Transactions of the server are counted when each backend reports them (at the latest when
  // it exits): read once before, and after the workers have exited and a second has passed.
  const before = await transactions();
  let first: number | undefined;
  let last = 0;
  let seen = 0;
  const poll = setInterval(() => {
    const n = mock.downlinks.length;
    if (n > seen) {
      first ??= performance.now();
      last = performance.now();
      seen = n;
    }
  }, 2);
  const started = performance.now();
  const codes = await Promise.all(Array.from({ length: WORKERS }, () => worker(args)));
  const wall = performance.now() - started;
  clearInterval(poll);
  await new Promise((r) => setTimeout(r, 1500));
  const trips = (await transactions()) - before;

  const perDevice = new Map<string, number>();
  for (const d of mock.downlinks) perDevice.set(d.device, (perDevice.get(d.device) ?? 0) + 1);
  const twice = [...perDevice.values()].filter((n) => n > 1).length;
  if (perDevice.size !== N || twice > 0 || codes.some((c) => c !== 0)) {
    throw new Error(
      `not every device exactly once: ${perDevice.size} of ${N} queued, ${twice} twice; exit codes ${codes.join(',')}`,
    );
  }
  const api = mock.requests.filter((r) => r.endpoint === 'api');
  const throttled = api.filter((r) => r.status === 429).length;
  const ideal = (N / R) * 1000;
  const span = last - (first ?? last);

  // The same campaign by one dx with a file journal, measured the same way: what this machine
  // gives without PostgreSQL and without several processes (a busy machine slows both).
  mock.clearRecords();
  first = undefined;
  seen = 0;
  const single = setInterval(() => {
    const n = mock.downlinks.length;
    if (n > seen) {
      first ??= performance.now();
      last = performance.now();
      seen = n;
    }
  }, 2);
  const baseline = await worker([
    '--file',
    file,
    '--journal',
    join(work, 'one.journal'),
    '--rate',
    String(R),
    '--json',
  ]);
  clearInterval(single);
  if (baseline !== 0 || mock.downlinks.length !== N) throw new Error(`baseline: exit ${baseline}`);
  const baselineSpan = last - (first ?? last);

  console.log(
    `Node ${process.version}, ${new Date().toISOString()}, load average ${loadavg()[0]!.toFixed(1)}\n`,
  );
  console.log('| measure | result |\n| --- | --- |');
  console.log(
    `| ${WORKERS} dx send-bulk workers, ${N} items, limit and --rate ${R}/s | every device once |`,
  );
  console.log(
    `| first to last downlink, ratio to N/R (${(ideal / 1000).toFixed(1)} s) | ${(span / ideal).toFixed(3)} (${(span / 1000).toFixed(1)} s) |`,
  );
  console.log(
    `| wall time incl. start-up, ratio to N/R | ${(wall / ideal).toFixed(3)} (${(wall / 1000).toFixed(1)} s) |`,
  );
  console.log(
    `| 429 answers | ${throttled} of ${api.length} requests (${((throttled / api.length) * 100).toFixed(2)} %) |`,
  );
  console.log(
    `| database round trips per item (all workers) | ${(trips / N).toFixed(2)} (${trips} transactions) |`,
  );
  console.log(
    `| baseline: one dx, file journal, same N and rate: ratio to N/R | ${(baselineSpan / ideal).toFixed(3)} (${(baselineSpan / 1000).toFixed(1)} s) |`,
  );
} finally {
  await mock.close();
  await rm(work, { recursive: true, force: true });
  server.stop();
}
