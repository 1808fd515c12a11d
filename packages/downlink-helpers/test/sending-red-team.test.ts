/**
 * Red-team findings about `sendDownlink` and `sendDownlinks`: each test failed on the code before
 * its fix.
 */
import { createDxClient } from '@dx/core-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json, useTestServers } from '../../../scripts/test-support/http-server.js';
import { sendDownlink, sendDownlinks, type DownlinkClient, type FleetItem } from '../src/index.js';
import { collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serveFleet = useFleetServers();
const serve = useTestServers();

/** Settles within `ms`, or says it did not: a summary that never settles hangs its caller. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<string> {
  return Promise.race([
    promise.then(
      () => 'resolved',
      () => 'rejected',
    ),
    new Promise<string>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sendDownlinks: the summary always settles', () => {
  it('rejects the summary when the final onProgress call throws', async () => {
    const server = await serveFleet();
    const boom = new Error('progress sink is down');
    const run = sendDownlinks(fleetClient(server.baseUrl), items(2), {
      onProgress: (p) => {
        if (p.finished) throw boom;
      },
    });
    await expect(collect(run)).rejects.toBe(boom);
    expect(await settledWithin(run.summary, 500)).toBe('rejected');
    await expect(run.summary).rejects.toBe(boom);
  });

  it('rejects the summary when closing the input (its return()) throws', async () => {
    const server = await serveFleet();
    const closeFailed = new Error('cannot close the input file');
    async function* input(): AsyncGenerator<FleetItem> {
      try {
        yield* items(3);
      } finally {
        throw closeFailed;
      }
    }
    const run = sendDownlinks(fleetClient(server.baseUrl), input(), { concurrency: 1 });
    // Stop early, so the run has to close the input.
    const iterate = (async () => {
      for await (const result of run) {
        expect(result.outcome).toBe('queued');
        break;
      }
    })();
    await expect(iterate).rejects.toBe(closeFailed);
    expect(await settledWithin(run.summary, 500)).toBe('rejected');
  });
});

describe('sendDownlinks: waits longer than a timer holds', () => {
  it('a 30-day Retry-After stops the run as an outage, without arming a timer that fires at once', async () => {
    const thirtyDays = String(30 * 24 * 3600);
    const dx = await serve((_req, res) => json(res, 429, {}, { 'Retry-After': thirtyDays }));
    const delays: number[] = [];
    const realSetTimeout = globalThis.setTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((
      fn: () => void,
      ms?: number,
      ...args: unknown[]
    ) => {
      delays.push(ms ?? 0);
      // Node would clamp an overflowing delay to 1 ms (and warn): the run would spin.
      return realSetTimeout(fn, ms! > 2 ** 31 - 1 ? 1 : ms, ...args);
    }) as typeof setTimeout);
    const run = sendDownlinks(fleetClient(`${dx.url}/core/latest/api`), items(3), {
      concurrency: 1,
    });
    const results = await collect(run);
    // A quota-sized wait is not waited out: the item is not sent (a resume sends it), the
    // rest of the input is left for that resume, and the summary says why.
    expect(results.map((r) => r.outcome)).toEqual(['not-sent']);
    expect((await run.summary).outage?.reason).toBe('quota');
    expect(dx.requests).toHaveLength(1);
    expect(delays.filter((ms) => ms > 2 ** 31 - 1)).toEqual([]);
  });
});

describe('sendDownlinks: memory stays flat through an outage', () => {
  it('items waiting to be sent again hold their place: a run of fast 503s does not drain the input', async () => {
    const server = await serveFleet({ fault: () => 'unavailable' });
    let taken = 0;
    function* input(): Generator<FleetItem> {
      for (let i = 0; i < 100_000; i++) {
        taken++;
        yield { device: `dev-${i}`, payload: [1], fPort: 2 };
      }
    }
    const controller = new AbortController();
    const run = sendDownlinks(fleetClient(server.baseUrl), input(), {
      concurrency: 4,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 600);
    expect(await collect(run)).toEqual([]);
    // The first retries came due (after 250 ms) and were sent again...
    expect(server.requests).toBeGreaterThan(4);
    // ...but no more items were taken from the input than the run can have in progress.
    expect(taken).toBeLessThanOrEqual(4);
    expect((await run.summary).stopped).toBe(taken);
  });
});

describe('sendDownlink: an abort with a client that cannot cancel', () => {
  it('a client whose calls return plain promises (an async wrapper): no uncaught TypeError', async () => {
    const dx = await serve((_req, res) => {
      setTimeout(() => json(res, 200, { status: 'QUEUED' }), 200);
    });
    const real = createDxClient({ baseUrl: dx.url, auth: { token: 'tok' } });
    // Instrumentation of the kind apps add: the result is a plain Promise, without cancel().
    const wrapped = {
      downlink: {
        sendDownlinkMessage: async (args: unknown) =>
          real.downlink.sendDownlinkMessage(args as never),
      },
    } as unknown as DownlinkClient;
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const controller = new AbortController();
      const pending = sendDownlink(wrapped, {
        device: 'dev-1',
        payload: [1],
        fPort: 2,
        signal: controller.signal,
      });
      setTimeout(() => controller.abort(new Error('user gave up')), 50);
      // The request could not be stopped: it was queued, and the call says so.
      await expect(pending).resolves.toEqual({ status: 'QUEUED' });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
    expect(dx.requests).toHaveLength(1);
  });
});

describe('sendDownlinks: a run that breaks still tells what it sent', () => {
  it('an input that throws mid-way: the sends in flight end and are yielded before the error', async () => {
    const server = await serveFleet({ latencyMs: 150 });
    const broken = new Error('the input file became unreadable');
    async function* input(): AsyncGenerator<FleetItem> {
      yield* items(3);
      // Give the three sends time to leave before the input fails.
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw broken;
    }
    const run = sendDownlinks(fleetClient(server.baseUrl), input(), { concurrency: 4 });
    const seen: string[] = [];
    let thrown: unknown;
    try {
      for await (const result of run) seen.push(`${result.device} ${result.outcome}`);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBe(broken);
    expect([...server.processed.keys()].sort()).toEqual(['dev-0', 'dev-1', 'dev-2']);
    expect(seen.sort()).toEqual(['dev-0 queued', 'dev-1 queued', 'dev-2 queued']);
    await expect(run.summary).rejects.toBe(broken);
  });
});

describe('sendDownlinks: a rate wait holds no result back', () => {
  it('a result is yielded while the rate holds the next item, so a caller can stop before it goes', async () => {
    // At one send a second the second item waits a second for the rate. Its predecessor's
    // result used to be held back until that wait was over and the second item sent: aborting
    // on the first result could no longer stop it.
    const server = await serveFleet();
    const controller = new AbortController();
    const run = sendDownlinks(fleetClient(server.baseUrl), items(3), {
      ratePerSecond: 1,
      signal: controller.signal,
    });
    const outcomes: string[] = [];
    for await (const result of run) {
      outcomes.push(result.outcome);
      controller.abort();
    }
    expect(outcomes).toEqual(['queued']);
    expect(server.requests).toBe(1);
    expect(await run.summary).toMatchObject({ queued: 1, stopped: 1 });
  });
});
