/**
 * Input files that are not UTF-8 (a spreadsheet saved as Latin-1): their bytes must never be
 * sent as U+FFFD (`EF BF BD`), and `--dry-run` must not call such a line valid.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertBuilt, dx, ndjson, SECRET } from './harness.js';
import { mockedDx } from './mock.js';

assertBuilt();
const { mock, home, env } = await mockedDx();

const DEVICE_1 = '0018B20000000001';
const DEVICE_2 = '0018B20000000002';
const DEVICE_3 = '0018B20000000003';

/** "25°C" as Latin-1 writes it: the degree sign is the single byte 0xB0, not UTF-8. */
const latin1 = (text: string): Buffer => Buffer.from(text, 'latin1');

async function bytesFile(name: string, bytes: Buffer): Promise<string> {
  const path = join(home.home, name);
  await writeFile(path, bytes);
  return path;
}

/** Each item line's outcome (and message) by line number. */
function outcomes(stdout: string): Record<number, [string, string | undefined]> {
  const lines = ndjson(stdout).filter((l) => l.summary === undefined);
  return Object.fromEntries(
    lines.map((l) => [
      l.line as number,
      [l.outcome as string, (l.error as { message?: string } | undefined)?.message],
    ]),
  );
}

const jsonlBytes = Buffer.concat([
  Buffer.from(`{"device":"${DEVICE_1}","payload":{"text":"ok"},"fPort":2}\n`),
  latin1(`{"device":"${DEVICE_2}","payload":{"text":"25\u00b0C"},"fPort":2}\n`),
  // The same text saved as UTF-8 is fine, and so is a U+FFFD that really is in the file.
  Buffer.from(`{"device":"${DEVICE_3}","payload":{"text":"25\u00b0C \ufffd"},"fPort":2}\n`),
]);

const csvBytes = Buffer.concat([
  Buffer.from('device,fPort,text\n'),
  Buffer.from(`${DEVICE_1},2,ok\n`),
  latin1(`${DEVICE_2},2,25\u00b0C\n`),
  Buffer.from(`${DEVICE_3},2,25\u00b0C\n`),
]);

describe('dx send-bulk: input bytes that are not UTF-8', () => {
  it('JSONL: the Latin-1 line is invalid, named by line and byte; the others are sent as written', async () => {
    const path = await bytesFile('latin1.jsonl', jsonlBytes);
    const r = await dx(['send-bulk', '--file', path], { env });
    expect(r.code).toBe(1);
    const byLine = outcomes(r.stdout);
    expect(byLine[1]?.[0]).toBe('queued');
    expect(byLine[2]?.[0]).toBe('invalid');
    expect(byLine[2]?.[1]).toMatch(/^bytes that are not UTF-8 \(0xB0 at byte \d+ of the line\)/);
    expect(byLine[3]?.[0]).toBe('queued');
    const sent = Object.fromEntries(mock.downlinks.map((d) => [d.device, d.payloadHex]));
    expect(Object.keys(sent).sort()).toEqual([DEVICE_1, DEVICE_3]);
    expect(sent[DEVICE_3]).toBe(Buffer.from('25\u00b0C \ufffd').toString('hex').toUpperCase());
  });

  it('JSONL --dry-run: the same line is invalid, not valid', async () => {
    const path = await bytesFile('latin1-dry.jsonl', jsonlBytes);
    const r = await dx(['send-bulk', '--file', path, '--dry-run'], { env });
    expect(r.code).toBe(1);
    const byLine = outcomes(r.stdout);
    expect([byLine[1]?.[0], byLine[2]?.[0], byLine[3]?.[0]]).toEqual(['valid', 'invalid', 'valid']);
    expect(byLine[2]?.[1]).toMatch(/not UTF-8/);
    expect(mock.requests).toHaveLength(0);
  });

  it('CSV: the Latin-1 row is invalid naming the column, sent or dry run', async () => {
    const path = await bytesFile('latin1.csv', csvBytes);
    const r = await dx(['send-bulk', '--file', path], { env });
    expect(r.code).toBe(1);
    const byLine = outcomes(r.stdout);
    expect(byLine[3]?.[0]).toBe('invalid');
    expect(byLine[3]?.[1]).toMatch(/^text: bytes that are not UTF-8/);
    expect(mock.downlinks.map((d) => d.device).sort()).toEqual([DEVICE_1, DEVICE_3]);
    expect(mock.downlinks.map((d) => d.payloadHex)).not.toContainEqual(
      expect.stringContaining('EFBFBD'),
    );

    const dry = await dx(['send-bulk', '--file', path, '--dry-run'], { env });
    const dryLines = outcomes(dry.stdout);
    expect([dryLines[2]?.[0], dryLines[3]?.[0], dryLines[4]?.[0]]).toEqual([
      'valid',
      'invalid',
      'valid',
    ]);
    expect(`${r.stdout}${r.stderr}${dry.stdout}${dry.stderr}`).not.toContain(SECRET);
  });
});
