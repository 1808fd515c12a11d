/**
 * `dx mock` with its output captured, as `eval "$(dx mock)"` runs it: the mock goes on in the
 * background and the command returns; `dx mock downlinks` shows what it received.
 */
import { execFile } from 'node:child_process';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDxMock } from '@dx/mock';
import { assertBuilt, baseEnv, BIN, dx, ndjson, tempHome } from './harness.js';

const exec = promisify(execFile);
let home: Awaited<ReturnType<typeof tempHome>>;
/** Background mocks a test started: ended after all, whatever the test did. */
const started: number[] = [];

beforeAll(async () => {
  assertBuilt();
  home = await tempHome();
  // `dx` on PATH, as an operator has it.
  const shim = join(home.home, 'bin', 'dx');
  await exec('mkdir', ['-p', join(home.home, 'bin')]);
  await writeFile(shim, `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  await chmod(shim, 0o755);
});
afterAll(async () => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // Already gone, as it should be.
    }
  }
  await home?.cleanup();
});

const env = () => ({
  ...baseEnv(home.home),
  PATH: `${join(home.home, 'bin')}:${process.env.PATH}`,
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

/** The variables of the printed `export NAME='value'` lines, as a shell would set them. */
async function evaluated(stdout: string): Promise<Record<string, string>> {
  const names = [...stdout.matchAll(/^export (\w+)=/gm)].map((m) => m[1]!);
  const script = `${stdout}\nnode -e 'console.log(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((n) => [n, process.env[n]]))))' ${names.join(' ')}`;
  const { stdout: json } = await exec('sh', ['-c', script], { env: env() });
  return JSON.parse(json) as Record<string, string>;
}

describe('dx mock in the background', () => {
  it('the done-when line of issue 25: eval "$(dx mock)", send, list, kill; exit 0 with the downlink printed', async () => {
    const line = `timeout 20 bash -c 'eval "$(dx mock)"; echo "pid=$DX_MOCK_PID"; dx send --device 0018B20000000B20 --hex 01 --fport 2 && dx mock downlinks --json; kill $DX_MOCK_PID'`;
    const { stdout, stderr } = await exec('bash', ['-c', line], { env: env(), timeout: 25_000 });
    const pid = Number(/^pid=(\d+)$/m.exec(stdout)?.[1]);
    started.push(pid);
    const listed = stdout
      .split('\n')
      .filter((l) => l.startsWith('{"id"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(listed).toEqual([
      expect.objectContaining({
        device: '0018B20000000B20',
        payloadHex: '01',
        fPort: 2,
        id: expect.stringMatching(/^dl-\d+$/),
        receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      }),
    ]);
    expect(stderr).toMatch(/running in the background \(pid \d+\), log in \S+mock\.log/);
    expect(await gone(pid)).toBe(true);
  });

  it('captured output: returns at once with DX_* plus DX_MOCK_PID and DX_MOCK_LOG; the mock serves until killed', async () => {
    const r = await dx(['mock'], { env: env() });
    expect(r.code).toBe(0);
    const vars = await evaluated(r.stdout);
    expect(Object.keys(vars)).toEqual([
      'DX_BASE_URL',
      'DX_TOKEN_URL',
      'DX_CLIENT_ID',
      'DX_CLIENT_SECRET',
      'DX_MOCK_PID',
      'DX_MOCK_LOG',
    ]);
    const pid = Number(vars.DX_MOCK_PID);
    started.push(pid);
    expect(alive(pid)).toBe(true);
    expect(r.stderr).toContain(vars.DX_MOCK_LOG);

    const sent = await dx(
      [
        'send',
        '--device',
        '0018B20000000B21',
        '--fport',
        '3',
        '--hex',
        '0A0B',
        '--confirm',
        '--json',
      ],
      { env: { ...env(), ...vars } },
    );
    expect(sent.code).toBe(0);
    const listed = await dx(['mock', 'downlinks'], { env: { ...env(), ...vars } });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^\d{4}-\d\d-\d\dT\S+Z {2}dl-1 {2}0018B20000000B21 {2}fPort 3 {2}0A0B {2}confirm\n$/,
    );
    // The request log went to the named file, not to the captured output.
    const log = await readFile(vars.DX_MOCK_LOG as string, 'utf8');
    expect(log).toMatch(/\[dx mock\] POST \S+downlinkMessages\S* -> 200/);

    process.kill(pid, 'SIGTERM');
    expect(await gone(pid)).toBe(true);
  });

  it('--json in the background: one JSON line with the pid and the log', async () => {
    const log = join(home.home, 'given.log');
    const r = await dx(['mock', '--json', '--quiet', '--log', log], { env: env() });
    expect(r.code).toBe(0);
    const [settings] = ndjson(r.stdout) as Record<string, string>[];
    started.push(Number(settings?.DX_MOCK_PID));
    expect(settings).toMatchObject({
      DX_MOCK_LOG: log,
      DX_MOCK_PID: expect.stringMatching(/^\d+$/),
    });
    process.kill(Number(settings?.DX_MOCK_PID), 'SIGTERM');
    expect(await gone(Number(settings?.DX_MOCK_PID))).toBe(true);
  });

  it('a mock that cannot start: exit 1 with the reason from its log, no variables printed', async () => {
    const busy = await startDxMock();
    try {
      const port = new URL(busy.url).port;
      const r = await dx(['mock', '--port', port], { env: env() });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /^dx: the mock did not start \(it exited \(\d+\)\): .*EADDRINUSE.*; its log: \S+mock\.log\n$/,
      );
    } finally {
      await busy.close();
    }
  });

  it('--background and --foreground together are a usage error; so is --log in the foreground', async () => {
    const both = await dx(['mock', '--background', '--foreground'], { env: env() });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/give one of them/);
    const log = await dx(['mock', '--foreground', '--log', 'x.log'], { env: env() });
    expect(log.code).toBe(2);
  });
});

describe('dx mock downlinks', () => {
  it('lists what a mock kept, says how many older ones it dropped, NDJSON with --json', async () => {
    const mock = await startDxMock({ maxRecords: 2 });
    try {
      const token = (await (
        await fetch(mock.tokenUrl, {
          method: 'POST',
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: mock.clientId,
            client_secret: mock.clientSecret,
          }),
        })
      ).json()) as { access_token: string };
      for (const hex of ['01', '02', '03']) {
        await fetch(`${mock.url}/devices/dev-${hex}/downlinkMessages?flushDownlinkQueue=true`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${token.access_token}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ payloadHex: hex, targetPorts: '2' }),
        });
      }
      const human = await dx(['mock', 'downlinks', '--base-url', mock.url], { env: env() });
      expect(human.code).toBe(0);
      expect(
        human.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('  ').slice(1)),
      ).toEqual([
        ['dl-2', 'dev-02', 'fPort 2', '02', 'flush'],
        ['dl-3', 'dev-03', 'fPort 2', '03', 'flush'],
      ]);
      expect(human.stderr).toMatch(/1 older downlink\(s\) not shown: the mock keeps the last 2/);
      const json = await dx(['mock', 'downlinks', '--json'], {
        env: { ...env(), DX_BASE_URL: mock.url },
      });
      expect(ndjson(json.stdout).map((d) => [d.id, d.device, d.payloadHex, d.flush])).toEqual([
        ['dl-2', 'dev-02', '02', true],
        ['dl-3', 'dev-03', '03', true],
      ]);
    } finally {
      await mock.close();
    }
  });

  it('no DX_BASE_URL, or one that is not a local mock: exit 2 saying so; nothing listening: exit 1', async () => {
    const none = await dx(['mock', 'downlinks'], { env: env() });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/set DX_BASE_URL \(eval "\$\(dx mock\)" does\) or give --base-url/);
    const remote = await dx(['mock', 'downlinks'], {
      env: { ...env(), DX_BASE_URL: 'https://dx-api.thingpark.com/core/latest/api' },
    });
    expect(remote.code).toBe(2);
    expect(remote.stderr).toMatch(/is not a local dx mock/);
    const closed = await startDxMock();
    const url = closed.url;
    await closed.close();
    const down = await dx(['mock', 'downlinks'], { env: { ...env(), DX_BASE_URL: url } });
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(
      /cannot read a mock at http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\); is one running\?/,
    );
  });
});
