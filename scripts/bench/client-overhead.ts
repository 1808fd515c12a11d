/**
 * Overhead of the client: `client.downlink.sendDownlinkMessage` through `createDxClient`
 * (token cached) against raw `fetch` sending the same request to the same loopback server.
 * Sequential requests, interleaved rounds, median ratio. Target: at least 0.95.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// The built package, as consumers run it (pnpm bench builds first).
import { createDxClient, VERSION } from '@dx/core-client';
// Not exported by the package: the bench measures its cost on its own.
import { attemptAbort } from '../../packages/core-client/src/runtime/attempt-signal.js';
import { compareAll, formatRate, type Contender, type Standing } from './stats.js';
import { loadStockClient, type StockClient } from './stock-client.js';

// Many short rounds: single rounds on this machine spread by +-15 %, so the median needs many
// of them, and short rounds keep the run near a minute.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 41);
const OPS = Number(process.env.BENCH_OPS ?? 300);
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

const ours = sending('client.downlink.sendDownlinkMessage (createDxClient, token cached)', client);
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
function abortable(name: string, handle: () => { signal: AbortSignal; abort(): void }): Contender {
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

// What being abortable alone costs raw fetch, with the signal the client hands Node's fetch
// (see attempt-signal.ts) and with a real AbortController: the ceiling of any client that
// aborts timed-out requests.
const rawPlainSignal = abortable("raw fetch + the client's attempt signal", () =>
  attemptAbort(undefined),
);
const rawAbortController = abortable('raw fetch + AbortController', () => new AbortController());

const stockClient = await loadStockClient({ BASE: baseUrl, TOKEN: 'bench-token' });
const stock = sending('openapi-typescript-codegen stock fetch runtime, same spec', stockClient);

const contenders = [ours, rawPlainSignal, rawAbortController, stock];
for (const contender of [raw, ...contenders]) await contender.run(300);
const standings = await compareAll(raw, contenders, ROUNDS, OPS);
server.close();
server.closeAllConnections();

const [baseline, clientStanding] = standings as [Standing, Standing];
process.stdout.write(
  [
    `\n### Client overhead (loopback, sequential, ${ROUNDS} interleaved rounds of ${OPS} requests each)\n`,
    '| contender | median req/s | median ratio to raw fetch |',
    '| --- | ---: | ---: |',
    ...standings.map((s) => `| ${s.name} | ${formatRate(s.rate)} | ${s.ratio.toFixed(3)} |`),
    '',
    `Client / raw fetch: **${clientStanding.ratio.toFixed(3)}** (target >= 0.95; baseline ${formatRate(baseline.rate)} req/s).`,
    '',
  ].join('\n'),
);
