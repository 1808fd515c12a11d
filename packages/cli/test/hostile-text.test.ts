/**
 * Text the operator did not write (a device column, a server's answer, a codec's warning) must
 * not break a human output line or drive the terminal: every run here is checked for raw
 * control characters, and for the number of lines it printed.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, useTestServers } from '../../../scripts/test-support/http-server.js';
import { baseEnv, dx, ndjson, tempHome } from './harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
const serve = useTestServers();

beforeAll(async () => {
  home = await tempHome();
});
afterAll(() => home?.cleanup());

/** ESC, CR, LF, a C1 CSI and a right-to-left override: each can forge or hide output. */
const FORGED = 'x\u001b[2J\r\nqueued 0018B20000000B20 FPort 2\u009b\u202e';
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202e]/;

/** A DX that queues everything and answers with the forged text in its fields. */
async function forgingDx() {
  const tokens = await serve((_req, res) =>
    json(res, 200, { access_token: 'tok', expires_in: 60 }),
  );
  const dx = await serve((_req, res) => json(res, 200, { status: `QUEUED${FORGED}`, id: FORGED }));
  return {
    ...baseEnv(home.home),
    DX_BASE_URL: `${dx.url}/core/latest/api`,
    DX_TOKEN_URL: tokens.url,
    DX_CLIENT_ID: 'tenant/ops',
    DX_CLIENT_SECRET: 'client-secret',
  };
}

describe('human output under hostile text', () => {
  it('a device argument with control characters: one line, escaped, nothing sent', async () => {
    const env = await forgingDx();
    const r = await dx(['send', '--device', FORGED, '--fport', '2', '--hex', '01'], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
    expect(r.stderr).toContain('x\\u001b[2J\\u000d\\u000aqueued');
  });

  it("a server's id and status: one queued line with the text escaped", async () => {
    const env = await forgingDx();
    const r = await dx(['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '01'], {
      env,
    });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stdout.split('\n')).toHaveLength(2);
    expect(r.stdout).toMatch(/^queued 0018B20000000B20 FPort 2 payload 01 id x\\u001b\[2J/);
    // --json carries the server's text unchanged, escaped by JSON itself.
    const j = await dx(
      ['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '01', '--json'],
      { env },
    );
    expect(j.stdout).not.toMatch(RAW_CONTROL);
    expect(ndjson(j.stdout)[0]).toMatchObject({ response: { id: FORGED } });
  });

  it('send-bulk NDJSON: C1 controls and direction overrides escaped too, the JSON intact', async () => {
    const env = await forgingDx();
    const file = join(home.home, 'forged.jsonl');
    await writeFile(
      file,
      `${JSON.stringify({ device: FORGED, fPort: 2, payload: { hex: '01' } })}\n` +
        `${JSON.stringify({ device: '0018B20000000B20', fPort: 2, payload: { hex: '01' } })}\n`,
    );
    const r = await dx(['send-bulk', '--file', file], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    const [invalid, queued] = ndjson(r.stdout);
    expect(invalid).toMatchObject({ line: 1, device: FORGED, outcome: 'invalid' });
    expect(queued).toMatchObject({ line: 2, outcome: 'queued', response: { id: FORGED } });
  });
});

describe('a command line in another encoding', () => {
  it('--text with bytes that are not UTF-8 is refused (exit 2), not sent as U+FFFD', async () => {
    // Node decodes argv as UTF-8: the Latin-1 bytes of "°C" arrive as U+FFFD then "C".
    const latin1 = Buffer.from([0xb0, 0x43]).toString('latin1');
    const asNodeSeesIt = Buffer.from(latin1, 'latin1').toString('utf8');
    const env = await forgingDx();
    const r = await dx(
      ['send', '--device', '0018B20000000B20', '--fport', '2', '--text', asNodeSeesIt],
      { env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^dx: --text: character 1 is U\+FFFD, which stands for bytes that were not UTF-8/,
    );
    const plain = await dx(['encode', '--text', '°C', '--json'], { env: baseEnv(home.home) });
    expect(ndjson(plain.stdout)[0]).toMatchObject({ hex: 'C2B043' });
  });
});

describe('input files as editors write them', () => {
  it('a JSONL file with a byte order mark and CRLF line ends reads from its first line', async () => {
    const file = join(home.home, 'bom.jsonl');
    const line = (device: string) => JSON.stringify({ device, fPort: 2, payload: { hex: '01' } });
    await writeFile(file, `\uFEFF${line('0018B20000000B20')}\r\n${line('ref-2')}\r\n`);
    const r = await dx(['send-bulk', '--file', file, '--dry-run', '--json'], {
      env: baseEnv(home.home),
    });
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout).slice(0, 2)).toMatchObject([
      { line: 1, outcome: 'valid', device: '0018B20000000B20' },
      { line: 2, outcome: 'valid', device: 'ref-2' },
    ]);
  });
});
