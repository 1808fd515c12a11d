/**
 * `pnpm test:e2e`: proves that the maintainer's path of the README (a new spec fragment, in a
 * copy of the tree) leaves every check green, and that the packages, released the way
 * changesets releases them, install and work for the kinds of consumers a team has: builds,
 * starts a local Verdaccio, versions and publishes a temp copy of the repo with changesets
 * (lib/release.ts), installs the packages with plain npm into three consumer projects and the
 * CLI on three Node lines, checks what a DX mock received, stops everything it started and
 * prints `N passed, N failed`. What each check proves, and the env knobs (E2E_KEEP_TEMP,
 * E2E_TIMEOUT_MS): scripts/e2e/README.md.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CLI_RUNTIMES, installCli, runCliOn } from './lib/cli-runtimes.js';
import { CONSUMERS } from './lib/consumers.js';
import { maintainerPath } from './lib/maintainer-path.js';
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
  buildCopy,
  copyRepo,
  installCopy,
  listPackages,
  publishCopy,
  versionCopy,
} from './lib/release.js';

const repoRoot = resolve(import.meta.dirname, '..', '..');
const started = performance.now();
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** Runs one step, printing the notes it returns and its time; rethrows its error after printing it. */
async function step(name: string, fn: () => Promise<string | string[] | void>): Promise<void> {
  const start = performance.now();
  console.log(`\n▶ ${name}`);
  try {
    for (const note of [(await fn()) ?? []].flat()) console.log(`  · ${note}`);
    console.log(`  ✔ ${name} (${seconds(performance.now() - start)})`);
  } catch (err) {
    const detail = String(err).split('\n').join('\n  ');
    console.log(`  ✘ ${name} (${seconds(performance.now() - start)})\n  ${detail}`);
    throw err;
  }
}

const MAINTAINER = 'maintainer-path (the README\'s "Adding a spec fragment" in a copy of the tree)';
const CHECKS = [
  MAINTAINER,
  ...[...CONSUMERS, ...CLI_RUNTIMES].map((c) => `${c.name} (${c.title})`),
];
const results = new Map<string, boolean>();

/** A checked step: its failure is recorded, and the run goes on with the next one. */
async function check(label: string, fn: () => Promise<string[]>): Promise<void> {
  if (interruptedBy()) return;
  const ok = await step(label, fn).then(
    () => true,
    () => false,
  );
  results.set(label, ok);
}

async function main(): Promise<number> {
  installSignalHandlers();
  const budget = Number(process.env['E2E_TIMEOUT_MS'] ?? 600_000);
  setTimeout(() => abortRun(`the run exceeded its ${budget} ms budget`, 124), budget).unref();
  let infraError: unknown;
  try {
    const work = await mkdtemp(join(tmpdir(), 'dx-e2e-'));
    removeAtCleanup(work);
    await check(MAINTAINER, () => maintainerPath(repoRoot, work));
    // The runner's own DX mock is the workspace's @dx/mock; turbo's cache makes this quick.
    const turbo = ['exec', 'turbo', 'run', 'build', '--output-logs=errors-only'];
    await step('build (turbo)', async () => {
      await run('pnpm', turbo, { cwd: repoRoot, timeoutMs: 300_000 });
    });
    const packages = await listPackages(repoRoot);
    let registry = '';
    await step(
      'start verdaccio',
      async () => (registry = await startVerdaccio(repoRoot, join(work, 'verdaccio'))),
    );
    const copy = join(work, 'repo');
    await step('copy repo + pnpm install in the copy', async () => {
      const files = await copyRepo(repoRoot, copy);
      return `${files} files copied; install ${await installCopy(copy)}`;
    });
    let versioned = packages;
    await step('changeset version', async () => {
      versioned = await versionCopy(copy, packages);
      return versioned.map((p) => `${p.name}@${p.version}`);
    });
    await step('pnpm build in the copy', () => buildCopy(copy));
    await step('changeset publish to verdaccio', () =>
      publishCopy(copy, versioned, registry, join(work, 'npm-cache')),
    );
    const versions = Object.fromEntries(versioned.map((p) => [p.name, p.version]));

    await mkdir(join(work, 'consumers'));
    for (const c of CONSUMERS)
      await check(`${c.name} (${c.title})`, () =>
        c.run(join(work, 'consumers', c.name), registry, versions),
      );
    const cliDir = join(work, 'cli');
    await step('install @dx/cli from the local registry', () =>
      installCli(cliDir, registry, versions['@dx/cli']!),
    );
    for (const r of CLI_RUNTIMES) await check(`${r.name} (${r.title})`, () => runCliOn(r, cliDir));
  } catch (err) {
    infraError = err;
  } finally {
    await runCleanups();
  }
  // A check that never ran (an earlier step failed) counts as failed.
  console.log('\nResults');
  for (const c of CHECKS)
    console.log(`  ${results.get(c) ? 'pass' : results.has(c) ? 'FAIL' : 'FAIL (not run)'}  ${c}`);
  const interrupted = interruptedBy();
  if (interrupted) infraError = interrupted.reason;
  if (infraError)
    console.log(
      `\nRun failed before or outside the consumers: ${String(infraError).split('\n')[0]}`,
    );
  const passed = CHECKS.filter((c) => results.get(c)).length;
  console.log(`\nTotal ${seconds(performance.now() - started)}`);
  console.log(`${passed} passed, ${CHECKS.length - passed} failed`);
  if (interrupted) return interrupted.code;
  return passed < CHECKS.length || infraError ? 1 : 0;
}

// Exit explicitly: a stray handle (a socket a consumer left open) must not keep the run alive.
process.exit(await main());
