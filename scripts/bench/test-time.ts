/**
 * `pnpm bench:test-time [ref] [rounds]`: the wall time of `pnpm test` in this tree beside the
 * same command in a checkout of `ref` (default `9e4bdd4`, the suite as issue 23 measured it),
 * on this machine, both on a warm build. Rounds alternate the two suites so that a change in the
 * machine's load falls on both; each suite's median is reported with the tests it passed, and
 * the CPU time (user + system) of its whole process tree from /proc (Linux).
 *
 * The checkout of `ref` is a temporary git worktree, installed from its own lockfile and built
 * with `--force`: a turbo cache shared with this tree can restore an old `dist/` without the
 * files an old build wrote beside it (the mock's copied spec). It is removed at the end. The
 * PostgreSQL tests of this tree use `DX_TEST_POSTGRES_URL` when set, else start their own.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from './stats.js';

const HERE = resolve(import.meta.dirname, '../..');
const [ref = '9e4bdd4', roundsArg = '1'] = process.argv.slice(2);
const rounds = Number(roundsArg);
const ENV = {
  ...process.env,
  CI: '',
  FORCE_COLOR: '0',
  NO_COLOR: '1',
  TURBO_TELEMETRY_DISABLED: '1',
};

interface Sample {
  seconds: number;
  cpuSeconds: number;
  passed: number;
  failed: number;
}

/** User + system seconds of the processes that have ended under this one (the suite's tree). */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  // Fields 16 and 17 of stat (cutime, cstime), counted from field 3 after the command name.
  const ticks = Number(fields[13]) + Number(fields[14]);
  return ticks / 100;
}

function sh(cwd: string, command: string, args: string[]): void {
  execFileSync(command, args, { cwd, env: ENV, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Runs `pnpm test` in `cwd` to its end; its counts come from vitest's closing lines. */
function pnpmTest(cwd: string): Promise<Sample> {
  return new Promise((done, fail) => {
    const cpuBefore = childrenCpuSeconds();
    const started = performance.now();
    const child = spawn('pnpm', ['test'], { cwd, env: ENV, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', fail);
    child.on('close', () => {
      const tests = /^\s*Tests\s+(.*)$/m.exec(output)?.[1] ?? '';
      done({
        seconds: (performance.now() - started) / 1000,
        cpuSeconds: childrenCpuSeconds() - cpuBefore,
        passed: Number(/(\d+) passed/.exec(tests)?.[1] ?? 0),
        failed: Number(/(\d+) failed/.exec(tests)?.[1] ?? 0),
      });
    });
  });
}

const base = await mkdtemp(join(tmpdir(), 'dx-test-time-'));
const worktree = join(base, 'tree');
try {
  process.stdout.write(`checking out ${ref} into ${worktree} (install, build)\n`);
  sh(HERE, 'git', ['worktree', 'add', '--detach', worktree, ref]);
  sh(worktree, 'pnpm', ['install', '--frozen-lockfile', '--prefer-offline']);
  sh(worktree, 'pnpm', ['exec', 'turbo', 'run', 'build', '--force', '--output-logs=errors-only']);
  // Links the bins of the workspace packages, which exist only once they are built.
  sh(worktree, 'pnpm', ['install', '--frozen-lockfile', '--offline']);
  sh(HERE, 'pnpm', ['build', '--output-logs=errors-only']);

  const samples = new Map<string, Sample[]>([
    [ref, []],
    ['here', []],
  ]);
  for (let round = 1; round <= rounds; round++) {
    for (const [name, cwd] of [
      [ref, worktree],
      ['here', HERE],
    ] as const) {
      const sample = await pnpmTest(cwd);
      samples.get(name)?.push(sample);
      process.stdout.write(
        `round ${round} ${name}: ${sample.seconds.toFixed(1)} s wall, ${sample.cpuSeconds.toFixed(0)} s CPU, ${sample.passed} passed, ${sample.failed} failed\n`,
      );
    }
  }
  const wall = (name: string): number => median((samples.get(name) ?? []).map((s) => s.seconds));
  process.stdout.write(
    `\npnpm test, median of ${rounds}: ${ref} ${wall(ref).toFixed(1)} s, here ${wall('here').toFixed(1)} s ` +
      `(${(wall('here') / wall(ref)).toFixed(2)} x)\n`,
  );
} finally {
  execFileSync('git', ['worktree', 'remove', '--force', worktree], { cwd: HERE, stdio: 'ignore' });
  await rm(base, { recursive: true, force: true });
}
