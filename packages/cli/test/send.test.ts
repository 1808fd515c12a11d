import { describe, expect, it } from 'vitest';
import { dx, ndjson, SECRET } from './harness.js';
import { mockedDx } from './mock.js';

const { mock, home, env, outputs } = await mockedDx();

async function run(args: string[], extraEnv: Record<string, string | undefined> = {}) {
  const result = await dx(args, { env: { ...env, ...extraEnv } });
  outputs.push(result.stdout, result.stderr);
  return result;
}

describe('dx send', () => {
  it('queues a downlink and prints one JSON line with --json', async () => {
    const before = mock.downlinks.length;
    const r = await run([
      'send',
      '--device',
      '00-18-b2-00-00-00-0b-20',
      '--fport',
      '2',
      '--hex',
      '01 0a',
      '--confirm',
      '--json',
    ]);
    expect(r.code).toBe(0);
    const [line, ...rest] = ndjson(r.stdout);
    expect(rest).toEqual([]);
    expect(line).toMatchObject({
      device: '0018B20000000B20',
      outcome: 'queued',
      response: { status: 'QUEUED' },
    });
    const sent = mock.downlinks.slice(before);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      device: '0018B20000000B20',
      payloadHex: '010A',
      fPort: 2,
      confirm: true,
      flush: false,
    });
    expect((line?.response as { id?: string }).id).toBe(sent[0]?.id);
  });

  it('prints a human line on a non-JSON run', async () => {
    const r = await run(['send', '--device', '0018B20000000B20', '--fport', '3', '--text', 'on']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^queued 0018B20000000B20 FPort 3 payload 6F6E id \S+ \(QUEUED\)\n$/);
    expect(r.stdout).not.toContain('\u001b[');
  });

  it('encodes Cayenne LPP and refuses what does not fit the data rate, sending nothing', async () => {
    const before = mock.downlinks.length;
    const lpp = JSON.stringify([{ channel: 3, type: 'temperature', value: 27.2 }]);
    const ok = await run([
      'send',
      '--device',
      '0018B20000000B20',
      '--fport',
      '2',
      '--lpp',
      lpp,
      '--region',
      'EU868',
      '--data-rate',
      '0',
    ]);
    expect(ok.code).toBe(0);
    expect(mock.downlinks.at(-1)).toMatchObject({ payloadHex: '03670110', fPort: 2 });
    const tooBig = await run([
      'send',
      '--device',
      '0018B20000000B20',
      '--fport',
      '2',
      '--hex',
      '00'.repeat(52),
      '--region',
      'EU868',
      '--data-rate',
      '0',
      '--json',
    ]);
    expect(tooBig.code).toBe(1);
    expect(ndjson(tooBig.stdout)[0]).toMatchObject({
      outcome: 'invalid',
      error: { code: 'PAYLOAD_TOO_LARGE', field: 'payload' },
    });
    expect(mock.downlinks.length).toBe(before + 1);
  });

  it.each([
    [['--hex', '0g'], 'INVALID_HEX'],
    [['--hex', '01', '--fport', '0'], 'INVALID_FPORT'],
    [['--hex', '01', '--device', '00-18-b2-00-00-00-0b-2'], 'INVALID_DEVEUI'],
    [['--hex', '01', '--device', 'a/b'], 'INVALID_DEVICE'],
  ])(
    "invalid input %j: exit 1, outcome invalid with the helpers' code, nothing sent",
    async (extra, code) => {
      const before = mock.requests.length;
      const args = ['send', '--device', '0018B20000000B20', '--fport', '2', '--json', ...extra];
      const r = await run(args);
      expect(r.code).toBe(1);
      expect(ndjson(r.stdout)[0]).toMatchObject({ outcome: 'invalid', error: { code } });
      expect(mock.requests.length).toBe(before);
    },
  );

  it('--dry-run prints the DX request and the checks and sends nothing', async () => {
    const before = mock.requests.length;
    const r = await run([
      'send',
      '--device',
      '0018b20000000b20',
      '--fport',
      '2',
      '--hex',
      '0101',
      '--flush',
      '--region',
      'EU868',
      '--data-rate',
      '5',
      '--dry-run',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(ndjson(r.stdout)[0]).toMatchObject({
      outcome: 'valid',
      dryRun: true,
      request: {
        path: '/devices/0018B20000000B20/downlinkMessages',
        query: { flushDownlinkQueue: true },
        body: { payloadHex: '0101', targetPorts: '2' },
      },
      bytes: 2,
      limit: 242,
    });
    expect(mock.requests.length).toBe(before);
  });

  it.each([
    [['--device', 'd1', '--fport', '2'], /missing payload/],
    [
      ['--device', 'd1', '--fport', '2', '--hex', '01', '--text', 'a'],
      /one payload only: got --hex and --text/,
    ],
    [['--fport', '2', '--hex', '01'], /missing --device/],
    [['--device', 'd1', '--hex', '01'], /missing --fport/],
    [['--device', 'd1', '--fport', '2', '--hex', '01', '--colour'], /unknown flag --colour/],
    [['--device', 'd1', '--fport', '2', '--hex'], /--hex needs a value/],
    [['--device', 'd1', '--fport', '2', '--lpp', '[{'], /--lpp: not valid JSON/],
  ])('usage error %j: exit 2 with the message and the usage line', async (extra, message) => {
    const r = await run(['send', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('Usage: dx send --device');
  });

  it.each(['--client-secret', '--secret', '--token', '--password', '--as-key'])(
    'refuses %s as a flag, explains the environment variable, never echoes the value',
    async (flag) => {
      const r = await run([
        'send',
        '--device',
        'd1',
        '--fport',
        '2',
        '--hex',
        '01',
        `${flag}=${SECRET}`,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/secrets are never taken as flags/);
      expect(r.stderr).toMatch(flag === '--token' ? /DX_TOKEN/ : /DX_CLIENT_SECRET/);
      const separate = await run([
        'send',
        '--device',
        'd1',
        '--fport',
        '2',
        '--hex',
        '01',
        flag,
        SECRET,
      ]);
      expect(separate.code).toBe(2);
    },
  );

  it('exit 4 without credentials, naming what is missing', async () => {
    const r = await run(['send', '--device', 'd1', '--fport', '2', '--hex', '01'], {
      DX_CLIENT_SECRET: undefined,
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /no credentials: missing a client secret \(DX_CLIENT_SECRET or a profile\)/,
    );
  });

  it('exit 4 when DX refuses the credentials', async () => {
    const r = await run(['send', '--device', 'd1', '--fport', '2', '--hex', '01', '--json'], {
      DX_CLIENT_SECRET: `${SECRET}-wrong`,
    });
    expect(r.code).toBe(4);
    expect(ndjson(r.stdout)[0]).toMatchObject({
      outcome: 'not-sent',
      error: { name: 'AuthError' },
    });
    expect(`${r.stdout}${r.stderr}`).not.toContain('-wrong');
  });

  it('says on stderr what it waits for when DX answers 429 with Retry-After', async () => {
    mock.failNext(1, 'too-many-requests', { retryAfterSeconds: 2 });
    const r = await run(['send', '--device', 'd1', '--fport', '2', '--hex', '01', '--json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('waiting: DX throttling (429), retry in 2 s');
    expect(ndjson(r.stdout)[0]).toMatchObject({ outcome: 'queued' });
  });

  it('a quota-sized Retry-After (a day) is not waited out: not-sent, exit 5, said why', async () => {
    mock.failNext(1, 'too-many-requests', { retryAfterSeconds: 86_400 });
    const r = await run(['send', '--device', 'd1', '--fport', '2', '--hex', '01', '--json']);
    expect(r.code).toBe(5);
    expect(ndjson(r.stdout)[0]).toMatchObject({ outcome: 'not-sent' });
    expect(r.stderr).toMatch(/DX asks to wait longer than the client allows/);
  });

  it('exit 1 when DX cannot be reached', async () => {
    const r = await run(['send', '--device', 'd1', '--fport', '2', '--hex', '01', '--json'], {
      DX_TOKEN: 'tok',
      DX_BASE_URL: 'http://127.0.0.1:9/core/latest/api',
    });
    expect(r.code).toBe(1);
    const [line] = ndjson(r.stdout);
    expect(line).toMatchObject({ device: 'd1', error: { name: 'NetworkError' } });
    expect(['failed', 'unknown']).toContain(line?.outcome);
  });
});
