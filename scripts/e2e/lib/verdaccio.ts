/**
 * A throwaway Verdaccio 6.8.0 registry on 127.0.0.1: random free port, temp storage, no
 * uplinks (so it can serve only what this run publishes), anonymous publish allowed.
 * Started as a child process from the monorepo's own `node_modules/verdaccio`.
 */
import { openSync, closeSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { onCleanup, spawnTracked, stopChild } from './lifecycle.js';
import { childEnv } from './proc.js';

export interface Registry {
  /** `http://127.0.0.1:PORT/` (with the trailing slash npm prefers) */
  url: string;
  port: number;
  logFile: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, deadline: number, exited: () => boolean): Promise<void> {
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (exited()) throw new Error('verdaccio exited before it answered /-/ping');
    try {
      const res = await fetch(`${url}-/ping`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) return;
      lastError = `HTTP ${res.status}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`verdaccio did not answer ${url}-/ping in time (${lastError})`);
}

export async function startVerdaccio(repoRoot: string, workDir: string): Promise<Registry> {
  const bin = join(repoRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const storage = join(workDir, 'storage');
  await mkdir(storage, { recursive: true });
  const logFile = join(workDir, 'verdaccio.log');

  let lastError: unknown;
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const configFile = join(workDir, 'config.yaml');
    await writeFile(
      configFile,
      [
        `storage: ${JSON.stringify(storage)}`,
        'auth:',
        '  htpasswd:',
        `    file: ${JSON.stringify(join(workDir, 'htpasswd'))}`,
        '    max_users: -1',
        'uplinks: {}',
        'packages:',
        "  '**':",
        '    access: $all',
        '    publish: $all',
        `listen: 127.0.0.1:${port}`,
        'log: { type: stdout, format: pretty, level: warn }',
        '',
      ].join('\n'),
    );
    const fd = openSync(logFile, 'a');
    const child = spawnTracked(
      process.execPath,
      [bin, '--config', configFile, '--listen', `127.0.0.1:${port}`],
      {
        cwd: workDir,
        env: childEnv(),
        stdio: ['ignore', fd, fd],
      },
    );
    closeSync(fd);
    const stop = onCleanup('stop verdaccio', () => stopChild(child));
    try {
      await waitForPing(
        url,
        Date.now() + 30_000,
        () => child.exitCode !== null || child.signalCode !== null,
      );
      return { url, port, logFile, stop };
    } catch (err) {
      lastError = err;
      await stop();
      console.log(
        `  verdaccio attempt ${attempt} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  let log = '';
  try {
    log = readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    /* no log */
  }
  throw new Error(
    `could not start verdaccio: ${lastError instanceof Error ? lastError.message : String(lastError)}\n${log}`,
  );
}
