/**
 * The local registry: a throwaway Verdaccio on 127.0.0.1 (free port, temp storage, no uplinks,
 * so it serves only what this run publishes), started from the monorepo's own
 * `node_modules/verdaccio`; and plain `npm install` from it into a fresh project.
 */
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { childEnv, onCleanup, run, spawnTracked, stopChild } from './proc.js';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer().once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Starts Verdaccio; resolves to its URL `http://127.0.0.1:PORT/` once it answers `/-/ping`. */
export async function startVerdaccio(repoRoot: string, workDir: string): Promise<string> {
  const storage = join(workDir, 'storage');
  await mkdir(storage, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  const config = join(workDir, 'config.yaml');
  await writeFile(
    config,
    [
      `storage: ${JSON.stringify(storage)}`,
      `auth: { htpasswd: { file: ${JSON.stringify(join(workDir, 'htpasswd'))}, max_users: -1 } }`,
      'uplinks: {}',
      "packages: { '**': { access: $all, publish: $all } }",
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const logFile = join(workDir, 'verdaccio.log');
  const fd = openSync(logFile, 'a');
  const bin = join(repoRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const child = spawnTracked(
    process.execPath,
    [bin, '--config', config, '--listen', `127.0.0.1:${port}`],
    {
      cwd: workDir,
      env: childEnv(),
      stdio: ['ignore', fd, fd],
    },
  );
  closeSync(fd);
  onCleanup('stop verdaccio', () => stopChild(child));
  for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
    if (child.exitCode !== null) break;
    const res = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(1000) }).catch(
      () => undefined,
    );
    if (res?.ok) return url;
    await new Promise((r) => setTimeout(r, 150));
  }
  const log = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  throw new Error(`verdaccio did not answer ${url}-/ping:\n${log}`);
}

/**
 * `npm install <specs>` in `dir` with the @dx scope mapped to the local registry (everything
 * else from the machine's usual npm registry, as for a user); the lockfile must show that every
 * `@dx` package came from the local registry and that each spec got its version.
 */
export async function installFromRegistry(
  dir: string,
  registryUrl: string,
  specs: string[],
): Promise<string> {
  await writeFile(
    join(dir, '.npmrc'),
    `@dx:registry=${registryUrl}\naudit=false\nfund=false\nupdate-notifier=false\nomit-lockfile-registry-resolved=false\n`,
  );
  await run('npm', ['install', '--cache', join(dir, '.npm-cache'), ...specs], {
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
    if (!entry.resolved?.startsWith(registryUrl))
      throw new Error(`${path} was resolved from ${entry.resolved}, not the local registry`);
  }
  for (const spec of specs) {
    const at = spec.lastIndexOf('@');
    const entry = lock.packages[`node_modules/${spec.slice(0, at)}`];
    if (entry?.version !== spec.slice(at + 1))
      throw new Error(`installed ${spec.slice(0, at)}@${entry?.version}, expected ${spec}`);
  }
  return `${scoped.map(([p, e]) => `${p.slice(13)}@${e.version}`).join(', ')} from the local registry`;
}
