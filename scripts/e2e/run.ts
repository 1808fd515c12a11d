/**
 * `pnpm test:e2e`: proves that the packages, released the way changesets releases them, install
 * and work for the kinds of consumers a team has.
 *
 *  0. Builds the packages (turbo; cached when dist is fresh).
 *
 *  1. Starts Verdaccio on 127.0.0.1 (free port, temp storage, no uplinks): lib/registry.ts.
 *  2. Copies the repo (git's file list + each package's built dist) to a temp dir, adds a patch
 *     changeset for every public package, runs `pnpm changeset version`, rebuilds only if dist
 *     embeds the version, and `pnpm changeset publish`es to the local registry: lib/release.ts.
 *  3. Fresh consumer projects from scripts/e2e/consumers/<name>/ install the libraries with plain
 *     `npm install` (the @dx scope mapped to the local registry, the lockfile must show it):
 *     Node ESM JS (with its own @dx/mock), Node CJS JS, strict TS node16 (tsc incl.
 *     @ts-expect-error misuse, then node), TS bundler + esbuild in headless Chromium (Debian's
 *     /usr/bin/chromium). Each sends a Cayenne LPP downlink with `sendDownlink` to a DX mock and
 *     the runner checks what the mock recorded (lib/consumers.ts, lib/expect.ts).
 *  4. Installs @dx/cli the same way and runs `npx dx mock`, `dx send`, `dx send-bulk` and a usage
 *     error on this machine's Node and on Node 22 and 24 (lib/cli-runtimes.ts).
 *  5. Stops every server and browser it started and removes its temp dirs, also on a failure and
 *     on SIGINT/SIGTERM; prints a result table and `N passed, N failed`; exits non-zero on any
 *     failure.
 *
 * Env: E2E_KEEP_TEMP=1 keeps the temp dirs; E2E_REBUILD=1 forces the rebuild after versioning;
 * E2E_TIMEOUT_MS bounds the whole run (default 600000).
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_RUNTIMES, installCli, runCliOn } from './lib/cli-runtimes.js';
import { CONSUMERS } from './lib/consumers.js';
import {
  abortRun,
  installSignalHandlers,
  interruptedBy,
  removeAtCleanup,
  run,
  runCleanups,
} from './lib/proc.js';
import { startVerdaccio } from './lib/registry.js';
import {
  copyRepo,
  installCopy,
  listPackages,
  publishCopy,
  rebuildIfNeeded,
  versionCopy,
} from './lib/release.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const started = performance.now();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Runs one step, printing its notes and time; rethrows its error after printing it. */
async function step<T>(
  name: string,
  fn: () => Promise<T>,
  notes: (value: T) => string[] = () => [],
): Promise<T> {
  const start = performance.now();
  console.log(`\n▶ ${name}`);
  try {
    const value = await fn();
    for (const n of notes(value)) console.log(`  · ${n}`);
    console.log(`  ✔ ${name} (${seconds(performance.now() - start)})`);
    return value;
  } catch (err) {
    console.log(
      `  ✘ ${name} (${seconds(performance.now() - start)})\n  ${String(err).split('\n').join('\n  ')}`,
    );
    throw err;
  }
}

const CHECKS = [...CONSUMERS, ...CLI_RUNTIMES].map((c) => `${c.name} (${c.title})`);

async function main(): Promise<number> {
  installSignalHandlers();
  const budget = Number(process.env['E2E_TIMEOUT_MS'] ?? 600_000);
  setTimeout(() => abortRun(`the run exceeded its ${budget} ms budget`, 124), budget).unref();
  const results = new Map<string, boolean>();
  let infraError: unknown;
  try {
    const work = await mkdtemp(join(tmpdir(), 'dx-e2e-'));
    removeAtCleanup(work);
    // turbo's cache makes this quick when dist is fresh; what is published is what was built.
    await step('build (turbo)', () =>
      run('pnpm', ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'], {
        cwd: repoRoot,
        timeoutMs: 300_000,
      }),
    );
    const packages = await listPackages(repoRoot);
    const registry = await step(
      'start verdaccio',
      () => startVerdaccio(repoRoot, join(work, 'verdaccio')),
      (url) => [url],
    );
    const copy = join(work, 'repo');
    await step(
      'copy repo + pnpm install in the copy',
      async () => [
        `${await copyRepo(repoRoot, copy, packages)} files + dist copied; install ${await installCopy(copy)}`,
      ],
      (n) => n,
    );
    const versioned = await step(
      'changeset version',
      () => versionCopy(copy, packages),
      (v) => v.map((p) => `${p.name}@${p.version}`),
    );
    await step(
      'rebuild if needed',
      async () => [await rebuildIfNeeded(copy, packages)],
      (n) => n,
    );
    await step('changeset publish to verdaccio', () =>
      publishCopy(copy, versioned, registry, join(work, 'npm-cache')),
    );
    const versions = Object.fromEntries(versioned.map((p) => [p.name, p.version]));

    await mkdir(join(work, 'consumers'));
    for (const c of CONSUMERS) {
      if (interruptedBy()) break;
      const label = `${c.name} (${c.title})`;
      const ok = await step(
        `consumer ${label}`,
        () => c.run(join(work, 'consumers', c.name), registry, versions),
        (n) => n,
      ).then(
        () => true,
        () => false,
      );
      results.set(label, ok);
    }
    const cliDir = join(work, 'cli');
    await step(
      'install @dx/cli from the local registry',
      () => installCli(cliDir, registry, versions['@dx/cli']!),
      (n) => [n],
    );
    for (const r of CLI_RUNTIMES) {
      if (interruptedBy()) break;
      const label = `${r.name} (${r.title})`;
      results.set(
        label,
        await step(
          `consumer ${label}`,
          () => runCliOn(r, cliDir),
          (n) => n,
        ).then(
          () => true,
          () => false,
        ),
      );
    }
  } catch (err) {
    infraError = err;
  } finally {
    await runCleanups();
  }
  // A consumer that never ran (an earlier step failed) counts as failed.
  console.log('\nConsumer results');
  for (const c of CHECKS)
    console.log(`  ${results.get(c) ? 'pass' : results.has(c) ? 'FAIL' : 'FAIL (not run)'}  ${c}`);
  const interrupted = interruptedBy();
  if (interrupted) infraError = interrupted.reason;
  if (infraError)
    console.log(
      `\nRun failed before or outside the consumers: ${String(infraError).split('\n')[0]}`,
    );
  const passed = CHECKS.filter((c) => results.get(c)).length;
  console.log(
    `\nTotal ${seconds(performance.now() - started)}\n${passed} passed, ${CHECKS.length - passed} failed`,
  );
  if (interrupted) return interrupted.code;
  return passed < CHECKS.length || infraError ? 1 : 0;
}

// Exit explicitly: a stray handle (a socket a consumer left open) must not keep the run alive.
process.exit(await main());
