/**
 * Everything the e2e run starts is registered here so it is stopped again: on success, on a
 * failed step (the runner's `finally`) and on SIGINT/SIGTERM. Cleanups run last-in first-out,
 * each at most once, and one failing cleanup does not stop the others.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { rm } from 'node:fs/promises';

type Cleanup = { label: string; fn: () => Promise<void> | void };

const cleanups: Cleanup[] = [];
const children = new Set<ChildProcess>();
let cleaning: Promise<void> | undefined;

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
    if (process.env['E2E_KEEP_TEMP'] === '1') {
      console.log(`  (kept ${dir} because E2E_KEEP_TEMP=1)`);
      return;
    }
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  });
}

/** Stops a child (and its process group, since children are spawned detached) by its id. */
export async function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signal = (sig: NodeJS.Signals): void => {
    try {
      process.kill(-pid, sig);
    } catch {
      try {
        child.kill(sig);
      } catch {
        /* already gone */
      }
    }
  };
  signal('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signal('SIGKILL');
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1000))]);
  }
}

/**
 * `spawn` in its own process group, tracked so that cleanup stops it (and whatever it started)
 * if it is still running.
 */
export function spawnTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  if (cleaning) throw new Error(`not starting ${command}: the run is shutting down`);
  const child = spawn(command, args, { ...options, detached: true });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.once('error', () => children.delete(child));
  return child;
}

/** True once cleanup has begun (after the run, on a signal or on the watchdog). */
export function isShuttingDown(): boolean {
  return cleaning !== undefined;
}

export function runCleanups(): Promise<void> {
  cleaning ??= (async () => {
    for (const child of [...children]) await stopChild(child);
    while (cleanups.length > 0) {
      const { label, fn } = cleanups.pop()!;
      try {
        await fn();
      } catch (err) {
        console.error(
          `  cleanup "${label}" failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
  })();
  return cleaning;
}

let interruption: { reason: string; code: number } | undefined;

/** Why the run was aborted (a signal or the time budget), with the exit code to use. */
export function interruptedBy(): { reason: string; code: number } | undefined {
  return interruption;
}

/**
 * Aborts the run: starts stopping everything at once, so the step in progress fails fast and the
 * runner's `finally` prints its summary and exits with `code`. Should anything hang, the process
 * exits anyway after `hardExitMs`.
 */
export function abortRun(reason: string, code: number, hardExitMs = 20_000): void {
  if (interruption) return;
  interruption = { reason, code };
  console.error(`\n${reason}: stopping servers and browsers, removing temp dirs...`);
  // Kept referenced on purpose: the runner ends with process.exit(), so this only fires if
  // the run hangs.
  setTimeout(() => {
    console.error(`cleanup did not finish within ${hardExitMs} ms; exiting`);
    process.exit(code);
  }, hardExitMs);
  void runCleanups();
}

/** SIGINT/SIGTERM abort the run with exit code 130/143. */
export function installSignalHandlers(): void {
  process.once('SIGINT', () => abortRun('interrupted by SIGINT', 130));
  process.once('SIGTERM', () => abortRun('interrupted by SIGTERM', 143));
}
