/**
 * Overhead of the client: `client.downlink.sendDownlinkMessage` through `createDxClient`
 * (token cached) against raw `fetch` sending the same request to the same loopback server.
 * Sequential requests, interleaved rounds, median ratio. Information only: there is no
 * target any more (issue 12), a downlink costs a network round trip and the loopback overhead
 * of a client is far below it. The numbers show what the client's safety costs on loopback.
 *
 * The rounds run in several fresh processes (forks) and are pooled. Within one process the
 * rotating order cancels drift in machine load, but each process also settles into its own JIT
 * and heap layout: the median of one process moved by up to 0.05 from run to run here, so one
 * process alone cannot tell 0.93 from 0.96.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
// The built package, as consumers run it (pnpm bench builds first).
import { createDxClient, VERSION } from '@dx/core-client';
import { compareAll, formatRate, median, pool, type Contender, type Standing } from './stats.js';
import { loadStockClient, type StockClient } from './stock-client.js';

// Many short rounds: single rounds on this machine spread by +-15 %, so the median needs many
// of them, and short rounds keep each fork near half a minute.
const FORKS = Number(process.env.BENCH_FORKS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 25);
const OPS = Number(process.env.BENCH_OPS ?? 300);
/** Set in a fork: measure and print the standings as JSON. */
const IN_FORK = process.env.BENCH_FORK === '1';

/** One process's measurement: its own server, client and rounds. */
async function measureHere(): Promise<Standing[]> {
  const body = JSON.stringify({ status: 'QUEUED' });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.includes('/oauth/token')) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'bench-token', expires_in: 3600 }));
        return;
      }
      res.writeHead(200, {
        'Content-Type': 'application/json',
        'Content-Length': String(body.length),
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const baseUrl = `${origin}/core/latest/api`;
  const message = { payloadHex: '03670110', targetPorts: '2' };
  // What the client sends in Node, so that both sides put the same bytes on the wire.
  const clientUserAgent = `@dx/core-client/${VERSION}`;

  const client = createDxClient({
    baseUrl,
    auth: {
      clientId: 'bench/login',
      clientSecret: 'bench-secret',
      tokenUrl: `${origin}/admin/latest/api/oauth/token`,
    },
  });
  await client.downlink.sendDownlinkMessage({ device: '0018B20000000B20', requestBody: message });

  /** A contender sending the benchmark's downlink through a generated-client-shaped API. */
  function sending(name: string, api: StockClient): Contender {
    return {
      name,
      async run(ops: number) {
        for (let i = 0; i < ops; i++) {
          await api.downlink.sendDownlinkMessage({
            device: '0018B20000000B20',
            requestBody: message,
            confirmDownlink: true,
          });
        }
      },
    };
  }

  const ours = sending(
    'client.downlink.sendDownlinkMessage (createDxClient, token cached)',
    client,
  );
  /** The same request as the client sends, by hand; with a signal when asked for one. */
  async function rawRequest(signal?: AbortSignal): Promise<void> {
    const res = await fetch(
      `${baseUrl}/devices/0018B20000000B20/downlinkMessages?confirmDownlink=true`,
      {
        method: 'POST',
        headers: {
          Accept: 'application/json',
          'Content-Type': 'application/json',
          Authorization: 'Bearer bench-token',
          'User-Agent': clientUserAgent,
        },
        body: JSON.stringify(message),
        ...(signal ? { signal } : {}),
      },
    );
    if (!res.ok) throw new Error(`status ${res.status}`);
    await res.json();
  }

  const raw: Contender = {
    name: 'raw fetch',
    async run(ops: number) {
      for (let i = 0; i < ops; i++) await rawRequest();
    },
  };

  /** Raw fetch plus what any client must add to honour a timeout: a timer and an abort handle. */
  function abortable(
    name: string,
    handle: () => { signal: AbortSignal; abort(): void },
  ): Contender {
    return {
      name,
      async run(ops: number) {
        for (let i = 0; i < ops; i++) {
          const abort = handle();
          const timer = setTimeout(() => abort.abort(), 30_000);
          await rawRequest(abort.signal);
          clearTimeout(timer);
        }
      },
    };
  }

  // What being abortable alone costs raw fetch: the ceiling of any client that aborts
  // timed-out requests.
  const rawAbortController = abortable('raw fetch + AbortController', () => new AbortController());

  const stockClient = await loadStockClient({ BASE: baseUrl, TOKEN: 'bench-token' });
  const stock = sending('openapi-typescript-codegen stock fetch runtime, same spec', stockClient);

  const contenders = [ours, rawAbortController, stock];
  for (const contender of [raw, ...contenders]) await contender.run(300);
  const standings = await compareAll(raw, contenders, ROUNDS, OPS);
  server.close();
  server.closeAllConnections();
  return standings;
}

/** Runs this script again in a fresh process and reads its standings. */
function fork(): Promise<Standing[]> {
  return new Promise((resolve, reject) => {
    const script = fileURLToPath(import.meta.url);
    const child = spawn(process.execPath, [...process.execArgv, script], {
      env: { ...process.env, BENCH_FORK: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`benchmark fork exited with ${code}`));
      else resolve(JSON.parse(out) as Standing[]);
    });
  });
}

if (IN_FORK) {
  process.stdout.write(JSON.stringify(await measureHere()));
} else {
  const runs: Standing[][] = [];
  // One after the other: forks running side by side would compete for the same CPUs.
  for (let i = 0; i < FORKS; i++) runs.push(FORKS === 1 ? await measureHere() : await fork());
  const standings = pool(runs);
  const [baseline, clientStanding] = standings as [Standing, Standing];
  const perFork = runs.map((run) => median((run[1] as Standing).ratios).toFixed(3));
  process.stdout.write(
    [
      `\n### Client overhead (loopback, sequential; ${FORKS} processes x ${ROUNDS} interleaved rounds of ${OPS} requests, pooled)\n`,
      '| contender | median req/s | median ratio to raw fetch |',
      '| --- | ---: | ---: |',
      ...standings.map((s) => `| ${s.name} | ${formatRate(s.rate)} | ${s.ratio.toFixed(3)} |`),
      '',
      `Client / raw fetch: **${clientStanding.ratio.toFixed(3)}** over ${clientStanding.ratios.length} rounds (baseline ${formatRate(baseline.rate)} req/s).`,
      `Client / raw fetch per process: ${perFork.join(', ')}.`,
      '',
    ].join('\n'),
  );
}
