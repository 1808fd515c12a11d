/**
 * The consumption half of the proof: fresh projects in temp dirs, made from the templates in
 * `scripts/e2e/consumers/<name>/`, install `@dx/core-client` and `@dx/downlink-helpers` (and
 * `@dx/mock` where the consumer runs its own mock) with plain `npm install`, the `@dx` scope
 * mapped to the local verdaccio; the lockfile must show every `@dx` package came from there.
 * `@dx/mock`'s third-party runtime dependency (ajv) comes from the machine's usual npm
 * registry, as it would for a team. Build tools (tsc, esbuild, @types/node, playwright-core)
 * are the monorepo's own: the proof is about the @dx packages, not about those tools.
 */
import { readFileSync } from 'node:fs';
import { cp, mkdir, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { startDxMock, type DxMock, type DxRequestRecord } from '@dx/mock';
import { runPage, serveStatic, ensureChromium } from './browser.js';
import { checkArrivals, describeArrivals, CLIENT_ID, CLIENT_SECRET, DEVICE } from './expect.js';
import { onCleanup } from './lifecycle.js';
import { childEnv, run } from './proc.js';

const require = createRequire(import.meta.url);
const TSC = join(dirname(require.resolve('typescript/package.json')), 'bin', 'tsc');
const TYPES_NODE = dirname(require.resolve('@types/node/package.json'));

export interface ConsumerContext {
  templates: string;
  workDir: string;
  registryUrl: string;
  /** Published version of each @dx package (release.ts PACKAGES). */
  versions: Record<string, string>;
}

export interface ConsumerOutcome {
  name: string;
  ok: boolean;
  /** What it did and proved. */
  notes: string[];
  /** Why it failed (empty when it passed). */
  problems: string[];
  timings: { step: string; ms: number }[];
}

/** What a consumer run gives back: the answer it got and what the mock recorded. */
interface ConsumerRun {
  result: unknown;
  requests: DxRequestRecord[];
}

interface ConsumerDef {
  name: string;
  title: string;
  browser: boolean;
  /** The @dx packages it installs. Default: CONSUMER_PACKAGES. */
  packages?: readonly string[];
  /**
   * It starts its own `@dx/mock` and prints `{ result, requests }`; the runner's mock then
   * must see nothing.
   */
  ownMock?: boolean;
  /** Type-check / compile / bundle after install. */
  build?: (dir: string, outcome: ConsumerOutcome) => Promise<void>;
  /** Runs the consumer against the mock; returns the response body the consumer got. */
  exec: (dir: string, mock: DxMock, outcome: ConsumerOutcome) => Promise<unknown>;
}

const CONSUMER_PACKAGES = ['@dx/core-client', '@dx/downlink-helpers'] as const;

function resultLine(stdout: string): unknown {
  const line = stdout.split('\n').find((l) => l.startsWith('E2E_RESULT '));
  if (!line) throw new Error(`the consumer printed no E2E_RESULT line:\n${stdout.slice(-1500)}`);
  return JSON.parse(line.slice('E2E_RESULT '.length)) as unknown;
}

function nodeExec(entry: string): ConsumerDef['exec'] {
  return async (dir, mock) => {
    const { stdout } = await run(process.execPath, [entry], {
      cwd: dir,
      env: childEnv({ DX_BASE_URL: mock.url, DX_TOKEN_URL: mock.tokenUrl }),
      timeoutMs: 30_000,
    });
    return resultLine(stdout);
  };
}

function tsc(dir: string, ...args: string[]): Promise<unknown> {
  return run(process.execPath, [TSC, '-p', dir, '--pretty', 'false', ...args], {
    cwd: dir,
    timeoutMs: 90_000,
  });
}

export const CONSUMERS: ConsumerDef[] = [
  {
    name: 'node-esm',
    title: 'Node ESM JavaScript (import), its own @dx/mock',
    browser: false,
    packages: [...CONSUMER_PACKAGES, '@dx/mock'],
    ownMock: true,
    exec: nodeExec('index.mjs'),
  },
  {
    name: 'node-cjs',
    title: 'Node CommonJS JavaScript (require)',
    browser: false,
    exec: nodeExec('index.cjs'),
  },
  {
    name: 'ts-node16',
    title: 'TypeScript node16 strict, tsc + node',
    browser: false,
    async build(dir, outcome) {
      // @types/node from the monorepo (see the header comment), as a Node TS project would have it.
      await mkdir(join(dir, 'node_modules', '@types'), { recursive: true });
      await symlink(TYPES_NODE, join(dir, 'node_modules', '@types', 'node'), 'dir');
      await tsc(dir, '--noEmit');
      outcome.notes.push('tsc --noEmit passed (ESM .d.ts, CJS .d.cts, 4 @ts-expect-error misuses)');
      await tsc(dir);
    },
    exec: nodeExec(join('dist', 'index.js')),
  },
  {
    name: 'browser-esbuild',
    title: 'TypeScript bundler + esbuild, headless Chromium',
    browser: true,
    async build(dir, outcome) {
      outcome.notes.push(`chromium ${await ensureChromium()}`);
      await tsc(dir, '--noEmit');
      const esbuild = await import('esbuild');
      const result = await esbuild.build({
        absWorkingDir: dir,
        entryPoints: ['src/main.ts'],
        outfile: 'public/bundle.js',
        bundle: true,
        platform: 'browser',
        format: 'esm',
        target: 'es2022',
        sourcemap: true,
        metafile: true,
        logLevel: 'silent',
      });
      const inputs = Object.keys(result.metafile.inputs);
      for (const pkg of CONSUMER_PACKAGES) {
        if (!inputs.includes(`node_modules/${pkg}/dist/index.js`)) {
          throw new Error(
            `esbuild did not bundle ${pkg}/dist/index.js (the ESM entry); inputs: ${inputs.join(', ')}`,
          );
        }
      }
      const bytes = Object.values(result.metafile.outputs).find((o) => o.entryPoint)?.bytes ?? 0;
      outcome.notes.push(
        `tsc --noEmit passed; esbuild bundled the ESM entries (${(bytes / 1024).toFixed(1)} KiB)`,
      );
    },
    async exec(dir, mock, outcome) {
      const site = await serveStatic(join(dir, 'public'));
      try {
        const url = `${site.origin}/index.html?${new URLSearchParams({ baseUrl: mock.url, tokenUrl: mock.tokenUrl })}`;
        const page = await runPage(url, 30_000);
        if (page.console.length > 0)
          outcome.notes.push(`page log:\n      ${page.console.join('\n      ')}`);
        if (!page.ok) throw new Error(`page reported: ${page.error ?? 'no detail'}`);
        return page.result;
      } finally {
        await site.close();
      }
    },
  },
];

async function timed<T>(outcome: ConsumerOutcome, step: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await fn();
  } finally {
    outcome.timings.push({ step, ms: performance.now() - start });
  }
}

export async function runConsumer(
  def: ConsumerDef,
  ctx: ConsumerContext,
): Promise<ConsumerOutcome> {
  const outcome: ConsumerOutcome = {
    name: def.name,
    ok: false,
    notes: [],
    problems: [],
    timings: [],
  };
  const dir = join(ctx.workDir, def.name);
  let mock: DxMock | undefined;
  try {
    await timed(outcome, 'install', async () => {
      await cp(join(ctx.templates, def.name), dir, { recursive: true });
      await writeFile(
        join(dir, '.npmrc'),
        `@dx:registry=${ctx.registryUrl}\naudit=false\nfund=false\nupdate-notifier=false\nomit-lockfile-registry-resolved=false\n`,
      );
      const wanted = def.packages ?? CONSUMER_PACKAGES;
      const specs = wanted.map((p) => `${p}@${ctx.versions[p]}`);
      await run('npm', ['install', '--cache', join(dir, '.npm-cache'), ...specs], {
        cwd: dir,
        env: childEnv(),
        timeoutMs: 90_000,
      });
      const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
        packages: Record<string, { version?: string; resolved?: string }>;
      };
      for (const pkg of wanted) {
        const entry = lock.packages[`node_modules/${pkg}`];
        if (!entry || entry.version !== ctx.versions[pkg]) {
          throw new Error(`installed ${pkg}@${entry?.version}, expected ${ctx.versions[pkg]}`);
        }
        if (!entry.resolved?.startsWith(ctx.registryUrl)) {
          throw new Error(`${pkg} was resolved from ${entry.resolved}, not the local registry`);
        }
      }
      const installed = Object.keys(lock.packages).filter((k) => k.startsWith('node_modules/'));
      const local = installed.filter((k) => k.startsWith('node_modules/@dx/'));
      const others = installed.filter((k) => !local.includes(k));
      outcome.notes.push(
        `npm installed ${local.map((k) => k.slice(13)).join(', ')} from the local registry` +
          (others.length ? `; ${others.map((k) => k.slice(13)).join(', ')} from npm` : ''),
      );
    });
    if (def.build) await timed(outcome, 'build', () => def.build!(dir, outcome));
    mock = await startDxMock({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const stopMock = onCleanup(`stop dx-mock (${def.name})`, () => mock!.close());
    const output = await timed(outcome, 'run', () => def.exec(dir, mock!, outcome));
    await stopMock();
    const { result, requests } = def.ownMock
      ? (output as ConsumerRun)
      : { result: output, requests: mock.requests };
    if (def.ownMock && mock.requests.length > 0) {
      outcome.problems.push(`the runner's mock saw ${describeArrivals(mock.requests)}`);
    }
    if (def.ownMock) outcome.notes.push('ran its own @dx/mock (startDxMock) from the registry');
    const problems = checkArrivals(requests ?? [], { browser: def.browser });
    const body = result as { status?: unknown; device?: unknown } | undefined;
    if (body?.status !== 'QUEUED')
      problems.push(`consumer got ${JSON.stringify(result)}, expected status QUEUED`);
    if (body?.device !== DEVICE)
      problems.push(`consumer got device ${JSON.stringify(body?.device)}, expected ${DEVICE}`);
    outcome.problems.push(...problems);
    outcome.notes.push(`mock saw:\n      ${describeArrivals(requests ?? [])}`);
  } catch (err) {
    outcome.problems.push(err instanceof Error ? err.message : String(err));
    if (mock) {
      outcome.notes.push(`mock saw:\n      ${describeArrivals(mock.requests) || '(nothing)'}`);
    }
  } finally {
    await mock?.close();
  }
  outcome.ok = outcome.problems.length === 0;
  return outcome;
}
