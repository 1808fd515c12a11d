/**
 * Adversarial runs of the built `dx`: inputs, servers and codecs that try to break its
 * promises (line numbers, NDJSON-only stdout, no secret in any output, documented exit codes).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { json, useTestServers } from '../../../scripts/test-support/http-server.js';
import { assertBuilt, baseEnv, BIN, dx, dxProcess, ndjson, SECRET } from './harness.js';
import { mockedDx } from './mock.js';

assertBuilt();
const { mock, home, env } = await mockedDx();
const serve = useTestServers();

beforeEach(() => mock.setLatency(0));

async function file(name: string, text: string): Promise<string> {
  const path = join(home.home, name);
  await writeFile(path, text);
  return path;
}

const linesOf = (stdout: string) =>
  ndjson(stdout)
    .filter((l) => l.line !== undefined)
    .map((l) => [l.line, l.outcome])
    .sort((a, b) => Number(a[0]) - Number(b[0]));

describe('send-bulk CSV line numbers', () => {
  // Header on line 1; a blank line 3; a record on lines 4-5 (a quoted newline in its device
  // cell, so invalid); a bad payload on line 6; a good row on line 8 after another blank line.
  const rows = [
    'device,hex,fPort',
    '0018B20000000B20,01,2',
    '',
    '"0018B200',
    '00000B21",01,2',
    '0018B20000000B22,zz,2',
    '',
    '0018B20000000B23,01,2',
  ];
  const expected = [
    [2, 'queued'],
    [4, 'invalid'],
    [6, 'invalid'],
    [8, 'queued'],
  ];

  it('a record with a quoted newline is reported at the line it starts on (LF)', async () => {
    const path = await file('multiline-lf.csv', `${rows.join('\n')}\n`);
    const r = await dx(['send-bulk', '--file', path], { env });
    expect(linesOf(r.stdout)).toEqual(expected);
  });

  it('the same with CRLF line ends, as Excel writes them: no line counted twice', async () => {
    const path = await file('multiline-crlf.csv', `${rows.join('\r\n')}\r\n`);
    const r = await dx(['send-bulk', '--file', path], { env });
    expect(linesOf(r.stdout)).toEqual(expected);
    const dry = await dx(['send-bulk', '--file', path, '--dry-run'], { env });
    expect(linesOf(dry.stdout)).toEqual(
      expected.map(([l, o]) => [l, o === 'queued' ? 'valid' : o]),
    );
  });

  it('a row with a cell too many still counts the line breaks of the cell it drops', async () => {
    const text = [
      'device,hex,fPort',
      '0018B20000000B20,01,2,"extra',
      'cell"',
      '0018B20000000B21,zz,2',
      '0018B20000000B22,01,2',
    ];
    const path = await file('extra-cell.csv', `${text.join('\n')}\n`);
    const r = await dx(['send-bulk', '--file', path, '--dry-run'], { env });
    expect(linesOf(r.stdout)).toEqual([
      [2, 'invalid'],
      [4, 'invalid'],
      [5, 'valid'],
    ]);
  });

  it('an unclosed quote is reported at the line the broken record starts on', async () => {
    const text = ['device,hex,fPort', '"a\r\nb",01,2', '0018B20000000B20,01,2', '"open,01,2', 'x'];
    const path = await file('unclosed.csv', `${text.join('\r\n')}\r\n`);
    const r = await dx(['send-bulk', '--file', path, '--dry-run'], { env });
    expect(linesOf(r.stdout)).toEqual([
      [2, 'invalid'],
      [4, 'valid'],
      [5, 'invalid'],
    ]);
  });
});

describe('send-bulk --file that is a pipe', () => {
  it('--file <(...) (process substitution) is read once and every line sent', async () => {
    const lines = ['0018B20000000B30', '0018B20000000B31'].map((device) =>
      JSON.stringify({ device, payload: { hex: '01' }, fPort: 2 }),
    );
    const script = `exec "$NODE" "$BIN" send-bulk --file <(printf '%s\\n' "$@")`;
    const child = spawn('bash', ['-c', script, 'bash', ...lines], {
      env: { ...env, NODE: process.execPath, BIN },
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(ndjson(stdout).at(-1)).toMatchObject({ summary: { queued: 2, total: 2 } });
    expect(code).toBe(0);
    expect(mock.downlinks).toHaveLength(2);
  });
});

describe('send-bulk given a folder', () => {
  it('--file <a folder> is a usage error (exit 2) naming the flag, also for --dry-run', async () => {
    const folder = join(home.home, 'input-folder');
    await mkdir(folder, { recursive: true });
    for (const extra of [[], ['--dry-run']]) {
      const r = await dx(['send-bulk', '--file', folder, ...extra], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--file .*input-folder: is a folder/);
    }
    expect(mock.downlinks).toHaveLength(0);
  });

  it('a directory is a usage error (exit 2) naming the flag, before anything is sent', async () => {
    const folder = join(home.home, 'a-folder');
    await mkdir(folder, { recursive: true });
    const path = await file(
      'one.jsonl',
      '{"device":"0018B20000000B20","payload":{"hex":"01"},"fPort":2}\n',
    );
    const r = await dx(['send-bulk', '--file', path, '--journal', folder], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--journal');
    expect(mock.downlinks).toHaveLength(0);
  });
});

// A real process: the codec writes to the process's own stdout, which only a subprocess shows.
describe('a codec that writes to stdout', () => {
  it('cannot put anything but NDJSON on stdout (send and send-bulk)', async () => {
    const codec = await file(
      'chatty.mjs',
      `console.log('loading');
export function encodeDownlink() {
  console.log('encoding');
  process.stdout.write('not json\\n');
  return { bytes: [1], fPort: 2, warnings: [], errors: [] };
}\n`,
    );
    const send = await dxProcess(
      ['send', '--device', '0018B20000000B20', '--codec', codec, '--input', '{}', '--json'],
      { env },
    );
    expect(send.code).toBe(0);
    expect(ndjson(send.stdout)).toHaveLength(1);
    expect(send.stderr).toContain('encoding');
    const bulk = await dxProcess(['send-bulk', '--file', '-', '--codec', codec, '--input', '{}'], {
      env,
      stdin: '{"device":"0018B20000000B20"}\n',
    });
    expect(bulk.code).toBe(0);
    expect(ndjson(bulk.stdout).map((l) => l.outcome ?? 'summary')).toEqual(['queued', 'summary']);
  });
});

describe('a DX that echoes the request in its 200 answer', () => {
  const AS_KEY = '00112233445566778899AABBCCDDEEFF';
  const TOKEN = 'access-token-7c1d0e55';

  async function echoingDx() {
    const tokens = await serve((_req, res) =>
      json(res, 200, { access_token: TOKEN, token_type: 'bearer', expires_in: 3600 }),
    );
    const server = await serve((req, res, body) =>
      json(res, 200, {
        status: 'QUEUED',
        id: 'dl-echo',
        echo: { authorization: req.headers.authorization, body },
      }),
    );
    return {
      ...baseEnv(home.home),
      DX_BASE_URL: `${server.url}/core/latest/api`,
      DX_TOKEN_URL: tokens.url,
      DX_CLIENT_ID: 'tenant/ops',
      DX_CLIENT_SECRET: SECRET,
    };
  }

  it('send and send-bulk --json print neither the access token nor the AS key', async () => {
    const echoEnv = await echoingDx();
    const input = { asId: 'as-1', asKey: AS_KEY };
    const path = await file(
      'secured.jsonl',
      `${JSON.stringify({ device: '0018B20000000B20', payload: { hex: '01' }, fPort: 2, securityParams: input })}\n`,
    );
    const bulk = await dx(['send-bulk', '--file', path], { env: echoEnv });
    const send = await dx(
      ['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '01', '--json'],
      {
        env: { ...echoEnv, DX_TOKEN: TOKEN },
      },
    );
    for (const r of [bulk, send]) {
      expect(r.code).toBe(0);
      const all = r.stdout + r.stderr;
      expect(all).not.toContain(TOKEN);
      expect(all).not.toContain(AS_KEY);
      expect(all).not.toContain(SECRET);
      expect(ndjson(r.stdout)[0]).toMatchObject({ response: { status: 'QUEUED', id: 'dl-echo' } });
    }
  });
});

describe('send-bulk: one journal, one run at a time', () => {
  const devices = Array.from(
    { length: 30 },
    (_, n) => `0018B2000000${(0x100 + n).toString(16).toUpperCase().padStart(4, '0')}`,
  );
  const fleet = `${devices.map((device) => JSON.stringify({ device, payload: { hex: '01' }, fPort: 2 })).join('\n')}\n`;

  /** A slow run of the fleet on `journal`, resolved once it has queued a few. */
  async function slowRun(path: string, journal: string) {
    const child = spawn(
      process.execPath,
      [BIN, 'send-bulk', '--file', path, '--journal', journal, '--concurrency', '1'],
      { env },
    );
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    let stdout = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await new Promise<void>((started) =>
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.split('\n').length > 3) started();
      }),
    );
    return { child, exited, stdout: () => stdout };
  }

  it('a second run on a journal in use is refused (exit 2): no downlink is sent twice', async () => {
    mock.setLatency(100);
    const path = await file('locked.jsonl', fleet);
    const journal = join(home.home, 'locked.journal');
    const first = await slowRun(path, journal);
    const second = await dx(['send-bulk', '--file', path, '--journal', journal], { env });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/--journal .*in use by another dx send-bulk/);
    mock.setLatency(0);
    expect(await first.exited).toBe(0);
    expect(mock.downlinks.map((d) => d.device).sort()).toEqual([...devices].sort());
    // Released at the end: the next run resumes and skips everything.
    expect(existsSync(`${journal}.lock`)).toBe(false);
    const again = await dx(['send-bulk', '--file', path, '--journal', journal], { env });
    expect(again.code).toBe(0);
    expect(ndjson(again.stdout).at(-1)).toMatchObject({ summary: { skipped: 30, queued: 0 } });
  });

  it('a run paused past its lease (Ctrl-Z, a suspended VM) sends nothing more once resumed: no device twice', async () => {
    mock.setLatency(100);
    const path = await file('paused.jsonl', fleet);
    const journal = join(home.home, 'paused.journal');
    const first = await slowRun(path, journal);
    first.child.kill('SIGSTOP');
    onTestFinished(() => {
      first.child.kill('SIGCONT');
    });
    mock.setLatency(0);
    // The second run waits for the paused run's lease to expire, takes the journal over and
    // sends the rest; then the paused run wakes up.
    const second = await dx(['send-bulk', '--file', path, '--journal', journal], { env });
    expect(second.stderr).toMatch(/waiting \d s for its lock to expire/);
    first.child.kill('SIGCONT');
    await first.exited;
    const sent = mock.downlinks.map((d) => d.device);
    expect(sent.filter((device, n) => sent.indexOf(device) !== n)).toEqual([]);
    // The paused run, waking up, leaves the second run's lock alone: that run went to the end.
    const {
      skipped = 0,
      unknown = 0,
      queued = 0,
    } = ndjson(second.stdout).at(-1)?.summary as Record<string, number>;
    expect(skipped + unknown + queued).toBe(devices.length);
  });

  it('a run killed with SIGKILL does not lock its journal: the next run resumes it', async () => {
    mock.setLatency(100);
    const path = await file('killed.jsonl', fleet);
    const journal = join(home.home, 'killed.journal');
    const first = await slowRun(path, journal);
    first.child.kill('SIGKILL');
    await first.exited;
    // Its lease as it is once it has run out (the next run would wait the 5 s for it): the
    // lock folder left behind, last renewed a minute ago.
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(`${journal}.lock`, minuteAgo, minuteAgo);
    mock.setLatency(0);
    const sentBefore = mock.downlinks.length;
    const resumed = await dx(['send-bulk', '--file', path, '--journal', journal], { env });
    const {
      skipped = 0,
      unknown = 0,
      queued = 0,
    } = ndjson(resumed.stdout).at(-1)?.summary as Record<string, number>;
    const summary = { skipped, unknown, queued };
    // A send in flight when it was killed is "unknown" (exit 1), never sent again.
    expect(resumed.code).toBe(summary.unknown ? 1 : 0);
    expect(summary.skipped + summary.unknown + summary.queued).toBe(30);
    expect(summary.unknown).toBeLessThanOrEqual(1);
    // Every device sent once at most, and all but the unknown one sent.
    const sent = mock.downlinks.map((d) => d.device);
    expect(new Set(sent).size).toBe(sent.length);
    // Whether the unknown one reached DX depends on when the kill landed: not asserted.
    const unknownDevices = ndjson(resumed.stdout)
      .filter((l) => l.outcome === 'unknown')
      .map((l) => l.device);
    expect(unknownDevices).toHaveLength(summary.unknown);
    expect(devices.filter((d) => !sent.includes(d) && !unknownDevices.includes(d))).toEqual([]);
    expect(sentBefore).toBeGreaterThan(0);
  });
});

describe('send-bulk whose reader goes away (dx send-bulk ... | head -1)', () => {
  it('stops like Ctrl-C: no crash, in-flight sends finished and journaled, exit 130; a resume sends the rest once', async () => {
    mock.setLatency(100);
    const devices = Array.from(
      { length: 30 },
      (_, n) => `0018B2000000${(0x200 + n).toString(16).toUpperCase().padStart(4, '0')}`,
    );
    const fleet = devices
      .map((device) => JSON.stringify({ device, payload: { hex: '01' }, fPort: 2 }))
      .join('\n');
    const path = await file('piped.jsonl', `${fleet}\n`);
    const journal = join(home.home, 'piped.journal');
    const child = spawn(
      process.execPath,
      [BIN, 'send-bulk', '--file', path, '--journal', journal, '--concurrency', '2'],
      { env },
    );
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    // Read the first line, then close the pipe, as `head -1` does.
    await new Promise<void>((firstLine) => child.stdout.once('data', () => firstLine()));
    child.stdout.destroy();
    expect(await exited).toBe(130);
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(mock.downlinks.length).toBeLessThan(30);
    mock.setLatency(0);
    const rest = await dx(['send-bulk', '--file', path, '--journal', journal], { env });
    expect(rest.code).toBe(0);
    expect(ndjson(rest.stdout).at(-1)).toMatchObject({ summary: { unknown: 0, failed: 0 } });
    expect(mock.downlinks.map((d) => d.device).sort()).toEqual([...devices].sort());
  });
});

describe('dx config and a password inside a URL', () => {
  const WITH_PASSWORD = 'https://ops:url-pa55word-91b2@dx-api.example.com/core/latest/api';

  it('config set refuses --base-url/--token-url with user:pass@ (exit 2), never repeating it', async () => {
    for (const flag of ['--base-url', '--token-url']) {
      const r = await dx(['config', 'set', flag, WITH_PASSWORD], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${flag} must be an http(s) URL without user:pass@`);
      expect(r.stdout + r.stderr).not.toContain('url-pa55word-91b2');
    }
    const show = await dx(['config', 'show', '--json'], { env });
    expect(show.stdout).not.toContain('url-pa55word-91b2');
  });

  it('config show masks the password of a URL from the environment', async () => {
    for (const args of [
      ['config', 'show'],
      ['config', 'show', '--json'],
    ]) {
      const r = await dx(args, { env: { ...env, DX_BASE_URL: WITH_PASSWORD } });
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain('url-pa55word-91b2');
      expect(r.stdout).toContain('ops:(not shown)@dx-api.example.com');
    }
  });
});
