/**
 * `pnpm bench:cli`: what an operator waits for with the built `dx` (packages/cli/dist/cli.js),
 * measured as subprocesses, the way it is used:
 *
 * - start-up: `dx --version` and `dx encode --lpp ...` (offline), median wall time of 15 runs;
 * - `dx send` against @dx/mock on 127.0.0.1 (token + one downlink), median of 9 runs;
 * - `dx send-bulk` of N items against @dx/mock (no latency, no limit, concurrency 16): items/s;
 * - `dx send-bulk` streaming 25,000 and 100,000 lines: peak RSS of the dx process (VmHWM,
 *   Linux), which must not grow with the length;
 * - `dx send-bulk --dry-run` of 1,000,000 lines into a fast reader, a slow one (stdout read at
 *   8 MB/s) and one that starts reading 10 s late: peak RSS, which must not grow with the
 *   reader's slowness (stdout backpressure). `tsx scripts/bench/cli.ts backpressure` runs this case alone.
 *
 * Run `pnpm build` first. Numbers vary with the machine: compare runs on the same one.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startDxMock } from '@dx/mock';
import { median } from './stats.js';

const BIN = resolve(import.meta.dirname, '../../packages/cli/dist/cli.js');

interface Run {
  ms: number;
  code: number | null;
  peakRssMb: number;
}

/** Runs dx to completion; polls /proc for the peak resident set size while it runs. */
function dx(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: 'ignore',
    });
    let peakKb = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (hwm) peakKb = Math.max(peakKb, Number(hwm));
      } catch {
        /* exited between two polls */
      }
    }, 20);
    child.on('error', fail);
    child.on('exit', (code) => {
      clearInterval(poll);
      done({ ms: performance.now() - started, code, peakRssMb: peakKb / 1024 });
    });
  });
}

async function medianMs(
  times: number,
  args: string[],
  env: Record<string, string>,
): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < times; i++) {
    const r = await dx(args, env);
    if (r.code !== 0) throw new Error(`dx ${args.join(' ')} exited ${r.code}`);
    runs.push(r.ms);
  }
  return median(runs);
}

interface Reader {
  /** At most this fast; unlimited when undefined. */
  bytesPerSecond?: number;
  /** Not a byte read before this. */
  startAfterMs?: number;
}

/**
 * `dx send-bulk --dry-run` of a file with stdout read by this process as `reader` says: peak
 * RSS of the dx process, and the bytes read.
 */
function dryRunInto(path: string, reader: Reader): Promise<Run & { outputBytes: number }> {
  const { bytesPerSecond, startAfterMs } = reader;
  return new Promise((done, fail) => {
    const started = performance.now();
    const child = spawn(process.execPath, [BIN, 'send-bulk', '--file', path, '--dry-run'], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let peakKb = 0;
    let outputBytes = 0;
    const poll = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1];
        if (hwm) peakKb = Math.max(peakKb, Number(hwm));
      } catch {
        /* exited between two polls */
      }
    }, 20);
    if (startAfterMs !== undefined) {
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), startAfterMs);
    }
    // A slow reader: read, and pause for as long as the bytes read "took" at that speed.
    child.stdout.on('data', (chunk: Buffer) => {
      outputBytes += chunk.length;
      if (bytesPerSecond === undefined) return;
      child.stdout.pause();
      setTimeout(() => child.stdout.resume(), (chunk.length * 1000) / bytesPerSecond);
    });
    child.on('error', fail);
    child.on('close', (code) => {
      clearInterval(poll);
      done({ ms: performance.now() - started, code, peakRssMb: peakKb / 1024, outputBytes });
    });
  });
}

/** Peak RSS of a dry run of 1 M lines into a fast reader, a slow one and a late one. */
async function backpressureRows(): Promise<[string, string][]> {
  const count = 1_000_000;
  const path = join(work, 'dry-1m.jsonl');
  await writeFile(path, lines(count));
  const rows: [string, string][] = [];
  for (const [name, reader] of [
    ['fast reader', {}],
    ['slow reader (8 MB/s)', { bytesPerSecond: 8 * 1024 * 1024 }],
    ['reader starting 10 s late', { startAfterMs: 10_000 }],
  ] as const) {
    const run = await dryRunInto(path, reader);
    if (run.code !== 0) throw new Error(`dry run into a ${name}: exit ${run.code}`);
    rows.push([
      `dx send-bulk --dry-run, ${count} lines, ${name}: peak RSS`,
      `${run.peakRssMb.toFixed(0)} MB (${(run.outputBytes / 1e6).toFixed(0)} MB out in ${(run.ms / 1000).toFixed(1)} s)`,
    ]);
  }
  return rows;
}

const lines = (n: number) =>
  Array.from({ length: n }, (_, i) =>
    JSON.stringify({
      device: `0018B2${i.toString(16).toUpperCase().padStart(10, '0')}`,
      payload: { hex: '0101' },
      fPort: 2,
    }),
  ).join('\n');

const work = await mkdtemp(join(tmpdir(), 'dx-bench-cli-'));
const mock = await startDxMock({});
// The mock keeps the last 10,000 records; its counts are exact.
const queued = (): number => mock.counts.downlinks;
const env = {
  DX_BASE_URL: mock.url,
  DX_TOKEN_URL: mock.tokenUrl,
  DX_CLIENT_ID: mock.clientId,
  DX_CLIENT_SECRET: mock.clientSecret,
};
/** `dx send-bulk` of `count` lines against the mock; throws unless every line was queued. */
async function sendBulk(count: number, concurrency: number): Promise<Run> {
  const path = join(work, `bulk-${count}.jsonl`);
  await writeFile(path, lines(count));
  mock.clearRecords();
  const run = await dx(
    ['send-bulk', '--file', path, '--concurrency', String(concurrency), '--json'],
    env,
  );
  if (run.code !== 0 || queued() !== count)
    throw new Error(`send-bulk ${count}: exit ${run.code}, ${queued()} queued`);
  return run;
}

function print(rows: [string, string][]): void {
  console.log(`Node ${process.version}, ${new Date().toISOString()}\n`);
  console.log('| measure | result |\n| --- | --- |');
  for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);
}

try {
  const rows: [string, string][] = [];
  if (!process.argv.includes('backpressure')) rows.push(...(await everyOtherRow()));
  rows.push(...(await backpressureRows()));
  print(rows);
} finally {
  await mock.close();
  await rm(work, { recursive: true, force: true });
}

async function everyOtherRow(): Promise<[string, string][]> {
  const rows: [string, string][] = [];
  rows.push([
    'dx --version (start-up)',
    `${(await medianMs(15, ['--version'], {})).toFixed(0)} ms`,
  ]);
  const lpp = '[{"channel":3,"type":"temperature","value":27.2}]';
  rows.push([
    'dx encode --lpp … (offline)',
    `${(await medianMs(15, ['encode', '--lpp', lpp, '--region', 'EU868', '--data-rate', '0'], {})).toFixed(0)} ms`,
  ]);
  rows.push([
    'dx send (token + 1 downlink, local mock)',
    `${(await medianMs(9, ['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '0101', '--json'], env)).toFixed(0)} ms`,
  ]);

  const n = 3000;
  const bulk = await sendBulk(n, 16);
  rows.push([
    `dx send-bulk, ${n} items, concurrency 16, local mock`,
    `${((n * 1000) / bulk.ms).toFixed(0)} items/s (${(bulk.ms / 1000).toFixed(1)} s incl. start-up)`,
  ]);

  // Two lengths, one four times the other: flat memory means the same peak for both.
  for (const big of [25_000, 100_000]) {
    const stream = await sendBulk(big, 32);
    rows.push([
      `dx send-bulk, ${big} items streamed: peak RSS`,
      `${stream.peakRssMb.toFixed(0)} MB (${((big * 1000) / stream.ms).toFixed(0)} items/s)`,
    ]);
  }

  return rows;
}
