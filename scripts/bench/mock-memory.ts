/**
 * The mock's memory over a long run (issue 25): N downlinks (default 100,000) through the mock
 * core, as `dx mock` receives them, with the default record cap and with `maxRecords:
 * Infinity` beside it; heap used after a full GC, at every tenth of the run. With the cap, the
 * heap levels off once DEFAULT_MAX_RECORDS are kept; without it, it grows with N.
 *
 *   pnpm bench:mock            (BENCH_MOCK_N=20000 for a smoke run)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  createMockCore,
  DEFAULT_MAX_RECORDS,
  type MockCore,
} from '../../packages/mock/src/core.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const N = Number(process.env.BENCH_MOCK_N ?? 100_000);
const BASE = 'http://127.0.0.1:4010/core/latest/api';
const TOKEN_URL = 'http://127.0.0.1:4010/admin/latest/api/oauth/token';
const encoder = new TextEncoder();

const heapMb = (): number => {
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
};

async function tokenOf(core: MockCore): Promise<string> {
  const answer = await core.handle({
    method: 'POST',
    url: new URL(TOKEN_URL),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encoder.encode(
      `grant_type=client_credentials&client_id=${encodeURIComponent(core.clientId)}&client_secret=${core.clientSecret}`,
    ),
  });
  if (answer.kind !== 'respond') throw new Error('no token');
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

async function run(label: string, maxRecords: number | undefined): Promise<void> {
  const core = createMockCore(maxRecords === undefined ? {} : { maxRecords }, {
    baseUrl: BASE,
    tokenUrl: TOKEN_URL,
  });
  const token = await tokenOf(core);
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const start = heapMb();
  const samples: string[] = [];
  for (let i = 1; i <= N; i++) {
    const device = `0018B2${i.toString(16).toUpperCase().padStart(10, '0')}`;
    const answer = await core.handle({
      method: 'POST',
      url: new URL(`${BASE}/devices/${device}/downlinkMessages?confirmDownlink=true`),
      headers,
      body: encoder.encode(JSON.stringify({ payloadHex: '03670110', targetPorts: '2' })),
    });
    if (answer.kind !== 'respond' || answer.status !== 200) throw new Error(`downlink ${i}`);
    if (i % (N / 10) === 0) samples.push(`${i}: ${(heapMb() - start).toFixed(1)}`);
  }
  console.log(`${label}: heap growth in MB after n downlinks`);
  console.log(`  ${samples.join('  ')}`);
  console.log(
    `  kept ${core.downlinks.length} downlinks, ${core.requests.length} requests; counts ${JSON.stringify(core.counts)}`,
  );
}

console.log(`mock memory: ${N} downlinks through the core (heap after a full GC)`);
await run(`default cap (${DEFAULT_MAX_RECORDS})`, undefined);
await run('maxRecords: Infinity', Infinity);
