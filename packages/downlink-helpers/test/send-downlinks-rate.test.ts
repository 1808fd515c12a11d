/**
 * sendDownlinks against a rate-limited server: a file of its own because its runs take seconds
 * of waiting at the server's pace, which another worker overlaps with the rest of the suite.
 */
import { describe, expect, it } from 'vitest';
import { sendDownlink, sendDownlinks } from '../src/index.js';
import { byOutcome, collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serve = useFleetServers();

describe('sendDownlinks: rate', () => {
  it('finds a rate-limited server’s pace: all queued, few 429s, where a plain loop loses items', async () => {
    // Large enough that the opening burst (at most concurrency - burst 429s) is not the story.
    const N = 600;
    const server = await serve({ ratePerSecond: 200, burst: 20, latencyMs: 5 });
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(N), { concurrency: 64 }),
    );
    expect(byOutcome(results)).toEqual({ queued: N });
    expect(server.processed.size).toBe(N);
    // The opening burst (64 in flight against a burst of 20) and 5 % after it. A run that did
    // not slow down on 429s meets thousands; a loaded machine that stalls the event loop
    // bunches sends and adds a few.
    expect(server.answers.get(429) ?? 0).toBeLessThanOrEqual(64 - 20 + N * 0.05);

    // The same load through a fixed-concurrency loop of sendDownlink: 429s become losses.
    const plain = await serve({ ratePerSecond: 200, burst: 20, latencyMs: 5 });
    const client = fleetClient(plain.baseUrl);
    const queue = items(N);
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        for (let item = queue.shift(); item; item = queue.shift()) {
          await sendDownlink(client, item).catch(() => undefined);
        }
      }),
    );
    expect(plain.processed.size).toBeLessThan(N);
  });

  it('never goes above ratePerSecond: the server never throttles a run set under its rate', async () => {
    // The server allows twice the run's rate, with a burst of 12: a run that ignored its rate
    // (16 in flight, 2 ms answers) would send the 60 in a few ms and meet dozens of 429s, while
    // a busy test machine that stalls the event loop for up to ~200 ms (bunching the run's
    // 20 ms spacing on arrival) does not make a run that keeps its rate look throttled.
    const server = await serve({ ratePerSecond: 100, burst: 12, latencyMs: 2 });
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(60), { concurrency: 16, ratePerSecond: 50 }),
    );
    expect(byOutcome(results)).toEqual({ queued: 60 });
    expect(server.answers.get(429)).toBeUndefined();
  });
});
