import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../src/exit-codes.js';
import { lockJournal, STALE_MS } from '../src/bulk/journal-lock.js';
import { bundleChild } from '../../../scripts/test-support/child-bundle.js';

const work = mkdtempSync(join(tmpdir(), 'dx-lock-'));
/** lock-contender.ts, started some sixty times: bundled once (scripts/test-support/child-bundle.ts). */
const bundled = bundleChild(join(import.meta.dirname, 'lock-contender.ts'));
const run = promisify(execFile);
const holders: ChildProcess[] = [];
afterEach(() => {
  for (const holder of holders.splice(0)) process.kill(-holder.pid!, 'SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Starts `count` contenders, lets them all try at once, and returns what each said. */
async function contend(journal: string, count: number): Promise<string[]> {
  const contender = await bundled;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [contender, journal]),
  );
  const closed = children.map((child) => new Promise((done) => child.on('close', done)));
  // Each child's lines in order: `ready`, then its answer.
  const said = children.map((child) => {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    return async () => String((await lines.next()).value);
  });
  // Everyone loaded and waiting, then everyone goes: the lock is tried at the same moment.
  await Promise.all(said.map((next) => next()));
  for (const child of children) child.stdin.write('go\n');
  const answers = await Promise.all(said.map((next) => next()));
  for (const child of children) child.stdin.end();
  await Promise.all(closed);
  return answers;
}

/**
 * A holder started by `command` (a shell line that runs the contender with LOCK_NOW=1 as
 * `$CONTENDER`); resolves once it holds the lock.
 */
async function holder(journal: string, command: string): Promise<{ pid: number }> {
  const contender = await bundled;
  const child = spawn('sh', ['-c', command], {
    env: {
      ...process.env,
      LOCK_NOW: '1',
      CONTENDER: `"${process.execPath}" "${contender}" "${journal}"`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
    // Its own process group, so that everything it started is killed with it.
    detached: true,
  });
  holders.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = String((await lines.next()).value);
  expect(first).toMatch(/^got \d+$/);
  return { pid: Number(first.slice('got '.length)) };
}

/** A lock left by a run that is gone: its lease last renewed a minute ago. */
function expiredLock(journal: string): void {
  writeFileSync(journal, '');
  mkdirSync(`${journal}.lock`);
  const minuteAgo = new Date(Date.now() - 60_000);
  utimesSync(`${journal}.lock`, minuteAgo, minuteAgo);
}

describe('journal lock', () => {
  // The rounds of a race run side by side, each on its journal: a round is mostly its losers
  // watching the winner's heartbeat for a second.
  const rounds = (count: number) => Array.from({ length: count }, (_, round) => round);

  it('one of eight runs started at once gets a free journal, every time', async () => {
    await Promise.all(
      rounds(3).map(async (round) => {
        const answers = await contend(join(work, `free-${round}.journal`), 8);
        expect(
          answers.filter((a) => a === 'got'),
          `round ${round}: ${answers.join(' | ')}`,
        ).toHaveLength(1);
      }),
    );
  }, 120_000);

  it('an expired lock is taken over by exactly one of eight runs started at once, every time', async () => {
    await Promise.all(
      rounds(4).map(async (round) => {
        const journal = join(work, `race-${round}.journal`);
        expiredLock(journal);
        const answers = await contend(journal, 8);
        expect(
          answers.filter((a) => a === 'got'),
          `round ${round}: ${answers.join(' | ')}`,
        ).toHaveLength(1);
        expect(answers.filter((a) => a.startsWith('refused --journal'))).toHaveLength(7);
        expect(existsSync(`${journal}.lock.takeover`)).toBe(false);
      }),
    );
  }, 120_000);

  it('takes an expired lock over and releases it', async () => {
    const journal = join(work, 'stale.journal');
    expiredLock(journal);
    const release = await lockJournal(journal, 'usage');
    expect(existsSync(`${journal}.lock`)).toBe(true);
    await release();
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('one lock per file: a symlink to a locked journal is refused', async () => {
    const journal = join(work, 'linked.journal');
    const link = join(work, 'other-name.journal');
    const release = await lockJournal(journal, 'usage');
    symlinkSync(journal, link);
    await expect(lockJournal(link, 'usage')).rejects.toThrow(
      `--journal ${link}: in use by another dx send-bulk; run one at a time`,
    );
    await release();
  });

  it('a journal with two hard links is refused before anything is locked', async () => {
    const journal = join(work, 'hard.journal');
    writeFileSync(journal, '');
    linkSync(journal, join(work, 'hard-too.journal'));
    const attempt = lockJournal(journal, 'usage');
    await expect(attempt).rejects.toThrow(UsageError);
    await expect(lockJournal(journal, 'usage')).rejects.toThrow(/has 2 names \(hard links\)/);
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('the find command it suggests for a hard-linked journal is quoted for the shell', async () => {
    mkdirSync(join(work, 'my journals'));
    const journal = join(work, 'my journals', "fleet's.journal");
    writeFileSync(journal, '');
    linkSync(journal, join(work, 'my journals', 'other.journal'));
    await expect(lockJournal(journal, 'usage')).rejects.toThrow(
      `find <folder> -samefile '${join(work, 'my journals', "fleet'\\''s.journal")}'`,
    );
  });

  it('a journal mounted on its own (docker -v file:file, a bind mount) is refused', async () => {
    const contender = await bundled;
    const source = join(work, 'host.journal');
    const mounted = join(work, 'mounted.journal');
    writeFileSync(source, '');
    writeFileSync(mounted, '');
    // In a mount namespace of its own, so the mount goes with the process. A contender that got
    // the lock would hold it until killed: the timeout fails the test then.
    const { stdout } = await run(
      'unshare',
      ['--mount', 'sh', '-c', 'mount --bind "$1" "$2" && exec "$3" "$4" "$2"', 'sh'].concat([
        source,
        mounted,
        process.execPath,
        contender,
      ]),
      { env: { ...process.env, LOCK_NOW: '1' }, timeout: 15_000 },
    );
    expect(stdout).toContain('refused --journal');
    expect(stdout).toContain('mounted on its own');
  });

  it('a live run in another PID namespace (a container sharing the volume) keeps its lock', async () => {
    const journal = join(work, 'namespaced.journal');
    // Its process id there is one that runs no process here.
    await holder(
      journal,
      'exec unshare --pid --fork --mount-proc sh -c "echo 32000 > /proc/sys/kernel/ns_last_pid; $CONTENDER"',
    );
    await expect(lockJournal(journal, 'usage')).rejects.toThrow('in use by another dx send-bulk');
  });

  it('a run killed with SIGKILL, left a zombie by its parent, frees the journal once its lease expires', async () => {
    const journal = join(work, 'zombie.journal');
    // `exec sleep` replaces the shell that started the contender: nobody reaps it when killed.
    const run = await holder(journal, 'eval "exec $CONTENDER" & exec sleep 60');
    process.kill(run.pid, 'SIGKILL');
    // A zombie: killed, never reaped, its process id still taken.
    const state = () =>
      /^\d+ \(.*\) (\w) /.exec(readFileSync(`/proc/${run.pid}/stat`, 'utf8'))?.[1];
    while (state() !== 'Z') await new Promise((resolve) => setTimeout(resolve, 20));
    // Most of its lease gone already (the test would wait the 5 s otherwise): what is left is
    // waited for, whatever the zombie's process id says.
    const lastRenewed = new Date(Date.now() - (STALE_MS - 800));
    utimesSync(`${journal}.lock`, lastRenewed, lastRenewed);
    const waits: string[] = [];
    const release = await lockJournal(journal, 'usage', { onWait: (m) => waits.push(m) });
    expect(waits).toEqual([expect.stringMatching(/stopped without releasing it; waiting \d s/)]);
    await release();
  }, 20_000);
});
