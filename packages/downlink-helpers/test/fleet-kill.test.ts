import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleChild } from '../../../scripts/test-support/child-bundle.js';
import { seededRandom } from '../../../scripts/test-support/fleet-server.js';
import { sendDownlinks } from '../src/index.js';
import { createFileJournal } from '../src/node/file-journal.js';
import { collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serve = useFleetServers();
/** Started as plain `node`: bundled once (scripts/test-support/child-bundle.ts). */
const child = bundleChild(fileURLToPath(new URL('./support/campaign-child.ts', import.meta.url)));

const N = 300;
const CONCURRENCY = 8;

/** Keys that have a start record and no outcome after it: the sends in flight at a kill. */
function inFlightInJournal(path: string): Set<string> {
  const open = new Set<string>();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(1)) {
    if (!line) continue;
    const record = JSON.parse(line) as { key: string; event: string };
    if (record.event === 'start') open.add(record.key);
    else open.delete(record.key);
  }
  return open;
}

describe('a campaign killed with SIGKILL and resumed', () => {
  it('never processes a device twice across three kills', async () => {
    // A fixed seed, printed, so a failure can be replayed (FLEET_SEED=<n> to try others).
    const seed = Number(process.env.FLEET_SEED ?? 21);
    process.stdout.write(`fleet-kill seed ${seed}\n`);
    const random = seededRandom(seed);
    let killAt = Infinity;
    let kill: (() => void) | undefined;
    const server = await serve({
      latencyMs: 3,
      fault: () => {
        // The kill lands while requests are being handled, at a random count.
        if (server.requests >= killAt) kill?.();
        return 'ok';
      },
    });
    const journal = join(mkdtempSync(join(tmpdir(), 'dx-kill-')), 'campaign.jsonl');
    const unknownAtKills = new Set<string>();
    for (let round = 0; round < 3; round++) {
      killAt = server.requests + 20 + Math.floor(random() * 60);
      const proc = spawn(process.execPath, [await child], {
        env: {
          ...process.env,
          FLEET_JOURNAL: journal,
          FLEET_BASE_URL: server.baseUrl,
          FLEET_N: String(N),
          FLEET_CONCURRENCY: String(CONCURRENCY),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      kill = () => proc.kill('SIGKILL');
      const exit = await new Promise<NodeJS.Signals | null>((resolve) =>
        proc.on('exit', (_code, signal) => resolve(signal)),
      );
      kill = undefined;
      expect(exit).toBe('SIGKILL');
      // Open keys of earlier kills stay open (a resume reports them, it does not close them).
      const fresh = [...inFlightInJournal(journal)].filter((key) => !unknownAtKills.has(key));
      expect(fresh.length).toBeGreaterThan(0);
      expect(fresh.length).toBeLessThanOrEqual(CONCURRENCY);
      for (const key of fresh) unknownAtKills.add(key);
    }
    const file = createFileJournal(journal);
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(N), { journal: file }),
    );
    await file.close();
    expect(results).toHaveLength(N);
    expect(Math.max(...server.processed.values())).toBe(1);
    for (const r of results) {
      expect(['queued', 'skipped', 'unknown']).toContain(r.outcome);
      if (r.outcome !== 'unknown') expect(server.processed.get(r.device)).toBe(1);
    }
    const unknown = new Set(
      results.filter((r) => r.outcome === 'unknown').map((r) => `#${r.index}`),
    );
    // Only the sends in flight at a kill can be unknown, and each of them is.
    expect(unknown).toEqual(unknownAtKills);
    expect(unknown.size).toBeLessThanOrEqual(3 * CONCURRENCY);
    expect(server.processed.size).toBeGreaterThanOrEqual(N - unknown.size);
  });
});
