/**
 * The PostgreSQL of the tests: the one `.ci/run` (or `scripts/postgres/with-postgres.sh`)
 * started, named by `DX_TEST_POSTGRES_URL`; else one started here with
 * `scripts/postgres/start.sh` and stopped when the file's tests end. Where no server can be
 * started (no PostgreSQL installed) the tests are skipped with the reason, except in CI
 * (`CI=true`), where that is a failure.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const SCRIPTS = resolve(import.meta.dirname, '../postgres');

export interface TestPostgres {
  /** `postgres://dx@127.0.0.1:<port>/postgres`; undefined when no server could be had. */
  url: string | undefined;
  /** Folder of a server started here (stop/start it with `serverCtl`); undefined otherwise. */
  dir: string | undefined;
  /** Why there is no server. */
  reason: string | undefined;
  stop(): void;
}

export function testPostgres(): TestPostgres {
  const given = process.env.DX_TEST_POSTGRES_URL;
  const givenDir = process.env.DX_TEST_POSTGRES_DIR;
  if (given) return { url: given, dir: givenDir, reason: undefined, stop: () => undefined };
  let printed: string;
  try {
    printed = execFileSync(`${SCRIPTS}/start.sh`, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const why = `no PostgreSQL server could be started (${String((error as { stderr?: unknown }).stderr ?? error).trim()})`;
    if (process.env.CI === 'true') throw new Error(`${why}; CI must run these tests`);
    return { url: undefined, dir: undefined, reason: why, stop: () => undefined };
  }
  const url = /DX_TEST_POSTGRES_URL='([^']+)'/.exec(printed)?.[1];
  const dir = /DX_TEST_POSTGRES_DIR='([^']+)'/.exec(printed)?.[1];
  return {
    url,
    dir,
    reason: undefined,
    stop: () => {
      if (dir) execFileSync(`${SCRIPTS}/stop.sh`, [dir], { stdio: 'ignore' });
    },
  };
}

/** Stops or starts again the server in `dir` (a test of a database that goes away). */
export function serverCtl(dir: string, action: 'stop' | 'start'): void {
  execFileSync(`${SCRIPTS}/server.sh`, [dir, action], { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** A name no other test run uses: a campaign or a schema per test. */
let counter = 0;
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${counter}`;
}
