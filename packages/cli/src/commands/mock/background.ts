/**
 * `dx mock` with its output captured (`eval "$(dx mock)"`), as `ssh-agent` does it: the mock
 * runs on in a detached process whose output goes to a log file, and this process prints the
 * shell lines that point `dx` at it, then exits, so the command substitution returns.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { Io } from '../../io.js';

/** Set in the detached mock's environment: the file descriptor to report its settings on. */
export const READY_FD_VARIABLE = 'DX_MOCK_READY_FD';
const READY_FD = 3;
const READY_TIMEOUT_MS = 15_000;

/** What a started mock reports: the DX_* variables of its connection. */
export type MockSettings = Record<string, string>;

/** In the detached mock: hands its settings to the waiting `dx mock`, once. */
export function reportReady(env: NodeJS.ProcessEnv, settings: MockSettings): void {
  const fd = Number(env[READY_FD_VARIABLE]);
  if (!Number.isInteger(fd) || fd < 3) return;
  try {
    writeSync(fd, `${JSON.stringify(settings)}\n`);
    closeSync(fd);
  } catch {
    // The waiting dx mock gave up (its timeout): nobody to tell.
  }
}

async function logFileOf(path: string | undefined): Promise<string> {
  if (path !== undefined) return resolve(path);
  return join(await mkdtemp(join(tmpdir(), 'dx-mock-')), 'mock.log');
}

/** The log's last line: where a mock that failed to start says why. */
function lastLine(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').at(-1) ?? '';
  } catch {
    return '';
  }
}

/** The first line on the ready pipe, or why the mock never sent one. */
function waitForReady(child: ReturnType<typeof spawn>, logFile: string): Promise<MockSettings> {
  return new Promise((resolvePromise, reject) => {
    const pipe = child.stdio[READY_FD] as Readable;
    let text = '';
    const fail = (why: string): void => {
      cleanup();
      const said = lastLine(logFile);
      reject(
        new Error(`the mock did not start (${why})${said ? `: ${said}` : ''}; its log: ${logFile}`),
      );
    };
    const onData = (chunk: Buffer): void => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end < 0) return;
      cleanup();
      try {
        resolvePromise(JSON.parse(text.slice(0, end)) as MockSettings);
      } catch {
        reject(new Error('the mock reported something unreadable'));
      }
    };
    const onExit = (code: number | null): void => fail(`it exited (${code ?? 'signal'})`);
    const onError = (error: Error): void => fail(error.message);
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      fail(`no answer within ${READY_TIMEOUT_MS / 1000}s`);
    }, READY_TIMEOUT_MS);
    function cleanup(): void {
      clearTimeout(timer);
      pipe.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
    }
    pipe.on('data', onData);
    child.on('exit', onExit);
    child.on('error', onError);
  });
}

/**
 * Starts `dx mock --foreground <flags>` detached, its output in a log file, and waits until it
 * listens. Returns its settings plus DX_MOCK_PID and DX_MOCK_LOG.
 */
export async function startInBackground(
  flags: readonly string[],
  logPath: string | undefined,
  io: Io,
): Promise<MockSettings> {
  const logFile = await logFileOf(logPath);
  const log = openSync(logFile, 'a', 0o600);
  let child;
  try {
    // The same dx on the same Node, in a session of its own: a closed terminal or a Ctrl-C
    // meant for the shell does not reach it; `kill $DX_MOCK_PID` does.
    child = spawn(process.execPath, [io.self, 'mock', '--foreground', ...flags], {
      detached: true,
      stdio: ['ignore', log, log, 'pipe'],
      env: { ...io.env, [READY_FD_VARIABLE]: String(READY_FD) },
    });
  } finally {
    closeSync(log);
  }
  const settings = await waitForReady(child, logFile);
  (child.stdio[READY_FD] as Readable).destroy();
  child.unref();
  return { ...settings, DX_MOCK_PID: String(child.pid), DX_MOCK_LOG: logFile };
}
