import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tokenFor } from './support.js';

/** The command as `npx dx-mock` runs it: the bin shim over the build (needs `pnpm build`). */
const BIN = fileURLToPath(new URL('../bin/dx-mock.js', import.meta.url));

function runBin(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => stdout.includes('Ctrl-C') && resolve(stdout));
    void exited.then(() => reject(new Error(`exited: ${stderr}`)));
  });
  // Awaited only by the tests that expect the mock to come up.
  ready.catch(() => undefined);
  return { child, exited, ready, output: () => ({ stdout, stderr }) };
}

describe('the dx-mock command', () => {
  it('prints where it listens and the credentials, serves them, and stops on SIGINT', async () => {
    const run = runBin(['--client-id', 'team/ci', '--client-secret', 'ci-secret']);
    const text = await run.ready;
    const field = (name: string) => new RegExp(`${name}:\\s+(\\S+)`).exec(text)?.[1] ?? '';
    expect(field('url')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/core\/latest\/api$/);
    expect(field('clientId')).toBe('team/ci');
    expect(field('clientSecret')).toBe('ci-secret');
    const token = await tokenFor({
      tokenUrl: field('tokenUrl'),
      clientId: field('clientId'),
      clientSecret: field('clientSecret'),
    });
    expect(token).not.toBe('');
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(0);
    expect(run.output().stdout).toContain('POST /admin/latest/api/oauth/token -> 200');
  });

  it('refuses a bad port with exit code 2 and says why', async () => {
    const run = runBin(['--port', '99999']);
    expect(await run.exited).toBe(2);
    expect(run.output().stderr).toContain('options.port must be an integer from 0 to 65535');
  });
});
