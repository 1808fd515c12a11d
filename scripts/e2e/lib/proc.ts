/**
 * Child processes and cleanup for the e2e run. Everything it starts is registered here so it is
 * stopped again: on success, on a failed step and on SIGINT/SIGTERM or the time budget.
 * Cleanups run last-in first-out, each once; one failing does not stop the others.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rm } from 'node:fs/promises';

type Cleanup = { label: string; fn: () => Promise<void> | void };
const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();
let cleaning: Promise<void> | undefined;
let interruption: { reason: string; code: number } | undefined;

/** Registers `fn` to run at cleanup; returns a function that runs it now (and unregisters it). */
export function onCleanup(label: string, fn: () => Promise<void> | void): () => Promise<void> {
  const entry: Cleanup = { label, fn };
  cleanups.push(entry);
  return async () => {
    const i = cleanups.indexOf(entry);
    if (i === -1) return;
    cleanups.splice(i, 1);
    await entry.fn();
  };
}

/** Registers a temp dir for removal at cleanup (unless `E2E_KEEP_TEMP=1`). */
export function removeAtCleanup(dir: string): void {
  onCleanup(`remove ${dir}`, async () => {
    if (process.env['E2E_KEEP_TEMP'] === '1') return console.log(`  (kept ${dir})`);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  });
}

/** Stops a child and its process group (children are spawned detached) by its id. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      child.kill(sig);
    }
  };
  const wait = (ms: number): Promise<unknown> =>
    Promise.race([exited, new Promise((resolve) => setTimeout(resolve, ms, 'timeout'))]);
  signal('SIGTERM');
  if ((await wait(graceMs)) !== 'timeout') return;
  signal('SIGKILL');
  await wait(1000);
}

/** `spawn` in its own process group, tracked so that cleanup stops it and what it started. */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  if (cleaning) throw new Error(`not starting ${command}: the run is shutting down`);
  const child = spawn(command, args, { ...options, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

export function isShuttingDown(): boolean {
  return cleaning !== undefined;
}

export function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of [...children]) await stopChild(child);
    for (let entry = cleanups.pop(); entry; entry = cleanups.pop()) {
      await Promise.resolve()
        .then(entry.fn)
        .catch((err: unknown) =>
          console.error(`  cleanup "${entry.label}" failed: ${String(err)}`),
        );
    }
  })();
  return cleaning;
}

/** Why the run was aborted (a signal or the time budget), with the exit code to use. */
export function interruptedBy(): { reason: string; code: number } | undefined {
  return interruption;
}

/**
 * Aborts the run: stops everything at once, so the step in progress fails fast and the runner
 * prints its summary and exits with `code`; should anything hang, exits anyway after 20 s.
 */
export function abortRun(reason: string, code: number): void {
  if (interruption) return;
  interruption = { reason, code };
  console.error(`\n${reason}: stopping servers and browsers, removing temp dirs...`);
  setTimeout(() => process.exit(code), 20_000);
  void runCleanups();
}

export function installSignalHandlers(): void {
  process.once('SIGINT', () => abortRun('interrupted by SIGINT', 130));
  process.once('SIGTERM', () => abortRun('interrupted by SIGTERM', 143));
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: RunResult,
  ) {
    super(message);
  }
}

/**
 * The environment for child commands: this process's without the `npm_*` settings that
 * `pnpm run` injects (they must not leak into the temp copy or the consumers), plus `extra`.
 */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const dropped =
    /^(npm_(config|package|lifecycle)_|npm_(command|execpath|node_execpath)$|init_cwd$|pnpm_script_src_dir$)/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !dropped.test(k)));
  return { ...env, TURBO_TELEMETRY_DISABLED: '1', NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Runs a command to completion; rejects with its output's tail on a non-zero exit or a timeout. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunResult> {
  return new Promise<RunResult>((resolve, reject) => {
    const child = spawnTracked(command, args, {
      cwd: options.cwd,
      env: options.env ?? childEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      void stopChild(child);
    }, options.timeoutMs);
    const fail = (why: string, result: RunResult): void => {
      const tail = `${stdout}\n${stderr}`.trimEnd().split('\n').slice(-40).join('\n');
      const shown = [command, ...args].join(' ');
      reject(new CommandError(`${shown} ${why} (in ${options.cwd})\n${tail}`, result));
    };
    child.once('error', (err) => {
      clearTimeout(timer);
      fail(`: ${err.message}`, { code: -1, stdout, stderr });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const result: RunResult = { code: code ?? -1, stdout, stderr };
      if (timedOut) fail(`timed out after ${options.timeoutMs} ms`, result);
      else if (code !== 0) fail(`exited with ${code ?? signal}`, result);
      else resolve(result);
    });
  });
}
