import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assertBuilt, baseEnv, BIN, dx, ndjson, tempHome } from './harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
/** `'value'` as a shell reads it. */
const unquote = (value: string) => value.replace(/^'(.*)'$/s, '$1').replaceAll(`'\\''`, "'");

beforeAll(async () => {
  assertBuilt();
  home = await tempHome();
});
afterAll(() => home?.cleanup());

/** Starts `dx mock` and waits for its first stdout lines. */
async function startDxMockCommand(args: string[], lines: number) {
  const child = spawn(process.execPath, [BIN, 'mock', ...args], { env: baseEnv(home.home) });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const read: string[] = [];
  for await (const line of createInterface({ input: child.stdout })) {
    read.push(line);
    if (read.length === lines) break;
  }
  return { child, read, stderr: () => stderr };
}

describe('dx mock', () => {
  it('prints DX_* variables that dx send works with, logs requests, stops on Ctrl-C (exit 0)', async () => {
    const { child, read, stderr } = await startDxMockCommand(['--foreground'], 6);
    const exports = Object.fromEntries(
      read
        .filter((l) => l.startsWith('export '))
        .map((l) => l.slice(7).split(/=(.*)/s, 2))
        .map(([name, value]) => [name, unquote(value ?? '')]),
    ) as Record<string, string>;
    expect(Object.keys(exports)).toEqual([
      'DX_BASE_URL',
      'DX_TOKEN_URL',
      'DX_CLIENT_ID',
      'DX_CLIENT_SECRET',
    ]);
    expect(exports.DX_BASE_URL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    const sent = await dx(
      ['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '0101', '--json'],
      {
        env: { ...baseEnv(home.home), ...exports },
      },
    );
    expect(sent.code).toBe(0);
    expect(ndjson(sent.stdout)[0]).toMatchObject({ outcome: 'queued' });
    // The log line is the child's: it may arrive a moment after the answer.
    await vi.waitFor(() =>
      expect(stderr()).toMatch(/\[dx mock\] POST \S*downlinkMessages\S* -> 200/),
    );
    child.kill('SIGINT');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
  });

  it('--json prints one line, and --rate-limit makes the mock answer 429 beyond it', async () => {
    const { child, read } = await startDxMockCommand(
      ['--foreground', '--json', '--quiet', '--rate-limit', '1'],
      1,
    );
    const settings = JSON.parse(read[0] as string) as Record<string, string>;
    expect(Object.keys(settings)).toEqual([
      'DX_BASE_URL',
      'DX_TOKEN_URL',
      'DX_CLIENT_ID',
      'DX_CLIENT_SECRET',
    ]);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: settings.DX_CLIENT_ID as string,
      client_secret: settings.DX_CLIENT_SECRET as string,
    });
    const token = (await (
      await fetch(settings.DX_TOKEN_URL as string, { method: 'POST', body: form })
    ).json()) as {
      access_token: string;
    };
    const post = () =>
      fetch(`${settings.DX_BASE_URL}/devices/0018B20000000B20/downlinkMessages`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token.access_token}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ payloadHex: '01', targetPorts: '2' }),
      }).then((r) => r.status);
    const statuses = await Promise.all([1, 2, 3, 4, 5].map(post));
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
    child.kill('SIGTERM');
    await once(child, 'exit');
  });

  it('a bad flag is a usage error', async () => {
    const r = await dx(['mock', '--port', 'x'], { env: baseEnv(home.home) });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--port must be a whole number 0\.\.65535/);
  });
});
