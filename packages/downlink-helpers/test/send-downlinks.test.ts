import { ResponseParseError } from '@dx/core-client';
import { describe, expect, it } from 'vitest';
import { unusedPort } from '../../../scripts/test-support/http-server.js';
import { seededRandom, type Fault } from '../../../scripts/test-support/fleet-server.js';
import {
  DownlinkError,
  sendDownlink,
  sendDownlinks,
  type FleetItem,
  type FleetProgress,
} from '../src/index.js';
import { byOutcome, collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serve = useFleetServers();

/** A server whose device `dev-<i>` meets `faults[i]` on its first request (then `ok`). */
async function faultyServer(faults: Record<string, Fault>, latencyMs = 0) {
  const seen = new Set<string>();
  return serve({
    latencyMs,
    fault: (device) => {
      if (seen.has(device)) return 'ok';
      seen.add(device);
      return faults[device] ?? 'ok';
    },
  });
}

describe('sendDownlinks: one outcome per fault', () => {
  it('reads every kind of answer into the outcome the table promises', async () => {
    const server = await faultyServer({
      'dev-1': 'unavailable',
      'dev-2': 'reset',
      'dev-3': 'bad-request',
      'dev-4': 'unreadable',
    });
    const input: FleetItem[] = [...items(5), { device: 'not a device!', payload: [1], fPort: 2 }];
    const results = await collect(sendDownlinks(fleetClient(server.baseUrl), input));
    const outcome = Object.fromEntries(results.map((r) => [r.index, r]));
    expect(outcome[0]).toMatchObject({ outcome: 'queued', response: { status: 'QUEUED' } });
    // 503 before processing: sent again, processed once.
    expect(outcome[1]).toMatchObject({ outcome: 'queued', attempts: 2 });
    // Processed, then the connection dropped: it may be queued, so it is never re-sent.
    expect(outcome[2]).toMatchObject({ outcome: 'unknown', attempts: 1 });
    expect(outcome[3]).toMatchObject({ outcome: 'failed', attempts: 1 });
    // 2xx with an unreadable body: DX accepted it.
    expect(outcome[4]?.outcome).toBe('queued');
    expect(outcome[4]?.response).toBeUndefined();
    expect(outcome[4]?.error).toBeInstanceOf(ResponseParseError);
    expect(outcome[5]).toMatchObject({ outcome: 'invalid', attempts: 0 });
    expect(outcome[5]?.error).toBeInstanceOf(DownlinkError);
    expect((outcome[5]?.error as DownlinkError).field).toBe('device');
    expect(Object.fromEntries(server.processed)).toEqual({
      'dev-0': 1,
      'dev-1': 1,
      'dev-2': 1,
      'dev-4': 1,
    });
    expect(server.requests).toBe(6);
  });

  it('calls a timeout unknown and never sends it again', async () => {
    const server = await serve({ latencyMs: 1000 });
    const results = await collect(sendDownlinks(fleetClient(server.baseUrl, 200), items(2)));
    expect(results.map((r) => r.outcome)).toEqual(['unknown', 'unknown']);
    expect(server.requests).toBeLessThanOrEqual(2);
  });

  it('calls a refused connection not-sent after maxAttempts, nothing processed', async () => {
    const port = await unusedPort();
    const client = fleetClient(`http://127.0.0.1:${port}/core/latest/api`);
    const results = await collect(sendDownlinks(client, items(2), { maxAttempts: 2 }));
    expect(results.map((r) => [r.outcome, r.attempts])).toEqual([
      ['not-sent', 2],
      ['not-sent', 2],
    ]);
  });

  it('refuses a repeated id as invalid without sending it', async () => {
    const server = await serve();
    const input = items(3).map((item, i) => ({ ...item, id: i === 2 ? 'a' : `${'ab'[i]}` }));
    const results = await collect(sendDownlinks(fleetClient(server.baseUrl), input));
    const third = results.find((r) => r.index === 2);
    expect(third?.outcome).toBe('invalid');
    expect((third?.error as DownlinkError).message).toBe('id: "a" appears twice');
    expect(server.requests).toBe(2);
    // 1 and '1' share a journal key, so they are the same id.
    const mixed = [
      { ...items(1)[0]!, id: 1 },
      { ...items(2)[1]!, id: '1' },
    ];
    const outcomes = await collect(sendDownlinks(fleetClient(server.baseUrl), mixed));
    expect(outcomes.map((r) => r.outcome).sort()).toEqual(['invalid', 'queued']);
  });

  it('names the option at fault', () => {
    const client = fleetClient('http://127.0.0.1:1/core/latest/api');
    expect(() => sendDownlinks(client, items(1), { concurrency: 0 })).toThrow(
      'concurrency: 0 is not an integer in 1..1024',
    );
    expect(() => sendDownlinks(client, items(1), { ratePerSecond: -1 })).toThrow(
      'ratePerSecond: expected a positive finite number, got -1',
    );
    expect(() => sendDownlinks(client, 42 as never)).toThrow(
      'items: expected an iterable or async iterable, got number',
    );
    expect(() => sendDownlinks({} as never, items(1))).toThrow('client: expected a DxCoreClient');
  });
});

describe('sendDownlinks: faults mixed in', () => {
  it('processes every device at most once and reports what the server did', async () => {
    const random = seededRandom(14);
    const N = 600;
    // 0.5 % of devices refused with 400; per request: 3 % 503 before processing, 1 % reset
    // after processing.
    const refused = new Set(Array.from({ length: 3 }, (_, i) => `dev-${i * 197 + 5}`));
    const resets = new Set<string>();
    const server = await serve({
      latencyMs: 2,
      fault: (device) => {
        if (refused.has(device)) return 'bad-request';
        const roll = random();
        if (roll < 0.03) return 'unavailable';
        if (roll < 0.04) {
          resets.add(device);
          return 'reset';
        }
        return 'ok';
      },
    });
    const input: FleetItem[] = items(N).map((item, i) =>
      i % 100 === 7 ? { ...item, fPort: 0 } : item,
    );
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), input, { concurrency: 16 }),
    );
    expect(results).toHaveLength(N);
    expect(new Set(results.map((r) => r.index)).size).toBe(N);
    expect(Math.max(...server.processed.values())).toBe(1);
    for (const r of results) {
      const processed = server.processed.get(r.device) ?? 0;
      if (r.outcome === 'queued') expect(processed).toBe(1);
      if (r.outcome === 'failed') expect(refused.has(r.device)).toBe(true);
      if (r.outcome === 'invalid') expect(r.index % 100).toBe(7);
      if (r.outcome === 'unknown') expect(resets.has(r.device)).toBe(true);
    }
    const unknown = new Set(results.filter((r) => r.outcome === 'unknown').map((r) => r.device));
    expect(unknown).toEqual(resets);
    expect(resets.size).toBeGreaterThan(0);
    expect(server.answers.get(503)).toBeGreaterThan(0);
    expect(byOutcome(results)).toEqual({
      queued: N - 6 - 3 - resets.size,
      failed: 3,
      invalid: 6,
      unknown: resets.size,
    });
  });
});

describe('sendDownlinks: running it', () => {
  it('takes items lazily: never more than the concurrency ahead of the results read', async () => {
    const server = await serve({ latencyMs: 2 });
    let taken = 0;
    async function* source() {
      for (let i = 0; i < 200; i++) {
        taken++;
        yield { device: `dev-${i}`, payload: [1], fPort: 2 };
      }
    }
    let read = 0;
    let ahead = 0;
    for await (const _ of sendDownlinks(fleetClient(server.baseUrl), source(), {
      concurrency: 4,
    })) {
      read++;
      ahead = Math.max(ahead, taken - read);
    }
    expect(read).toBe(200);
    expect(ahead).toBeLessThanOrEqual(4 + 1);
    expect(server.maxInFlight).toBeLessThanOrEqual(4);
  });

  it('stops starting sends on abort and still records the ones in flight', async () => {
    const server = await serve({ latencyMs: 20 });
    const controller = new AbortController();
    const run = sendDownlinks(fleetClient(server.baseUrl), items(100), {
      concurrency: 4,
      signal: controller.signal,
    });
    const results = [];
    for await (const result of run) {
      results.push(result);
      if (results.length === 5) controller.abort();
    }
    const summary = await run.summary;
    // Everything sent got its result: nothing left in flight, nothing sent after the abort.
    expect(server.requests).toBe(results.length);
    expect(results.length).toBeLessThanOrEqual(5 + 4);
    expect(summary).toMatchObject({ finished: true, inFlight: 0, queued: results.length });
  });

  it('reports progress with counts and an ETA, and a final summary', async () => {
    const server = await serve({ latencyMs: 2 });
    const seen: FleetProgress[] = [];
    const run = sendDownlinks(fleetClient(server.baseUrl), items(20), {
      onProgress: (p) => seen.push(p),
    });
    await collect(run);
    const summary = await run.summary;
    expect(seen.map((p) => p.done)).toEqual([...Array.from({ length: 20 }, (_, i) => i + 1), 20]);
    expect(seen.at(-2)?.finished).toBe(false);
    expect(seen.some((p) => p.etaMs !== undefined && p.etaMs > 0)).toBe(true);
    expect(summary).toEqual(seen.at(-1));
    expect(summary).toMatchObject({ total: 20, done: 20, queued: 20, finished: true });
  });

  it('can be iterated only once', async () => {
    const server = await serve();
    const run = sendDownlinks(fleetClient(server.baseUrl), items(1));
    await collect(run);
    expect(() => run[Symbol.asyncIterator]()).toThrow('run: a run can be iterated only once');
  });
});

describe('sendDownlinks: an aborted signal', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const server = await serve();
    const run = sendDownlinks(fleetClient(server.baseUrl), items(5), {
      signal: AbortSignal.abort(),
    });
    expect(await collect(run)).toEqual([]);
    expect(server.requests).toBe(0);
    expect((await run.summary).done).toBe(0);
  });
});
