/**
 * The built `dx` as a process: the exit status and streams the shell sees. Everything else is
 * tested in-process through `main`; these prove `bin.ts` wires `main` to the process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { version } from '../package.json';
import { assertBuilt, baseEnv, dxProcess, tempHome } from './harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;

beforeAll(async () => {
  assertBuilt();
  home = await tempHome();
});
afterAll(() => home?.cleanup());

describe('dist/cli.js as a process', () => {
  it.each([
    ['--version', ['--version'], 0, `${version}\n`],
    ['a command help', ['send', '--help'], 0, /^Usage: dx send /],
    ['an invalid payload', ['encode', '--hex', 'zz'], 1, ''],
    ['an unknown command', ['nope'], 2, ''],
    [
      'no credentials',
      ['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '01'],
      4,
      '',
    ],
  ] as const)('%s: exit %i', async (_name, args, code, stdout) => {
    const r = await dxProcess(args, { env: baseEnv(home.home) });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(code);
    if (typeof stdout === 'string') expect(r.stdout).toBe(stdout);
    else expect(r.stdout).toMatch(stdout);
    if (code !== 0) expect(r.stderr).toMatch(/^dx: |^invalid: /);
  });
});
