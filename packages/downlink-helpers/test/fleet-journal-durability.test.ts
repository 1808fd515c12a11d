/**
 * Issue 21, items 5, 6 and 16: what the file journal promises under faults, and tests that
 * break when the write-ahead order or `fsync` is lost (each failed under that mutation).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, truncateSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bundleChild } from '../../../scripts/test-support/child-bundle.js';
import { createFileJournal } from '../src/node/file-journal.js';
import { sendDownlinks, type DownlinkJournal, type JournalRecord } from '../src/index.js';
import { byOutcome, collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serve = useFleetServers();
/** Started as plain `node`: bundled once (scripts/test-support/child-bundle.ts). */
const child = bundleChild(fileURLToPath(new URL('./support/full-disk-child.ts', import.meta.url)));
const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'dx-durable-')), 'run.jsonl');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('file journal: a record that did not reach the file stops its item', () => {
  it('a full disk (a short write, then EFBIG) never makes a resume send an item twice', async () => {
    const server = await serve({ latencyMs: 1 });
    const path = tempFile();
    const N = 40;
    // 1 KiB: the header and a few records fit, then a record is cut mid-line.
    const script = await child;
    const code = await new Promise<number | null>((resolve) => {
      const proc = spawn('bash', ['-c', `ulimit -f 1 && exec "${process.execPath}" "${script}"`], {
        env: {
          ...process.env,
          FLEET_JOURNAL: path,
          FLEET_BASE_URL: server.baseUrl,
          FLEET_N: `${N}`,
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      proc.on('exit', resolve);
    });
    expect(code).toBe(3);
    const journal = createFileJournal(path);
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(N), { journal }),
    );
    await journal.close();
    expect(results).toHaveLength(N);
    expect(Math.max(...server.processed.values())).toBe(1);
    expect(server.processed.size).toBe(N);
  });
});

describe('file journal: a whole last record without its newline', () => {
  it('is kept (and given its newline), not cut away as torn', async () => {
    const server = await serve();
    const path = tempFile();
    const first = createFileJournal(path);
    await collect(sendDownlinks(fleetClient(server.baseUrl), items(2), { journal: first }));
    await first.close();
    // An editor's save, or `truncate -s -1`: the last record loses its newline.
    truncateSync(path, readFileSync(path).length - 1);
    const second = createFileJournal(path);
    await collect(sendDownlinks(fleetClient(server.baseUrl), items(3), { journal: second }));
    await second.close();
    const third = createFileJournal(path);
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(3), { journal: third, resendUnknown: true }),
    );
    await third.close();
    expect(byOutcome(results)).toEqual({ skipped: 3 });
    expect([...server.processed.values()]).toEqual([1, 1, 1]);
  });

  it('a torn last line is still cut off', async () => {
    const path = tempFile();
    const journal = createFileJournal(path);
    await journal.append({ key: '#0', event: 'start', index: 0, digest: 'ab' });
    await journal.close();
    appendFileSync(path, '{"key":"#0","ev');
    const again = createFileJournal(path);
    await again.append({ key: '#0', event: 'unknown' });
    await again.close();
    expect(readFileSync(path, 'utf8').split('\n').slice(1)).toEqual([
      '{"key":"#0","event":"start","index":0,"digest":"ab"}',
      '{"key":"#0","event":"unknown"}',
      '',
    ]);
  });
});

describe('write-ahead order, observed', () => {
  it('a request reaches DX only after its start record is durable, with a journal that is slow to say so', async () => {
    const durable = new Set<string>();
    const journal: DownlinkJournal = {
      read: () => [],
      // Resolves late: the record becomes durable 15 ms after append is called.
      append: (record: JournalRecord) =>
        new Promise<void>((resolve) =>
          setTimeout(() => {
            durable.add(`${record.key} ${record.event}`);
            resolve();
          }, 15),
        ),
    };
    const arrivedBeforeDurable: string[] = [];
    const server = await serve({
      fault: (device) => {
        const key = `#${device.slice('dev-'.length)}`;
        if (!durable.has(`${key} start`)) arrivedBeforeDurable.push(key);
        return 'ok';
      },
    });
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(12), { journal, concurrency: 4 }),
    );
    expect(byOutcome(results)).toEqual({ queued: 12 });
    expect(arrivedBeforeDurable).toEqual([]);
  });

  it('fsync: true syncs every record through the file handle before append resolves', async () => {
    const path = tempFile();
    const probe = await open(path, 'a');
    const FileHandle = Object.getPrototypeOf(probe) as { sync(): Promise<void> };
    await probe.close();
    const synced: string[] = [];
    const realSync = FileHandle.sync;
    vi.spyOn(FileHandle, 'sync').mockImplementation(async function (this: unknown) {
      await realSync.call(this);
      synced.push(readFileSync(path, 'utf8').trim().split('\n').at(-1)!);
    });
    const journal = createFileJournal(path, { fsync: true });
    await journal.append({ key: '#0', event: 'start', index: 0, digest: 'ab' });
    expect(synced.at(-1)).toBe('{"key":"#0","event":"start","index":0,"digest":"ab"}');
    await journal.append({ key: '#0', event: 'queued', status: 200 });
    expect(synced.at(-1)).toBe('{"key":"#0","event":"queued","status":200}');
    await journal.close();
    // Without the option, no sync: the test can tell the two apart.
    synced.length = 0;
    const plain = createFileJournal(tempFile());
    await plain.append({ key: '#0', event: 'start', index: 0, digest: 'ab' });
    await plain.close();
    expect(synced).toEqual([]);
  });
});
