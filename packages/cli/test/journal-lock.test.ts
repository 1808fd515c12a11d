import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../src/exit-codes.js';
import { lockJournal } from '../src/bulk/journal-lock.js';

const work = mkdtempSync(join(tmpdir(), 'dx-lock-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A process id that runs no process: past Linux's largest (4,194,304). */
const DEAD_PID = 4_194_305;

/**
 * lock-contender.ts bundled once into plain JavaScript: started 48 times, `node` alone is far
 * cheaper than `node --import tsx` compiling it each time.
 */
let bundled: Promise<string> | undefined;
function contenderScript(): Promise<string> {
  const outfile = join(work, 'lock-contender.mjs');
  bundled ??= build({
    entryPoints: [join(import.meta.dirname, 'lock-contender.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'silent',
  }).then(() => outfile);
  return bundled;
}

/** Starts `count` contenders, lets them all try at once, and returns what each said. */
async function contend(journal: string, count: number): Promise<string[]> {
  const contender = await contenderScript();
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, [contender, journal]),
  );
  const closed = children.map((child) => new Promise((done) => child.on('close', done)));
  // Each child's lines in order: `ready`, then its answer.
  const said = children.map((child) => {
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    return async () => String((await lines.next()).value);
  });
  // Everyone loaded and waiting, then everyone goes: the takeover is tried at the same moment.
  await Promise.all(said.map((next) => next()));
  for (const child of children) child.stdin.write('go\n');
  const answers = await Promise.all(said.map((next) => next()));
  for (const child of children) child.stdin.end();
  await Promise.all(closed);
  return answers;
}

describe('journal lock', () => {
  it('a dead run’s lock is taken over by exactly one of eight runs started at once, every time', async () => {
    for (let round = 0; round < 6; round++) {
      const journal = join(work, `race-${round}.journal`);
      writeFileSync(`${journal}.lock`, `${DEAD_PID}\n`);
      const answers = await contend(journal, 8);
      expect(
        answers.filter((a) => a === 'got'),
        `round ${round}: ${answers.join(' | ')}`,
      ).toHaveLength(1);
      expect(answers.filter((a) => a.startsWith('refused --journal'))).toHaveLength(7);
      expect(existsSync(`${journal}.lock.takeover`)).toBe(false);
    }
  }, 120_000);

  it('takes over a dead run’s lock, and leaves no guard behind', () => {
    const journal = join(work, 'stale.journal');
    writeFileSync(`${journal}.lock`, `${DEAD_PID}\n`);
    const release = lockJournal(journal, 'usage');
    expect(readFileSync(`${journal}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    expect(existsSync(`${journal}.lock.takeover`)).toBe(false);
    release();
    expect(existsSync(`${journal}.lock`)).toBe(false);
  });

  it('refuses while another run is taking a dead lock over, naming the guard to remove if none is', () => {
    const journal = join(work, 'guarded.journal');
    writeFileSync(`${journal}.lock`, `${DEAD_PID}\n`);
    writeFileSync(`${journal}.lock.takeover`, `${process.ppid}\n`);
    expect(() => lockJournal(journal, 'usage')).toThrow(UsageError);
    expect(() => lockJournal(journal, 'usage')).toThrow(
      `in use by another dx send-bulk (process ${process.ppid}); run one at a time (if no such run exists, remove ${journal}.lock.takeover)`,
    );
    // The dead lock is left as it was, for whoever holds the guard.
    expect(readFileSync(`${journal}.lock`, 'utf8')).toBe(`${DEAD_PID}\n`);
  });

  it('refuses a lock held by a running process', () => {
    const journal = join(work, 'held.journal');
    writeFileSync(`${journal}.lock`, `${process.ppid}\n`);
    expect(() => lockJournal(journal, 'usage')).toThrow(
      `in use by another dx send-bulk (process ${process.ppid})`,
    );
  });
});
