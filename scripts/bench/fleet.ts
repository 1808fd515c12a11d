/**
 * Fleet sending (`sendDownlinks`, issue 14) against a local leaky-bucket server, each
 * scenario as a ratio to its ideal:
 *
 * 1. no configured rate, concurrency 64, server R = 100/s (burst 20, 429 with Retry-After: 1,
 *    20 ms latency), N = 1,500: time / (N / R), target <= 1.25; 429s / N, target <= 10 %;
 *    run twice: with a `retry: false` client and with the app's default client (retries on),
 *    whose targets are <= 1.15 and <= 5 % (issue 21);
 * 2. ratePerSecond = R = 200/s, N = 3,000: time / (N / R), target <= 1.1;
 * 3. no server limit, 20 ms latency, concurrency 16: rate / (16 / 20 ms), target >= 0.8
 *    (with a plain concurrent loop of client calls beside it: what this machine allows);
 * 4. 50,000 items streamed from a JSON-lines file, with the file journal, in a child process
 *    (`fleet-rss-child.mjs`, plain Node on the built packages): peak RSS sampled every 20 ms,
 *    target <= 150 MB;
 * and the cost of the file journal's `fsync` option per record.
 *
 * BENCH_FLEET_QUICK=1 runs every scenario at a fifth of its size (a smoke run).
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The built packages, as consumers run them (pnpm bench builds first).
import { createDxClient } from '@dx/core-client';
import { sendDownlinks, type FleetItem } from '@dx/downlink-helpers';
import { createFileJournal } from '@dx/downlink-helpers/file-journal';
import { startFleetServer } from '../test-support/fleet-server.js';

const QUICK = process.env.BENCH_FLEET_QUICK === '1';
const scale = (n: number): number => (QUICK ? Math.round(n / 5) : n);
const CHILD = fileURLToPath(new URL('./fleet-rss-child.mjs', import.meta.url));

const items = (count: number): FleetItem[] =>
  Array.from({ length: count }, (_, i) => ({
    device: `dev-${i}`,
    payload: { hex: '0102' },
    fPort: 2,
  }));

/** `default`: the app's client as most create it (retries on); `no-retry`: `retry: false`. */
type ClientKind = 'default' | 'no-retry';

const client = (baseUrl: string, kind: ClientKind = 'no-retry') =>
  createDxClient({
    baseUrl,
    auth: { token: 'bench' },
    ...(kind === 'no-retry' ? { retry: false as const } : {}),
  });

interface Row {
  scenario: string;
  measured: string;
  ratio: number;
  target: string;
  ok: boolean;
}

async function timedRun(options: {
  R?: number;
  N: number;
  concurrency: number;
  ratePerSecond?: number;
  kind?: ClientKind;
}) {
  const server = await startFleetServer({ ratePerSecond: options.R, burst: 20, latencyMs: 20 });
  const start = performance.now();
  const run = sendDownlinks(client(server.baseUrl, options.kind), items(options.N), {
    concurrency: options.concurrency,
    ratePerSecond: options.ratePerSecond,
  });
  for await (const _ of run) {
    // results are counted in the summary
  }
  const seconds = (performance.now() - start) / 1000;
  const summary = await run.summary;
  await server.close();
  return { seconds, summary, throttled: server.answers.get(429) ?? 0 };
}

/**
 * Scenario 1 with both clients: `retry: false`, and the app's default client (retries on),
 * which the run must pace just as well (issue 21: <= 5 % 429s, <= 1.15 x N/R).
 */
async function adaptive(): Promise<Row[]> {
  const R = 100;
  const N = scale(1500);
  const rows: Row[] = [];
  for (const [kind, label, timeTarget, shareTarget] of [
    ['no-retry', 'retry: false', 1.25, 0.1],
    ['default', 'default client', 1.15, 0.05],
  ] as const) {
    const { seconds, summary, throttled } = await timedRun({ R, N, concurrency: 64, kind });
    const ratio = seconds / (N / R);
    rows.push(
      {
        scenario: `1. adaptive, ${label}, R=${R}/s, N=${N}, concurrency 64`,
        measured: `${seconds.toFixed(2)} s, ${summary.queued}/${N} queued`,
        ratio,
        target: `<= ${timeTarget} x N/R`,
        ok: ratio <= timeTarget && summary.queued === N,
      },
      {
        scenario: `1b. 429 answers, ${label}`,
        measured: `${throttled}`,
        ratio: throttled / N,
        target: `<= ${shareTarget.toFixed(2)} x N`,
        ok: throttled <= N * shareTarget,
      },
    );
  }
  return rows;
}

async function configured(): Promise<Row> {
  const R = 200;
  const N = scale(3000);
  const { seconds, summary } = await timedRun({ R, N, concurrency: 64, ratePerSecond: R });
  const ratio = seconds / (N / R);
  return {
    scenario: `2. ratePerSecond=R=${R}/s, N=${N}`,
    measured: `${seconds.toFixed(2)} s, ${summary.queued}/${N} queued`,
    ratio,
    target: '<= 1.1 x N/R',
    ok: ratio <= 1.1 && summary.queued === N,
  };
}

async function unlimited(): Promise<Row[]> {
  const N = scale(3000);
  const ideal = 16 / 0.02;
  const { seconds } = await timedRun({ N, concurrency: 16 });
  const rate = N / seconds;
  // The same requests from 16 plain loops over the client: this machine's ceiling.
  const server = await startFleetServer({ latencyMs: 20 });
  const dx = client(server.baseUrl);
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let i = next++; i < N; i = next++) {
        await dx.downlink.sendDownlinkMessage({
          device: `dev-${i}`,
          requestBody: { payloadHex: '0102', targetPorts: '2' },
        });
      }
    }),
  );
  const plain = N / ((performance.now() - start) / 1000);
  await server.close();
  return [
    {
      scenario: `3. no limit, 20 ms, concurrency 16, N=${N}`,
      measured: `${rate.toFixed(0)}/s`,
      ratio: rate / ideal,
      target: '>= 0.8 x 800/s',
      ok: rate / ideal >= 0.8,
    },
    {
      scenario: '3b. plain client loop, same load',
      measured: `${plain.toFixed(0)}/s`,
      ratio: plain / ideal,
      target: '(machine ceiling)',
      ok: true,
    },
  ];
}

/** Peak RSS of one child run over the items file (`plain`: the control without sendDownlinks). */
async function childPeak(
  file: string,
  journal: string,
  baseUrl: string,
  mode: 'fleet' | 'plain',
): Promise<{ baseline: number; peak: number; summary?: { queued: number } }> {
  const child = spawn(process.execPath, [CHILD, file, journal, baseUrl, mode], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  await new Promise((resolve) => child.on('exit', resolve));
  return JSON.parse(stdout) as { baseline: number; peak: number; summary?: { queued: number } };
}

async function rss(): Promise<Row[]> {
  const N = scale(50_000);
  const dir = mkdtempSync(join(tmpdir(), 'dx-fleet-bench-'));
  const file = join(dir, 'items.jsonl');
  const out = createWriteStream(file);
  for (const item of items(N)) out.write(`${JSON.stringify(item)}\n`);
  await new Promise<void>((resolve) => out.end(resolve));
  const server = await startFleetServer({ latencyMs: 1 });
  const fleet = await childPeak(file, join(dir, 'journal.jsonl'), server.baseUrl, 'fleet');
  const plain = await childPeak(file, join(dir, 'unused.jsonl'), server.baseUrl, 'plain');
  await server.close();
  rmSync(dir, { recursive: true, force: true });
  const mb = (bytes: number): number => bytes / 1024 / 1024;
  const queued = fleet.summary?.queued ?? 0;
  return [
    {
      scenario: `4. ${N} items from a file, file journal, default concurrency`,
      measured: `peak RSS ${mb(fleet.peak).toFixed(0)} MB (${mb(fleet.baseline).toFixed(0)} MB before the run), ${queued}/${N} queued`,
      ratio: mb(fleet.peak) / 150,
      target: '<= 150 MB',
      ok: mb(fleet.peak) <= 150 && queued === N,
    },
    {
      scenario: `   control: the same ${N} items as 8 concurrent client calls, no sendDownlinks`,
      measured: `peak RSS ${mb(plain.peak).toFixed(0)} MB`,
      ratio: mb(plain.peak) / 150,
      target: "(what Node's fetch alone costs)",
      ok: true,
    },
  ];
}

/** Microseconds per journal record, with and without fsync. */
async function journalCost(fsync: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'dx-journal-bench-'));
  const journal = createFileJournal(join(dir, 'j.jsonl'), { fsync });
  const count = fsync ? scale(500) : scale(20_000);
  const start = performance.now();
  for (let i = 0; i < count; i++) {
    await journal.append({ key: `#${i}`, event: 'start', index: i, digest: '00112233445566' });
  }
  const us = ((performance.now() - start) * 1000) / count;
  await journal.close();
  rmSync(dir, { recursive: true, force: true });
  return us;
}

async function main(): Promise<void> {
  // BENCH_FLEET_ONLY=rss (or =adaptive) runs that scenario alone.
  const only = process.env.BENCH_FLEET_ONLY;
  const rows: Row[] =
    only === 'rss'
      ? await rss()
      : only === 'adaptive'
        ? await adaptive()
        : [...(await adaptive()), await configured(), ...(await unlimited()), ...(await rss())];
  console.log(`fleet sending${QUICK ? ' (quick)' : ''}`);
  for (const row of rows) {
    console.log(
      `  ${row.ok ? 'ok  ' : 'MISS'} ${row.scenario}: ${row.measured}; ratio ${row.ratio.toFixed(3)} (${row.target})`,
    );
  }
  const plain = await journalCost(false);
  const synced = await journalCost(true);
  console.log(
    `  file journal: ${plain.toFixed(1)} us per record, ${synced.toFixed(0)} us with fsync (x${(synced / plain).toFixed(0)})`,
  );
}

await main();
