import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Io } from '../src/io.js';
import { main } from '../src/main.js';

/**
 * The built bin, run as an operator runs it: `pnpm build` first (`pnpm test` does). Only the
 * tests of what a real process shows (signals, a terminal, the exit status, stdout of a codec)
 * start it; the rest call `main` in-process through `dx`.
 */
export const BIN = resolve(import.meta.dirname, '../dist/cli.js');

/** A secret distinctive enough that finding it anywhere in any output is a leak. */
export const SECRET = 'S3cr3t-NEVER-PRINT-7f3a9c1e';
export const CLIENT_ID = 'tenant-42/ops';

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  cwd?: string;
}

export function assertBuilt(): void {
  if (!existsSync(BIN))
    throw new Error(`${BIN} is missing: run \`pnpm build\` first (pnpm test does)`);
}

/**
 * A clean environment: no DX_* variable of the person running the tests leaks in, HOME and
 * XDG_CONFIG_HOME point at a temporary folder, no colours unless a test asks for them.
 */
export function baseEnv(home: string): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: home, XDG_CONFIG_HOME: join(home, 'config') };
}

/** A stream that keeps what is written to it, like a pipe read to its end. */
class Capture extends Writable {
  text = '';
  override _write(chunk: Buffer | string, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/**
 * Runs `dx ...args` in-process: `main` with piped (not TTY) streams, exactly `options.env` as
 * the environment and `options.cwd` as the working folder for the call. Same result shape as
 * `dxProcess`, with no signal.
 */
export async function dx(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture();
  const stderr = new Capture();
  const io: Io = {
    stdout,
    stderr,
    stdin: Readable.from([Buffer.from(options.stdin ?? '')], { objectMode: false }),
    env: Object.fromEntries(
      Object.entries(options.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
    ),
    self: BIN,
  };
  const cwd = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    const code = await main(args, io);
    return { code, signal: null, stdout: stdout.text, stderr: stderr.text };
  } finally {
    process.chdir(cwd);
  }
}

/** Runs `node dist/cli.js ...args` to completion. stdout and stderr are pipes (not a TTY). */
export function dxProcess(args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd,
      env: Object.fromEntries(
        Object.entries(options.env ?? {}).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** stdout as NDJSON: every line must parse, or the test fails naming the line. */
export function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`stdout line is not JSON: ${line}`);
      }
    });
}

export async function tempHome(): Promise<{ home: string; cleanup: () => Promise<void> }> {
  const home = await mkdtemp(join(tmpdir(), 'dx-cli-test-'));
  return { home, cleanup: () => rm(home, { recursive: true, force: true }) };
}
