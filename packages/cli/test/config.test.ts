import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { baseEnv, CLIENT_ID, dx, ndjson, SECRET, tempHome } from './harness.js';
import { startMock } from './mock.js';

let mock: Awaited<ReturnType<typeof startMock>>;
let home: Awaited<ReturnType<typeof tempHome>>;
let env: Record<string, string>;
let file: string;
const outputs: string[] = [];

async function run(
  args: string[],
  stdin?: string,
  extraEnv: Record<string, string | undefined> = {},
) {
  const result = await dx(args, { env: { ...env, ...extraEnv }, stdin });
  outputs.push(result.stdout, result.stderr);
  return result;
}

beforeAll(async () => {
  mock = await startMock();
  home = await tempHome();
  env = baseEnv(home.home);
  file = join(env.XDG_CONFIG_HOME as string, 'dx', 'config.json');
});

beforeEach(async () => {
  await writeFile(file, '{"profiles":{}}', { mode: 0o600 }).catch(() => undefined);
});

afterAll(async () => {
  expect(outputs.join('\n')).not.toContain(SECRET);
  await mock?.close();
  await home?.cleanup();
});

describe('dx config', () => {
  it('stores a profile with the secret from stdin in a 0600 file, and send uses it', async () => {
    const set = await run(
      [
        'config',
        'set',
        '--profile',
        'lab',
        '--base-url',
        mock.url,
        '--token-url',
        mock.tokenUrl,
        '--client-id',
        CLIENT_ID,
        '--secret-stdin',
      ],
      `${SECRET}\n`,
    );
    expect(set.code).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(env.XDG_CONFIG_HOME as string, 'dx'))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      profiles: {
        lab: {
          baseUrl: mock.url,
          tokenUrl: mock.tokenUrl,
          clientId: CLIENT_ID,
          clientSecret: SECRET,
        },
      },
    });
    const sent = await run([
      'send',
      '--profile',
      'lab',
      '--device',
      '0018B20000000B20',
      '--fport',
      '2',
      '--hex',
      '01',
      '--json',
    ]);
    expect(sent.code).toBe(0);
    expect(ndjson(sent.stdout)[0]).toMatchObject({ outcome: 'queued' });
    // DX_PROFILE selects it too; a flag still wins over the profile (a dead URL: exit 1).
    const viaEnv = await run(
      ['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '01'],
      undefined,
      { DX_PROFILE: 'lab' },
    );
    expect(viaEnv.code).toBe(0);
    const flagWins = await run([
      'send',
      '--profile',
      'lab',
      '--base-url',
      'http://127.0.0.1:9/core/latest/api',
      '--device',
      '0018B20000000B20',
      '--fport',
      '2',
      '--hex',
      '01',
    ]);
    expect(flagWins.code).toBe(1);
    expect(flagWins.stderr).toContain('127.0.0.1:9');
  });

  it('environment beats the profile: a wrong DX_CLIENT_SECRET overrides a good stored one (exit 4)', async () => {
    await run(
      [
        'config',
        'set',
        '--profile',
        'default',
        '--base-url',
        mock.url,
        '--token-url',
        mock.tokenUrl,
        '--client-id',
        CLIENT_ID,
        '--secret-stdin',
      ],
      SECRET,
    );
    const good = await run(['send', '--device', 'd1', '--fport', '2', '--hex', '01']);
    expect(good.code).toBe(0);
    const wrong = await run(['send', '--device', 'd1', '--fport', '2', '--hex', '01'], undefined, {
      DX_CLIENT_SECRET: 'not-it',
    });
    expect(wrong.code).toBe(4);
  });

  it('show masks the secret and says where each setting comes from', async () => {
    await run(
      [
        'config',
        'set',
        '--profile',
        'lab',
        '--base-url',
        mock.url,
        '--client-id',
        CLIENT_ID,
        '--secret-stdin',
      ],
      SECRET,
    );
    const shown = await run(['config', 'show', '--profile', 'lab', '--json'], undefined, {
      DX_CLIENT_ID: 'env/id',
    });
    expect(shown.code).toBe(0);
    const [json] = ndjson(shown.stdout);
    expect(json).toMatchObject({
      path: file,
      profiles: { lab: { baseUrl: mock.url, clientId: CLIENT_ID, clientSecret: '(set)' } },
      effective: {
        profile: 'lab',
        baseUrl: { value: mock.url, source: 'profile' },
        clientId: { value: 'env/id', source: 'env' },
        clientSecret: '(set, from profile)',
      },
    });
    const human = await run(['config', 'show']);
    expect(human.stdout).toMatch(/\[lab\]\n {2}baseUrl/);
    expect(human.stdout).toMatch(/clientSecret +\(set\)/);
  });

  it('refuses a config file others can read, with the chmod that fixes it (exit 4)', async () => {
    await run(
      ['config', 'set', '--profile', 'lab', '--client-id', CLIENT_ID, '--secret-stdin'],
      SECRET,
    );
    await chmod(file, 0o644);
    for (const args of [
      ['config', 'show'],
      ['send', '--profile', 'lab', '--device', 'd1', '--fport', '2', '--hex', '01'],
    ]) {
      const r = await run(args);
      expect(r.code, args.join(' ')).toBe(4);
      expect(r.stderr).toContain(`chmod 600 ${file}`);
    }
    await chmod(file, 0o600);
  });

  it('refuses a broken file without quoting it, and an unknown profile with the known ones', async () => {
    await mkdir(join(env.XDG_CONFIG_HOME as string, 'dx'), { recursive: true });
    await writeFile(file, `{"profiles": {"x": {"clientSecret": "${SECRET}"`, { mode: 0o600 });
    const broken = await run(['config', 'show']);
    expect(broken.code).toBe(4);
    expect(broken.stderr).toMatch(/not valid JSON/);
    await writeFile(file, '{"profiles":{"a":{},"b":{}}}', { mode: 0o600 });
    const unknown = await run([
      'send',
      '--profile',
      'zz',
      '--device',
      'd1',
      '--fport',
      '2',
      '--hex',
      '01',
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/profile "zz" not found .*known: a, b/);
  });

  it('usage errors: no subcommand, nothing to set, an empty secret, a secret flag', async () => {
    expect((await run(['config'])).code).toBe(2);
    expect((await run(['config', 'set'])).stderr).toMatch(/nothing to set/);
    expect((await run(['config', 'set', '--secret-stdin'], '\n')).stderr).toMatch(
      /secret is empty/,
    );
    const flag = await run(['config', 'set', '--client-secret', SECRET]);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toMatch(/--secret-stdin/);
  });

  it('path honours XDG_CONFIG_HOME and falls back to ~/.config', async () => {
    expect((await run(['config', 'path'])).stdout).toBe(`${file}\n`);
    const fallback = await run(['config', 'path'], undefined, { XDG_CONFIG_HOME: undefined });
    expect(fallback.stdout).toBe(`${join(home.home, '.config', 'dx', 'config.json')}\n`);
  });

  it('refuses profile names that are not plain words (__proto__, spaces)', async () => {
    for (const name of ['__proto__', 'a b', '']) {
      const r = await run(['config', 'set', '--profile', name, '--client-id', 'x']);
      expect(r.code, name).toBe(2);
      expect(r.stderr).toMatch(/--profile: 1\.\.64 letters/);
    }
  });

  it('delete removes a profile', async () => {
    await run(['config', 'set', '--profile', 'gone', '--client-id', 'x']);
    expect((await run(['config', 'delete', '--profile', 'gone'])).code).toBe(0);
    expect(JSON.parse(await readFile(file, 'utf8')).profiles.gone).toBeUndefined();
  });
});
