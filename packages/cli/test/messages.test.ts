/**
 * What `dx` tells an operator to do must work when done: suggested commands survive being
 * pasted into a shell, a journal that cannot be written stops the run before it sends, and a
 * bad `DX_TOKEN` is named as such.
 */
import { execFile } from 'node:child_process';
import { chmod, mkdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { assertBuilt, dx, SECRET } from './harness.js';
import { mockedDx } from './mock.js';

const sh = promisify(execFile);

assertBuilt();
const { mock, home, env, outputs } = await mockedDx();

async function run(args: string[], extra: Record<string, string | undefined> = {}) {
  const result = await dx(args, { env: { ...env, ...extra }, cwd: home.home });
  outputs.push(result.stdout, result.stderr);
  return result;
}

/** The command after "with: " in a message, as the operator would paste it. */
function suggested(stderr: string): string {
  const command = /with: (.*?)\s*$/m.exec(stderr)?.[1];
  if (command === undefined) throw new Error(`no suggested command in: ${stderr}`);
  return command;
}

/**
 * The words a shell makes of a command line, without running it: a POSIX `sh`, or bash for
 * the `$'...'` quoting of control characters (bash, zsh and ksh have it; dash does not).
 */
async function shellWords(command: string, shell = '/bin/sh'): Promise<string[]> {
  const { stdout } = await sh(shell, ['-c', `printf '%s\\0' ${command}`]);
  return stdout.split('\0').slice(0, -1);
}

describe('suggested commands are quoted for the shell', () => {
  it('chmod 600 of a config file in a folder with a space: pasted, it fixes the file', async () => {
    const configHome = join(home.home, 'my configs');
    const file = join(configHome, 'dx', 'config.json');
    await mkdir(join(configHome, 'dx'), { recursive: true });
    await writeFile(file, '{"profiles":{}}', { mode: 0o644 });
    await chmod(file, 0o644);
    const r = await run(['config', 'show'], { XDG_CONFIG_HOME: configHome });
    expect(r.code).toBe(4);
    const command = suggested(r.stderr);
    expect(await shellWords(command)).toEqual(['chmod', '600', file]);
    await sh('/bin/sh', ['-c', command]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('dx config set --profile for a profile name the shell would split or run', async () => {
    const cases: [string, string?][] = [
      ['prod;id'],
      ["it's mine"],
      ['a b'],
      ['$(id)'],
      ['tab\there', 'bash'],
    ];
    for (const [profile, shell] of cases) {
      const r = await run(['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '01'], {
        DX_PROFILE: profile,
      });
      expect(r.code).toBe(2);
      const words = await shellWords(suggested(r.stderr).replace(/ \.\.\.$/, ''), shell);
      expect(words).toEqual(['dx', 'config', 'set', '--profile', profile]);
    }
  });
});

/**
 * Makes a file or folder one this process cannot write, and returns what undoes it. Modes
 * stop any user but root; root is stopped by the immutable attribute (`chattr +i`), which the
 * kernel enforces for everyone, as it would a read-only file system.
 */
async function readOnly(path: string): Promise<() => Promise<void>> {
  const folder = (await stat(path)).isDirectory();
  if (process.getuid?.() !== 0) {
    await chmod(path, folder ? 0o555 : 0o444);
    return () => chmod(path, folder ? 0o755 : 0o644);
  }
  await sh('chattr', ['+i', path]);
  return async () => {
    await sh('chattr', ['-i', path]);
  };
}

/** A path as a regular expression that matches it only. */
const literally = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const LINE = '{"device":"0018B20000000B20","payload":{"hex":"01"},"fPort":2}\n';

describe('a journal that cannot be written', () => {
  it('a read-only journal: exit 2 naming it before anything is sent, not EACCES after the summary', async () => {
    const folder = join(home.home, 'read-only-journal');
    await mkdir(folder, { recursive: true });
    const input = join(folder, 'fleet.jsonl');
    await writeFile(input, LINE);
    const journal = join(folder, 'fleet.journal');
    await writeFile(journal, '');
    const undo = await readOnly(journal);
    try {
      const r = await run(['send-bulk', '--file', input, '--journal', journal]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(`^dx: --journal ${literally(journal)}: cannot be written \\((EACCES|EPERM)\\)`),
      );
      expect(r.stdout).toBe('');
      expect(mock.requests).toHaveLength(0);
    } finally {
      await undo();
    }
  });

  it('a writable journal in a folder it cannot create its lock in: exit 2 before anything is sent', async () => {
    const folder = join(home.home, 'read-only-folder');
    await mkdir(folder, { recursive: true });
    const input = join(folder, 'fleet.jsonl');
    await writeFile(input, LINE);
    const journal = join(folder, 'fleet.journal');
    await writeFile(journal, '');
    const undo = await readOnly(folder);
    try {
      const r = await run(['send-bulk', '--file', input, '--journal', journal]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        new RegExp(
          `^dx: --journal ${literally(journal)}: cannot write in ${literally(folder)} \\((EACCES|EPERM)\\)`,
        ),
      );
      expect(mock.requests).toHaveLength(0);
    } finally {
      await undo();
    }
  });
});

describe('DX_TOKEN', () => {
  async function accessToken(): Promise<string> {
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: env.DX_CLIENT_ID as string,
      client_secret: SECRET,
    });
    const answer = await fetch(mock.tokenUrl, { method: 'POST', body: form });
    return ((await answer.json()) as { access_token: string }).access_token;
  }
  const send = ['send', '--device', '0018B20000000B20', '--fport', '2', '--hex', '01', '--json'];
  const tokenOnly = { DX_CLIENT_ID: undefined, DX_CLIENT_SECRET: undefined };

  it('a trailing newline (a token kept in a file) is removed: the send goes through', async () => {
    const token = await accessToken();
    for (const ending of ['\n', '\r\n']) {
      const r = await run(send, { ...tokenOnly, DX_TOKEN: `${token}${ending}` });
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    expect(mock.downlinks).toHaveLength(2);
  });

  it('any other character a header cannot hold: exit 4 naming DX_TOKEN and where, never the token', async () => {
    const token = await accessToken();
    mock.clearRecords();
    const cases: [string, RegExp][] = [
      [`${token}\n\n`, /character \d+ of \d+ is a line break/],
      [`Bearer ${token}`, /character 7 of \d+ is a space/],
      [
        `${token.slice(0, 5)}\u00e9${token.slice(5)}`,
        /character 6 of \d+ is a character that is not ASCII/,
      ],
      [`${token}\u0001`, /is a control character/],
    ];
    for (const [value, problem] of cases) {
      const r = await run(send, { ...tokenOnly, DX_TOKEN: value });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/^dx: DX_TOKEN: /);
      expect(r.stderr).toMatch(problem);
      expect(r.stderr).not.toContain(token.slice(0, 12));
    }
    expect(mock.requests).toHaveLength(0);
  });
});
