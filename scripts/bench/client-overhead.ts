/**
 * Overhead of the client: `client.downlink.sendDownlinkMessage` through `createDxClient`
 * (token cached) against raw `fetch` sending the same request to the same loopback server.
 * Sequential requests, interleaved rounds, median ratio. Target: at least 0.95.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// The built package, as consumers run it (pnpm bench builds first).
import { createDxClient, VERSION } from '@dx/core-client';
import { compare, formatRate, type Contender } from './stats.js';
import { loadStockClient, type StockClient } from './stock-client.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const OPS = Number(process.env.BENCH_OPS ?? 1000);
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

const ours = sending('createDxClient', client);
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

const raw = {
  name: 'raw fetch',
  async run(ops: number) {
    for (let i = 0; i < ops; i++) await rawRequest();
  },
};

// Raw fetch with what the client must add to honour a timeout and cancel(): an AbortSignal
// and a timer per request. Node 20's fetch pays a WeakRef and a FinalizationRegistry entry for
// every signal, so this isolates the client's own overhead from the cost of being abortable.
const rawAbortable = {
  name: 'raw fetch + timeout signal',
  async run(ops: number) {
    for (let i = 0; i < ops; i++) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30_000);
      await rawRequest(controller.signal);
      clearTimeout(timer);
    }
  },
};

const stockClient = await loadStockClient({ BASE: baseUrl, TOKEN: 'bench-token' });
const stock = sending('stock runtime', stockClient);

await ours.run(300);
await raw.run(300);
await rawAbortable.run(300);
await stock.run(300);
const result = await compare(ours, raw, ROUNDS, OPS);
const vsAbortable = await compare(ours, rawAbortable, ROUNDS, OPS);
const stockResult = await compare(stock, raw, ROUNDS, OPS);
// What a per-request timeout signal alone costs raw fetch: the ceiling of any client that
// aborts timed-out requests.
const signalCost = await compare(rawAbortable, raw, ROUNDS, OPS);
server.close();
server.closeAllConnections();

process.stdout.write(
  [
    `\n### Client overhead (loopback, sequential, ${ROUNDS} interleaved rounds of ${OPS} requests)\n`,
    '| contender | median req/s |',
    '| --- | ---: |',
    `| client.downlink.sendDownlinkMessage (createDxClient, token cached) | ${formatRate(result.ours)} |`,
    `| raw fetch, same request | ${formatRate(result.baseline)} |`,
    `| **median ratio client / raw fetch** | **${result.ratio.toFixed(3)}** (target >= 0.95) |`,
    `| raw fetch + per-request timeout signal | ${formatRate(vsAbortable.baseline)} |`,
    `| median ratio client / raw fetch + timeout signal | ${vsAbortable.ratio.toFixed(3)} |`,
    `| median ratio raw fetch + timeout signal / raw fetch | ${signalCost.ratio.toFixed(3)} |`,
    `| openapi-typescript-codegen stock fetch runtime, same spec | ${formatRate(stockResult.ours)} |`,
    `| median ratio stock runtime / raw fetch | ${stockResult.ratio.toFixed(3)} |`,
    '',
  ].join('\n'),
);
