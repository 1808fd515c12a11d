/**
 * Records a long run can afford: a cap with the oldest dropped and exact counts; ids that no
 * two concurrent downlinks share; `reset()` back to the start for the next test.
 */
import { describe, expect, it } from 'vitest';
import { createMockCore, DEFAULT_MAX_RECORDS, type MockCore } from '../src/core.js';
import { DEVICE, mockServer, postDownlink, tokenFor, VALID_BODY } from './support.js';

const BASE = 'http://dx.test/core/latest/api';
const TOKEN_URL = 'http://dx.test/admin/latest/api/oauth/token';
const encoder = new TextEncoder();

function coreOf(options: Parameters<typeof createMockCore>[0] = {}): MockCore {
  return createMockCore(options, { baseUrl: BASE, tokenUrl: TOKEN_URL });
}

async function tokenOf(core: MockCore): Promise<string> {
  const answer = await core.handle({
    method: 'POST',
    url: new URL(TOKEN_URL),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: encoder.encode(
      new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: core.clientId,
        client_secret: core.clientSecret,
      }).toString(),
    ),
  });
  if (answer.kind !== 'respond') throw new Error('no token');
  return (JSON.parse(answer.body) as { access_token: string }).access_token;
}

/** `count` downlinks straight through the core, one after the other; payloadHex is the index. */
async function sendMany(core: MockCore, token: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const answer = await core.handle({
      method: 'POST',
      url: new URL(`${BASE}/devices/${DEVICE}/downlinkMessages`),
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: encoder.encode(
        JSON.stringify({ payloadHex: (i % 256).toString(16).padStart(2, '0'), targetPorts: '2' }),
      ),
    });
    if (answer.kind !== 'respond' || answer.status !== 200) throw new Error(`downlink ${i}`);
  }
}

describe('bounded records', () => {
  it('keeps the last maxRecords requests and downlinks, oldest dropped, counts exact', async () => {
    const core = coreOf({ maxRecords: 50 });
    await sendMany(core, await tokenOf(core), 120);
    expect(core.requests).toHaveLength(50);
    expect(core.downlinks).toHaveLength(50);
    expect(core.counts).toEqual({ requests: 121, downlinks: 120 });
    expect(core.downlinks[0]?.id).toBe('dl-71');
    expect(core.downlinks.at(-1)?.id).toBe('dl-120');
    expect(core.requests[0]?.seq).toBe(72);
    expect(core.requests.at(-1)?.seq).toBe(121);
  });

  it(`by default keeps ${DEFAULT_MAX_RECORDS} of each, however many arrive`, async () => {
    const core = coreOf();
    const sent = DEFAULT_MAX_RECORDS + 25;
    await sendMany(core, await tokenOf(core), sent);
    expect(core.downlinks).toHaveLength(DEFAULT_MAX_RECORDS);
    expect(core.requests).toHaveLength(DEFAULT_MAX_RECORDS);
    expect(core.counts.downlinks).toBe(sent);
    expect(core.downlinks[0]?.id).toBe(`dl-${sent - DEFAULT_MAX_RECORDS + 1}`);
  });

  it('Infinity keeps everything; anything else but a positive integer is refused', async () => {
    const core = coreOf({ maxRecords: Infinity });
    await sendMany(core, await tokenOf(core), 30);
    expect(core.downlinks).toHaveLength(30);
    for (const bad of [0, -1, 1.5, Number.NaN, '10']) {
      expect(() => coreOf({ maxRecords: bad as number })).toThrow(/options\.maxRecords/);
    }
  });

  it('the arrays stay the same objects (a test may hold on to them)', async () => {
    const core = coreOf({ maxRecords: 3 });
    const { downlinks, requests } = core;
    await sendMany(core, await tokenOf(core), 10);
    expect(core.downlinks).toBe(downlinks);
    expect(core.requests).toBe(requests);
    expect(downlinks).toHaveLength(3);
  });
});

describe('reset()', () => {
  it('empties the records, starts counts and ids from zero, restores the faults and rate limit given at start', async () => {
    let now = 0;
    const mock = await mockServer({
      faults: [{ fault: 'unavailable', next: 1, retryAfterSeconds: 0 }],
      rateLimit: { perSecond: 1, burst: 5 },
      now: () => now,
    });
    const token = await tokenFor(mock);
    expect((await postDownlink(mock, token)).status).toBe(503);
    expect((await postDownlink(mock, token)).body['id']).toBe('dl-1');
    mock.setLatency(5);
    mock.setRateLimit({ perSecond: 1 });
    mock.failNext(3, 'server-error');

    mock.reset();
    expect(mock.requests).toEqual([]);
    expect(mock.downlinks).toEqual([]);
    expect(mock.counts).toEqual({ requests: 0, downlinks: 0 });
    // The token issued before still works; the start's fault is back, then the start's limit.
    expect((await postDownlink(mock, token)).status).toBe(503);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await postDownlink(mock, token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(mock.downlinks[0]?.id).toBe('dl-1');
    expect(mock.counts).toEqual({ requests: 7, downlinks: 5 });
    now += 1000;
    expect((await postDownlink(mock, token)).status).toBe(200);
  });
});

describe('downlink ids', () => {
  it('are unique when an async handler holds many requests at once', async () => {
    const mock = await mockServer({
      handlers: {
        sendDownlinkMessage: async (_request, answer) => {
          await new Promise((resolve) => setTimeout(resolve, 20));
          return answer;
        },
      },
    });
    const token = await tokenFor(mock);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => postDownlink(mock, token, VALID_BODY)),
    );
    const ids = answers.map((a) => a.body['id']);
    expect(new Set(ids).size).toBe(8);
    expect(mock.downlinks.map((d) => d.id).sort()).toEqual([...ids].sort());
    expect(new Set(mock.requests.map((r) => r.downlinkId).filter(Boolean)).size).toBe(8);
  });

  it('stay unique when a handler refuses some of them', async () => {
    let call = 0;
    const mock = await mockServer({
      handlers: {
        sendDownlinkMessage: async (_request, answer) => {
          const mine = ++call;
          await new Promise((resolve) => setTimeout(resolve, 10 + (mine % 3) * 5));
          return mine % 2 === 0
            ? { status: 403, body: { code: 'forbidden', message: 'no' } }
            : answer;
        },
      },
    });
    const token = await tokenFor(mock);
    await Promise.all(Array.from({ length: 10 }, () => postDownlink(mock, token, VALID_BODY)));
    const ids = mock.downlinks.map((d) => d.id);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
  });
});
