/**
 * Overhead of the client: `client.downlink.sendDownlinkMessage` through `createDxClient`
 * (token cached) against raw `fetch` sending the same request to the same loopback server, and
 * raw `fetch` with the AbortController any client that honours a timeout needs. Sequential
 * requests, interleaved rounds, median ratio. Information only (no target since issue 12): a
 * downlink costs a network round trip, far above the loopback overhead measured here.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
// The built package, as consumers run it (pnpm bench builds first).
import { createDxClient, VERSION } from '@dx/core-client';
import { compareAll, formatRate, type Contender } from './stats.js';

// Many short rounds: single rounds on this machine spread by +-15 %, so the median needs many.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const OPS = Number(process.env.BENCH_OPS ?? 300);

const reply = JSON.stringify({ status: 'QUEUED' });
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const token = req.url?.includes('/oauth/token');
    const body = token ? JSON.stringify({ access_token: 'bench-token', expires_in: 3600 }) : reply;
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

const client = createDxClient({
  baseUrl,
  auth: {
    clientId: 'bench/login',
    clientSecret: 'bench-secret',
    tokenUrl: `${origin}/admin/latest/api/oauth/token`,
  },
});

/** The same request as the client sends in Node (same bytes on the wire), by hand. */
async function rawRequest(signal?: AbortSignal): Promise<void> {
  const res = await fetch(
    `${baseUrl}/devices/0018B20000000B20/downlinkMessages?confirmDownlink=true`,
    {
      method: 'POST',
      headers: {
        Accept: 'application/json',
        'Content-Type': 'application/json',
        Authorization: 'Bearer bench-token',
        'User-Agent': `@dx/core-client/${VERSION}`,
      },
      body: JSON.stringify(message),
      ...(signal ? { signal } : {}),
    },
  );
  if (!res.ok) throw new Error(`status ${res.status}`);
  await res.json();
}

const sequential = (name: string, send: () => Promise<unknown>): Contender => ({
  name,
  async run(ops) {
    for (let i = 0; i < ops; i++) await send();
  },
});
const raw = sequential('raw fetch', () => rawRequest());
const contenders = [
  sequential('client.downlink.sendDownlinkMessage (createDxClient, token cached)', () =>
    client.downlink.sendDownlinkMessage({
      device: '0018B20000000B20',
      requestBody: message,
      confirmDownlink: true,
    }),
  ),
  // What being abortable alone costs raw fetch: the ceiling of any client that aborts
  // timed-out requests.
  sequential('raw fetch + AbortController', async () => {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 30_000);
    await rawRequest(abort.signal);
    clearTimeout(timer);
  }),
];
for (const contender of [raw, ...contenders]) await contender.run(300);
const standings = await compareAll(raw, contenders, ROUNDS, OPS);
server.closeAllConnections();
server.close();

console.log(
  [
    `\n### Client overhead (loopback, sequential; ${ROUNDS} interleaved rounds of ${OPS} requests)\n`,
    '| contender | median req/s | median ratio to raw fetch |',
    '| --- | ---: | ---: |',
    ...standings.map((s) => `| ${s.name} | ${formatRate(s.rate)} | ${s.ratio.toFixed(3)} |`),
  ].join('\n'),
);
