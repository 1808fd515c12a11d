import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFileJournal } from '../src/node/file-journal.js';
import {
  createMemoryJournal,
  DownlinkError,
  sendDownlinks,
  type JournalRecord,
} from '../src/index.js';
import { byOutcome, collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serve = useFleetServers();

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'dx-journal-')), 'run.jsonl');

describe('journal', () => {
  it('holds the start record before the request reaches DX, and the outcome after', async () => {
    const journal = createMemoryJournal();
    const seenAtArrival: string[][] = [];
    const server = await serve({
      fault: () => {
        seenAtArrival.push(journal.records.map((r) => `${r.key} ${r.event}`));
        return 'ok';
      },
    });
    await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(3), { journal, concurrency: 1 }),
    );
    expect(seenAtArrival[0]).toEqual(['#0 start']);
    expect(seenAtArrival[2]).toEqual([
      '#0 start',
      '#0 queued',
      '#1 start',
      '#1 queued',
      '#2 start',
    ]);
    expect(journal.records.at(-1)).toEqual({ key: '#2', event: 'queued', status: 200 });
    // The digest covers what is sent but never the AS key.
    const secret = createMemoryJournal();
    const withKey = items(1, { securityParams: { asId: 'as', asKey: 'asKEY-SECRET' } });
    await collect(sendDownlinks(fleetClient(server.baseUrl), withKey, { journal: secret }));
    expect(JSON.stringify(secret.records)).not.toContain('SECRET');
  });

  it('resumes: skips what is queued, reports unknown what started without outcome, sends the rest', async () => {
    const server = await serve();
    const input = items(6);
    const journal = createMemoryJournal();
    await collect(sendDownlinks(fleetClient(server.baseUrl), input.slice(0, 3), { journal }));
    // As if killed while #3 was in flight, and after #4 got a 429.
    const digestOf = (key: string) => journal.records.find((r) => r.key === key)?.digest;
    const lone = createMemoryJournal();
    await collect(sendDownlinks(fleetClient(server.baseUrl), input, { journal: lone }));
    const records: JournalRecord[] = [
      ...journal.records,
      {
        key: '#3',
        event: 'start',
        index: 3,
        digest: lone.records.find((r) => r.key === '#3')?.digest,
      },
      {
        key: '#4',
        event: 'start',
        index: 4,
        digest: lone.records.find((r) => r.key === '#4')?.digest,
      },
      { key: '#4', event: 'retry', status: 429 },
    ];
    expect(digestOf('#0')).toMatch(/^[\da-f]{14}$/);
    const before = server.requests;
    const resumed = await collect(
      sendDownlinks(fleetClient(server.baseUrl), input, { journal: createMemoryJournal(records) }),
    );
    const outcomes = Object.fromEntries(resumed.map((r) => [r.index, r.outcome]));
    expect(outcomes).toEqual({
      0: 'skipped',
      1: 'skipped',
      2: 'skipped',
      3: 'unknown',
      4: 'queued',
      5: 'queued',
    });
    expect(server.requests - before).toBe(2);
    expect(resumed.find((r) => r.index === 3)?.fromJournal).toBe(true);
    // Only with resendUnknown does the unknown one go again.
    const again = await collect(
      sendDownlinks(fleetClient(server.baseUrl), input, {
        journal: createMemoryJournal(records),
        resendUnknown: true,
      }),
    );
    expect(again.find((r) => r.index === 3)?.outcome).toBe('queued');
  });

  it('refuses a journal of a different input before sending anything', async () => {
    const server = await serve();
    const journal = createMemoryJournal();
    await collect(sendDownlinks(fleetClient(server.baseUrl), items(3), { journal }));
    const before = server.requests;
    const other = items(3, { payload: { hex: 'ff' } });
    const run = sendDownlinks(fleetClient(server.baseUrl), other, { journal });
    const error = await collect(run).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownlinkError);
    expect((error as DownlinkError).field).toBe('journal');
    expect((error as DownlinkError).message).toContain('the journal begins with another item');
    await expect(run.summary).rejects.toBe(error);
    // The same items shifted by one: the first item differs too.
    const shifted = [items(4)[3]!, ...items(3)];
    await expect(
      collect(sendDownlinks(fleetClient(server.baseUrl), shifted, { journal })),
    ).rejects.toThrow('journal: item 0 (#0)');
    // Same first item, a later one changed: refused at that item, nothing sent.
    const changed = items(3).map((item, i) => (i === 2 ? { ...item, fPort: 9 } : item));
    await expect(
      collect(sendDownlinks(fleetClient(server.baseUrl), changed, { journal })),
    ).rejects.toThrow('its content differs from the journal');
    expect(server.requests).toBe(before);
  });
});

describe('file journal', () => {
  it('writes one JSON line per record after a header, and reads them back', async () => {
    const path = tempFile();
    const journal = createFileJournal(path);
    expect([...(await readAll(journal))]).toEqual([]);
    await journal.append({ key: '#0', event: 'start', index: 0, digest: 'ab' });
    await journal.append({ key: '#0', event: 'queued', status: 200 });
    await journal.close();
    expect(readFileSync(path, 'utf8')).toBe(
      '{"journal":"@dx/downlink-helpers","version":1}\n' +
        '{"key":"#0","event":"start","index":0,"digest":"ab"}\n' +
        '{"key":"#0","event":"queued","status":200}\n',
    );
    expect(await readAll(createFileJournal(path))).toEqual([
      { key: '#0', event: 'start', index: 0, digest: 'ab' },
      { key: '#0', event: 'queued', status: 200 },
    ]);
  });

  it('ignores a torn last line and starts the next record on a fresh line', async () => {
    const path = tempFile();
    const first = createFileJournal(path);
    await first.append({ key: '#0', event: 'start', index: 0, digest: 'ab' });
    await first.close();
    appendFileSync(path, '{"key":"#0","ev');
    const journal = createFileJournal(path);
    expect(await readAll(journal)).toHaveLength(1);
    await journal.append({ key: '#0', event: 'unknown' });
    await journal.close();
    expect(await readAll(createFileJournal(path))).toEqual([
      { key: '#0', event: 'start', index: 0, digest: 'ab' },
      { key: '#0', event: 'unknown' },
    ]);
  });

  it('writes the header again when a power loss cut it, so the records after it stay readable', async () => {
    const path = tempFile();
    // The first write of a new journal, interrupted.
    writeFileSync(path, '{"journal":"@dx/downl');
    const journal = createFileJournal(path);
    expect(await readAll(journal)).toEqual([]);
    await journal.append({ key: '#0', event: 'start', index: 0, digest: 'ab' });
    await journal.close();
    expect(readFileSync(path, 'utf8').split('\n')[0]).toBe(
      '{"journal":"@dx/downlink-helpers","version":1}',
    );
    expect(await readAll(createFileJournal(path))).toEqual([
      { key: '#0', event: 'start', index: 0, digest: 'ab' },
    ]);
  });

  it('refuses a file that is not a journal, or is damaged in the middle', async () => {
    const notJournal = tempFile();
    writeFileSync(notJournal, '{"hello":1}\n');
    await expect(readAll(createFileJournal(notJournal))).rejects.toThrow(
      `journal: ${notJournal} is not a downlink journal`,
    );
    const damaged = tempFile();
    writeFileSync(
      damaged,
      '{"journal":"@dx/downlink-helpers","version":1}\nnot json\n{"key":"#0","event":"queued"}\n',
    );
    await expect(readAll(createFileJournal(damaged))).rejects.toThrow(
      `journal: ${damaged} line 2 is not JSON`,
    );
  });

  it('refuses a file of one line that is not JSON, before any send, leaving it as it was', async () => {
    const server = await serve();
    const path = tempFile();
    writeFileSync(path, 'hello\n');
    const run = sendDownlinks(fleetClient(server.baseUrl), items(2), {
      journal: createFileJournal(path),
    });
    await expect(collect(run)).rejects.toThrow(`journal: ${path} is not a downlink journal`);
    expect(server.requests).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe('hello\n');
  });

  it('resumes a run from the file', async () => {
    const server = await serve();
    const path = tempFile();
    const first = createFileJournal(path, { fsync: true });
    await collect(sendDownlinks(fleetClient(server.baseUrl), items(3), { journal: first }));
    await first.close();
    const second = createFileJournal(path);
    const results = await collect(
      sendDownlinks(fleetClient(server.baseUrl), items(5), { journal: second }),
    );
    await second.close();
    expect(byOutcome(results)).toEqual({ skipped: 3, queued: 2 });
    expect(server.requests).toBe(5);
  });
});

async function readAll(journal: {
  read(): AsyncIterable<JournalRecord> | Iterable<JournalRecord>;
}) {
  const records: JournalRecord[] = [];
  for await (const record of journal.read()) records.push(record);
  return records;
}

describe('journal failures', () => {
  it('stops the run when a start record cannot be written, and sends nothing unrecorded', async () => {
    const server = await serve();
    const records: JournalRecord[] = [];
    const journal = {
      read: () => [],
      append(record: JournalRecord) {
        if (records.length === 4) throw new Error('disk full');
        records.push(record);
      },
    };
    const run = sendDownlinks(fleetClient(server.baseUrl), items(10), { journal, concurrency: 1 });
    await expect(collect(run)).rejects.toThrow('disk full');
    await expect(run.summary).rejects.toThrow('disk full');
    // Two items recorded start and outcome; the third start failed: it never left.
    expect(records.map((r) => `${r.key} ${r.event}`)).toEqual([
      '#0 start',
      '#0 queued',
      '#1 start',
      '#1 queued',
    ]);
    expect(server.requests).toBe(2);
  });
});
