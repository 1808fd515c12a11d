/**
 * The two seams a journal shared by several runs needs from sendDownlinks: a journal's
 * `claim` (another run holds the item: not sent, reported skipped) and a `pace` given from
 * outside (the campaign's, instead of the run's own).
 */
import { describe, expect, it } from 'vitest';
import {
  createMemoryJournal,
  DownlinkError,
  sendDownlinks,
  type FleetPace,
  type JournalRecord,
} from '../src/index.js';
import { byOutcome, collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serve = useFleetServers();

describe('a journal shared with other runs', () => {
  it('sends only the items its claim wins; the others are skipped, never sent', async () => {
    const server = await serve();
    const memory = createMemoryJournal();
    const claimed: string[] = [];
    const journal = {
      ...memory,
      claim(record: JournalRecord) {
        claimed.push(record.key);
        // Another run holds the odd items.
        if (record.index! % 2 === 1) return false;
        memory.append(record);
        return true;
      },
    };
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(6), { journal }),
    );
    expect(claimed.sort()).toEqual(['#0', '#1', '#2', '#3', '#4', '#5']);
    expect([...server.processed.keys()].sort()).toEqual(['dev-0', 'dev-2', 'dev-4']);
    const odd = results.filter((r) => r.index % 2 === 1);
    expect(odd.map((r) => [r.outcome, r.fromJournal, r.attempts])).toEqual([
      ['skipped', true, 0],
      ['skipped', true, 0],
      ['skipped', true, 0],
    ]);
    expect(byOutcome(results)).toEqual({ queued: 3, skipped: 3 });
    // The claim wrote the starts; append only the outcomes.
    expect(memory.records.filter((r) => r.event === 'start')).toHaveLength(3);
  });
});

describe('the pace option', () => {
  it('paces the run instead of its own rate controller, and hears of its throttles', async () => {
    const server = await serve({ fault: (_device, n) => (n === 0 ? 'unavailable' : 'ok') });
    const calls = { take: 0, throttled: 0, served: 0 };
    const pace: FleetPace = {
      take: () => (calls.take++, 0),
      onThrottled: () => void calls.throttled++,
      onServed: () => void calls.served++,
    };
    // ratePerSecond is the shared pace's business: this one would hold the run for seconds.
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(5), { pace, ratePerSecond: 0.01 }),
    );
    expect(byOutcome(results)).toEqual({ queued: 5 });
    expect(calls.take).toBeGreaterThanOrEqual(6);
    expect(calls.served).toBe(5);
    expect(server.answers.get(503)).toBe(1);
  });

  it('refuses a pace that is not one', () => {
    let thrown: unknown;
    try {
      sendDownlinks(fleetClient('http://127.0.0.1:9'), items(1), {
        pace: { take: () => 0 } as unknown as FleetPace,
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DownlinkError);
    expect((thrown as DownlinkError).field).toBe('pace');
  });
});
