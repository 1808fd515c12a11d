import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { assertBuilt, BIN, dx, ndjson, SECRET } from './harness.js';
import { mockedDx } from './mock.js';

assertBuilt();
const { mock, home, env, outputs } = await mockedDx();

async function run(
  args: string[],
  options: { stdin?: string; env?: Record<string, string | undefined> } = {},
) {
  const result = await dx(['send-bulk', ...args], {
    env: { ...env, ...options.env },
    stdin: options.stdin,
    cwd: home.home,
  });
  outputs.push(result.stdout, result.stderr);
  return result;
}

const eui = (n: number) => `0018B2000000${n.toString(16).toUpperCase().padStart(4, '0')}`;
const jsonl = (items: unknown[]) =>
  items.map((i) => (typeof i === 'string' ? i : JSON.stringify(i))).join('\n');
async function file(name: string, text: string): Promise<string> {
  const path = join(home.home, name);
  await writeFile(path, text);
  return path;
}
/** The item lines (the summary left out) in file order: results come in completion order. */
const itemsByLine = (lines: Record<string, unknown>[]) =>
  lines.slice(0, -1).sort((a, b) => (a.line as number) - (b.line as number));
const summaryOf = (lines: Record<string, unknown>[]) =>
  lines.at(-1)?.summary as Record<string, number>;

beforeEach(() => {
  mock.clearFaults();
  mock.setLatency(0);
});

describe('dx send-bulk', () => {
  it('JSONL: one NDJSON line per item with its line number, then the summary; bad lines invalid, never sent', async () => {
    const path = await file(
      'fleet.jsonl',
      jsonl([
        { device: eui(1), payload: { hex: '0101' }, fPort: 2 },
        '',
        { device: eui(2), payload: { base64: 'AQI=' }, fPort: 3, confirm: true, id: 'second' },
        '{"device": broken',
        { device: eui(3), payload: { hex: 'zz' }, fPort: 2 },
        { device: eui(4), payload: { text: 'on' }, fPort: 2, region: 'EU868', dataRate: 0 },
      ]),
    );
    // stdout is a pipe, not a terminal: NDJSON without --json.
    const r = await run(['--file', path]);
    expect(r.code).toBe(1);
    const lines = ndjson(r.stdout);
    const items = itemsByLine(lines);
    expect(items.map((l) => [l.line, l.outcome])).toEqual([
      [1, 'queued'],
      [3, 'queued'],
      [4, 'invalid'],
      [5, 'invalid'],
      [6, 'queued'],
    ]);
    expect(items[1]).toMatchObject({
      device: eui(2),
      id: 'second',
      response: { status: 'QUEUED' },
    });
    expect(items[2]).toMatchObject({ line: 4, error: { message: 'not valid JSON' } });
    expect(items[3]).toMatchObject({ device: eui(3), error: { code: 'INVALID_HEX' } });
    expect(summaryOf(lines)).toMatchObject({
      queued: 3,
      invalid: 2,
      failed: 0,
      unknown: 0,
      skipped: 0,
      total: 5,
    });
    expect(summaryOf(lines).elapsedMs).toBeGreaterThanOrEqual(0);
    expect(mock.downlinks.map((d) => [d.device, d.payloadHex, d.confirm]).sort()).toEqual([
      [eui(1), '0101', false],
      [eui(2), '0102', true],
      [eui(4), '6F6E', false],
    ]);
  });

  it('CSV with a header: quoted cells, booleans, empty cells absent; stdin with --format', async () => {
    const csv =
      'device,text,fPort,confirm,region,dataRate\n' +
      `${eui(10)},"a,b",2,true,EU868,5\n` +
      `${eui(11)},"say ""hi""",4,,,\n` +
      `${eui(12)},x,2,maybe,,\n` +
      `${eui(13)},y\n`;
    const r = await run(['--file', '-', '--format', 'csv', '--json'], { stdin: csv });
    expect(r.code).toBe(1);
    const lines = ndjson(r.stdout);
    const byLine = Object.fromEntries(lines.slice(0, -1).map((l) => [l.line, l]));
    expect(byLine[2]).toMatchObject({ outcome: 'queued', device: eui(10) });
    expect(byLine[3]).toMatchObject({ outcome: 'queued', device: eui(11) });
    expect(byLine[4]).toMatchObject({
      outcome: 'invalid',
      error: { message: expect.stringMatching(/confirm: expected true or false/) },
    });
    expect(byLine[5]).toMatchObject({
      outcome: 'invalid',
      error: { message: expect.stringMatching(/wrong number of cells/) },
    });
    expect(mock.downlinks.map((d) => [d.device, d.payloadHex, d.fPort, d.confirm]).sort()).toEqual([
      [eui(10), '612C62', 2, true],
      [eui(11), '7361792022686922', 4, false],
    ]);
  });

  it('never prints an AS key given in the input', async () => {
    const path = await file(
      'as.jsonl',
      jsonl([
        {
          device: eui(1),
          payload: { hex: '01' },
          fPort: 2,
          securityParams: { asId: 'as-1', asKey: SECRET },
        },
        {
          device: eui(2),
          payload: { hex: 'zz' },
          fPort: 2,
          securityParams: { asId: 'as-1', asKey: SECRET },
        },
        {
          device: eui(3),
          payload: { hex: '01' },
          fPort: 2,
          securityParams: { asId: 'as-1', asKey: 7 },
        },
      ]),
    );
    const r = await run(['--file', path]);
    expect(r.code).toBe(1);
    expect(summaryOf(ndjson(r.stdout))).toMatchObject({ queued: 1, invalid: 2 });
    expect(mock.downlinks[0]?.securityParams).toBe(true);
    const dry = await run(['--file', path, '--dry-run']);
    expect(`${dry.stdout}${dry.stderr}`).not.toContain(SECRET);
  });

  it('usage errors (exit 2): no --file, unreadable file, unknown CSV column, bad --rate', async () => {
    expect((await run([])).stderr).toMatch(/missing --file/);
    const missing = await run(['--file', 'nope.jsonl']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--file nope\.jsonl: cannot be read \(ENOENT\)/);
    const header = await run(['--file', await file('bad.csv', 'device,hexa,fPort\nx,01,2\n')]);
    expect(header.code).toBe(2);
    expect(header.stderr).toMatch(/CSV header: unknown column\(s\) hexa/);
    expect(mock.requests).toHaveLength(0);
    const rate = await run(['--file', 'x', '--rate', '-1']);
    expect(rate.code).toBe(2);
    const journal = await run([
      '--file',
      await file('j.jsonl', '{}'),
      '--journal',
      'no/such/dir/j',
    ]);
    expect(journal.code).toBe(2);
    expect(journal.stderr).toMatch(
      /--journal no\/such\/dir\/j: cannot write in .*no\/such\/dir \(ENOENT\)/,
    );
  });

  it('a line over 64 KiB (a JSON array on one line) is invalid, not read whole; the lines around it are sent', async () => {
    const array = JSON.stringify(
      Array.from({ length: 40_000 }, (_, n) => ({ device: eui(n), payload: { hex: '01' } })),
    );
    expect(array.length).toBeGreaterThan(1_000_000);
    const item = (n: number) =>
      JSON.stringify({ device: eui(n), payload: { hex: '02' }, fPort: 2 });
    // CRLF line ends, and no line break after the last line.
    const path = await file('array.jsonl', [item(1), array, item(2)].join('\r\n'));
    const r = await run(['--file', path]);
    expect(r.code).toBe(1);
    const items = itemsByLine(ndjson(r.stdout));
    expect(items.map((l) => [l.line, l.outcome])).toEqual([
      [1, 'queued'],
      [2, 'invalid'],
      [3, 'queued'],
    ]);
    expect(items[1]).toMatchObject({
      error: { message: expect.stringMatching(/^longer than 64 KiB.*jq -c/) },
    });
    expect(mock.downlinks.map((d) => d.device).sort()).toEqual([eui(1), eui(2)]);
  });

  it('CSV: an unclosed quote stops the input within 64 KiB instead of taking the rest of the file', async () => {
    const rows = Array.from({ length: 20_000 }, (_, n) => `${eui(n + 10)},01,2`);
    const text = ['device,hex,fPort', `${eui(1)},01,2`, `"${eui(2)},01,2`, ...rows].join('\n');
    const path = await file('unclosed.csv', text);
    const r = await run(['--file', path]);
    expect(r.code).toBe(1);
    const items = itemsByLine(ndjson(r.stdout));
    expect(items.map((l) => [l.line, l.outcome])).toEqual([
      [2, 'queued'],
      [3, 'invalid'],
    ]);
    expect(items[1]).toMatchObject({
      error: {
        message: expect.stringMatching(/not valid CSV from here on \(CSV_MAX_RECORD_SIZE\)/),
      },
    });
    expect(mock.downlinks.map((d) => d.device)).toEqual([eui(1)]);
  });

  it('--dry-run validates every line with no credentials and sends nothing', async () => {
    const path = await file(
      'dry.jsonl',
      jsonl([
        { device: eui(1), payload: { hex: '01' }, fPort: 2 },
        { device: 'bad/ref', payload: { hex: '01' }, fPort: 2 },
      ]),
    );
    const r = await run(['--file', path, '--dry-run'], {
      env: { DX_CLIENT_SECRET: undefined, DX_CLIENT_ID: undefined },
    });
    expect(r.code).toBe(1);
    const lines = ndjson(r.stdout);
    expect(lines.slice(0, -1).map((l) => l.outcome)).toEqual(['valid', 'invalid']);
    expect(lines[1]).toMatchObject({ error: { code: 'INVALID_DEVICE' } });
    expect(lines.at(-1)).toMatchObject({
      summary: { valid: 1, invalid: 1, total: 2, dryRun: true },
    });
    expect(mock.requests).toHaveLength(0);
  });

  it('--journal: a second run skips what the first queued; a journal of other input is refused', async () => {
    const items = [1, 2, 3].map((n) => ({ device: eui(n), payload: { hex: '0A' }, fPort: 2 }));
    const path = await file('resume.jsonl', jsonl(items));
    const journal = join(home.home, 'resume.journal');
    const first = await run(['--file', path, '--journal', journal]);
    expect(first.code).toBe(0);
    expect(summaryOf(ndjson(first.stdout))).toMatchObject({ queued: 3 });
    const second = await run(['--file', path, '--journal', journal]);
    expect(second.code).toBe(0);
    expect(summaryOf(ndjson(second.stdout))).toMatchObject({ queued: 0, skipped: 3 });
    expect(mock.downlinks).toHaveLength(3);
    const other = await file(
      'other.jsonl',
      jsonl([{ device: eui(9), payload: { hex: '0B' }, fPort: 2 }]),
    );
    const refused = await run(['--file', other, '--journal', journal]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/different input/);
    expect(mock.downlinks).toHaveLength(3);
  });

  it('server faults: failed and unknown outcomes, exit 1; unknown never re-sent without --resend-unknown', async () => {
    const path = await file(
      'faults.jsonl',
      jsonl([1, 2, 3, 4].map((n) => ({ device: eui(n), payload: { hex: '0C' }, fPort: 2 }))),
    );
    const journal = join(home.home, 'faults.journal');
    mock.failNext(1, 'reset-after');
    const r = await run(['--file', path, '--journal', journal, '--concurrency', '1']);
    expect(r.code).toBe(1);
    const summary = summaryOf(ndjson(r.stdout));
    expect(summary).toMatchObject({ queued: 3, unknown: 1 });
    expect(mock.downlinks).toHaveLength(4); // the reset came after processing
    const again = await run(['--file', path, '--journal', journal]);
    expect(summaryOf(ndjson(again.stdout))).toMatchObject({ skipped: 3, unknown: 1 });
    expect(mock.downlinks).toHaveLength(4);
    const resend = await run(['--file', path, '--journal', journal, '--resend-unknown']);
    expect(resend.code).toBe(0);
    expect(summaryOf(ndjson(resend.stdout))).toMatchObject({ skipped: 3, queued: 1 });
  });

  it('a wrong base URL (404 to everything) stops the run with exit 5 and a summary; a rerun sends all', async () => {
    const path = await file(
      'wrong-url.jsonl',
      jsonl(
        Array.from({ length: 60 }, (_, n) => ({
          device: eui(n),
          payload: { hex: '01' },
          fPort: 2,
        })),
      ),
    );
    const journal = join(home.home, 'wrong-url.journal');
    const wrong = env.DX_BASE_URL!.replace('/core/latest/api', '/core/wrong/api');
    const r = await run(['--file', path, '--journal', journal, '--concurrency', '2'], {
      env: { DX_BASE_URL: wrong },
    });
    expect(r.code).toBe(5);
    const summary = summaryOf(ndjson(r.stdout)) as unknown as Record<string, unknown>;
    // The stopped run read only part of the file: the outage counts the rest too.
    expect(summary).toMatchObject({ outage: { reason: 'not-found', notSent: 60 } });
    expect(summary['not-sent']).toBeGreaterThan(0);
    expect(r.stderr).toMatch(
      /dx: DX answers 404 to everything \(is the base URL right\?\) since \d\d:\d\d:\d\d UTC; the run was stopped; 60 not sent; run again with the same --journal to resume/,
    );
    expect(mock.downlinks).toHaveLength(0);
    const rerun = await run(['--file', path, '--journal', journal]);
    expect(rerun.code).toBe(0);
    expect(summaryOf(ndjson(rerun.stdout))).toMatchObject({ queued: 60 });
    expect(new Set(mock.downlinks.map((d) => d.device)).size).toBe(60);
    expect(mock.downlinks).toHaveLength(60);
  });

  it('credentials refused: exit 4, the run stops', async () => {
    const path = await file(
      'auth.jsonl',
      jsonl([1, 2, 3].map((n) => ({ device: eui(n), payload: { hex: '01' }, fPort: 2 }))),
    );
    const r = await run(['--file', path, '--concurrency', '1'], {
      env: { DX_CLIENT_SECRET: 'wrong' },
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/refused the credentials/);
    expect(mock.downlinks).toHaveLength(0);
  });

  it.each([
    ['Ctrl-C (SIGINT)', 130, 'SIGINT', /stopping: no new sends/],
    ['SIGTERM', 143, 'SIGTERM', /stopping \(SIGTERM\): no new sends/],
  ] as const)(
    '%s: stops starting sends, waits for those in flight, keeps the journal, exits %i with the summary',
    async (_name, exitCode, signal, note) => {
      mock.setLatency(200);
      const path = await file(
        'big.jsonl',
        jsonl(
          Array.from({ length: 60 }, (_, n) => ({
            device: eui(n),
            payload: { hex: '0D' },
            fPort: 2,
          })),
        ),
      );
      const journal = join(home.home, `big-${signal}.journal`);
      const child = spawn(
        process.execPath,
        [BIN, 'send-bulk', '--file', path, '--journal', journal, '--concurrency', '2'],
        { env },
      );
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code)),
      );
      await new Promise<void>((resolve) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.split('\n').length > 3) resolve();
        });
      });
      child.kill(signal);
      const code = await exited;
      outputs.push(stdout, stderr);
      expect(code).toBe(exitCode);
      const lines = ndjson(stdout);
      const summary = summaryOf(lines);
      expect(summary).toMatchObject({ interrupted: true, failed: 0, unknown: 0 });
      expect(summary.queued).toBeLessThan(60);
      // In-flight sends were waited for: every downlink DX queued has its result line.
      expect(summary.queued).toBe(mock.downlinks.length);
      expect(lines.slice(0, -1)).toHaveLength(summary.queued as number);
      expect(stderr).toMatch(note);
      const recorded = (await readFile(journal, 'utf8')).split('\n').filter(Boolean);
      expect(recorded.length).toBeGreaterThan(summary.queued as number);
      // Resuming sends exactly the rest.
      mock.setLatency(0);
      const rest = await run(['--file', path, '--journal', journal, '--concurrency', '8']);
      expect(rest.code).toBe(0);
      expect(summaryOf(ndjson(rest.stdout))).toMatchObject({
        skipped: summary.queued,
        queued: 60 - (summary.queued as number),
      });
      expect(new Set(mock.downlinks.map((d) => d.device)).size).toBe(60);
      expect(mock.downlinks).toHaveLength(60);
    },
  );
});

describe('dx send-bulk: the same downlink for every line, given once as flags', () => {
  it('JSON lines of devices (other fields ignored) get the payload and FPort of the flags', async () => {
    // What a device listing piped into send-bulk looks like: a device and fields of its own.
    const listing = jsonl([
      { device: eui(40), name: 'pump 1', profile: 'LORA/GenericA.1.0.2a_ETSI' },
      { device: 'ref-41', name: 'pump 2' },
      { device: eui(42), fPort: 5 },
      { device: eui(43), payload: { hex: '00' } },
    ]);
    const lpp = JSON.stringify([{ channel: 3, type: 'temperature', value: 27.2 }]);
    const r = await run(['--file', '-', '--lpp', lpp, '--fport', '2', '--confirm'], {
      stdin: listing,
    });
    expect(r.code).toBe(1);
    const byLine = Object.fromEntries(
      ndjson(r.stdout)
        .slice(0, -1)
        .map((l) => [l.line, l]),
    );
    expect(byLine[1]).toMatchObject({ outcome: 'queued', device: eui(40) });
    expect(byLine[2]).toMatchObject({ outcome: 'queued', device: 'ref-41' });
    expect(byLine[3]).toMatchObject({
      outcome: 'invalid',
      error: {
        message:
          'fPort given both in the line and on the command line (--fport): give each in one place',
      },
    });
    expect(byLine[4]).toMatchObject({
      outcome: 'invalid',
      error: {
        message: expect.stringMatching(
          /^payload given both in the line and on the command line \(--hex, --base64, --text, --lpp or --codec\)/,
        ),
      },
    });
    expect(mock.downlinks.map((d) => [d.device, d.payloadHex, d.fPort, d.confirm]).sort()).toEqual([
      [eui(40), '03670110', 2, true],
      ['ref-41', '03670110', 2, true],
    ]);
  });

  it('a codec runs once for the whole file', async () => {
    const codec = await file(
      'counting-codec.mjs',
      'let calls = 0;\nexport function encodeDownlink() { calls += 1; return { bytes: [calls], fPort: 9 }; }\n',
    );
    const devices = jsonl([1, 2, 3].map((n) => ({ device: eui(50 + n) })));
    const r = await run(['--file', '-', '--codec', codec, '--input', '{}'], { stdin: devices });
    expect(r.code).toBe(0);
    expect(mock.downlinks.map((d) => [d.payloadHex, d.fPort])).toEqual([
      ['01', 9],
      ['01', 9],
      ['01', 9],
    ]);
  });

  it('CSV of devices alone; a column for what a flag gives, or a missing one, is a usage error', async () => {
    const devices = await file('devices.csv', `device\n${eui(60)}\n${eui(61)}\n`);
    const r = await run(['--file', devices, '--hex', '0A0B', '--fport', '7', '--flush']);
    expect(r.code).toBe(0);
    expect(mock.downlinks.map((d) => [d.device, d.payloadHex, d.fPort, d.flush]).sort()).toEqual([
      [eui(60), '0A0B', 7, true],
      [eui(61), '0A0B', 7, true],
    ]);
    mock.clearRecords();
    const withHex = await file('with-hex.csv', `device,hex\n${eui(62)},01\n`);
    const both = await run(['--file', withHex, '--hex', '0A', '--fport', '7']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/column\(s\) hex and the command line both give payload/);
    const noPort = await run(['--file', devices, '--hex', '0A']);
    expect(noPort.code).toBe(2);
    expect(noPort.stderr).toMatch(
      /missing column\(s\): fPort \(or give the value of every row once as a flag/,
    );
    expect(mock.downlinks).toHaveLength(0);
  });

  it('--journal: the same flags resume; other flags are other input, refused', async () => {
    const devices = await file(
      'journal-devices.jsonl',
      jsonl([1, 2].map((n) => ({ device: eui(70 + n) }))),
    );
    const journal = join(home.home, 'flags.journal');
    const flags = ['--file', devices, '--hex', '0101', '--fport', '2', '--journal', journal];
    expect((await run(flags)).code).toBe(0);
    const again = await run(flags);
    expect(summaryOf(ndjson(again.stdout))).toMatchObject({ queued: 0, skipped: 2 });
    const otherPayload = await run([
      '--file',
      devices,
      '--hex',
      '0202',
      '--fport',
      '2',
      '--journal',
      journal,
    ]);
    expect(otherPayload.code).toBe(2);
    expect(otherPayload.stderr).toMatch(/different input/);
    expect(mock.downlinks).toHaveLength(2);
  });
});
