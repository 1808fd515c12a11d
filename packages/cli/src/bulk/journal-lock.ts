import { mkdir, open, realpath, rm, rmdir, stat } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { UsageError } from '../exit-codes.js';
import { shellWord } from '../output/shell-word.js';
import { isMountPoint } from './mount-points.js';

/**
 * The lease of a lock: its holder touches it every `UPDATE_MS`; one untouched for `STALE_MS`
 * belongs to a run that is gone (killed, its machine or container lost), whatever its process
 * id, and is taken over.
 */
export const STALE_MS = 5000;
const UPDATE_MS = 1000;
/** Untouched this long, the holder has missed its heartbeats: wait for the lease to run out. */
const SILENT_MS = 2 * UPDATE_MS + 500;
/** Waited beyond the lease, for clocks and file systems whose mtimes are coarse. */
const MARGIN_MS = 200;

export interface LockOptions {
  /** Told once when the run waits for the lease of a run that stopped without releasing it. */
  onWait?: (message: string) => void;
  /** The lock was lost while held (its folder removed, the heartbeat late past the lease). */
  onLost?: (error: Error) => void;
}

/**
 * Takes the lock of a journal file, or refuses (exit 2) while another `dx send-bulk` holds it:
 * two runs on one journal would each see no record of the other's sends and send every line
 * twice.
 *
 * The lock belongs to the file, not to the name it was given: proper-lockfile's lock folder
 * sits beside the file's real path (symlinks resolved), and a file with more than one hard
 * link is refused, since two names of one file would give two locks. Liveness is a lease
 * (the folder's mtime, renewed every second), not a process id: it holds across containers
 * and hosts sharing the volume, and a run killed with SIGKILL (a zombie or not) frees the
 * journal once its lease expires, which the next run waits for. Returns the release.
 */
export async function lockJournal(
  journal: string,
  usage: string,
  options: LockOptions = {},
): Promise<() => Promise<void>> {
  const real = await fileOf(journal, usage);
  const inUse = (how = ''): UsageError =>
    new UsageError(
      `--journal ${journal}: in use by another dx send-bulk${how}; run one at a time`,
      usage,
    );
  let told = false;
  for (;;) {
    const age = await ageOf(`${real}.lock`);
    if (age === undefined || age < SILENT_MS) {
      const release = await take(real, journal, usage, options);
      if (release) return release;
      // Held: by a live run (its heartbeat renews the lease within a second or so), or by one
      // just killed (the lease goes silent). Watch it before refusing.
      if (await renewed(`${real}.lock`)) throw inUse();
      continue;
    }
    if (age < STALE_MS + MARGIN_MS) {
      const left = STALE_MS + MARGIN_MS - age;
      if (!told) {
        options.onWait?.(
          `--journal ${journal}: its last run stopped without releasing it; waiting ${Math.ceil(left / 1000)} s for its lock to expire`,
        );
        told = true;
      }
      await new Promise((resolve) => setTimeout(resolve, left));
      continue;
    }
    const release = await takeOver(real, journal, usage, options);
    if (release === 'busy') throw inUse(' (taking over the lock of a run that is gone)');
    if (release) return release;
    throw inUse();
  }
}

/** proper-lockfile's lock; undefined when it is held. */
async function take(
  real: string,
  journal: string,
  usage: string,
  options: LockOptions,
): Promise<(() => Promise<void>) | undefined> {
  try {
    const release = await lockfile.lock(real, {
      realpath: false,
      stale: STALE_MS,
      update: UPDATE_MS,
      onCompromised: (error: Error) => options.onLost?.(error),
    });
    return () => release().catch(() => undefined);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOCKED') return undefined;
    throw new UsageError(`--journal ${journal}: cannot lock it (${code ?? String(error)})`, usage);
  }
}

/**
 * Removes an expired lock and takes it, under a guard folder: without it, two runs that both
 * found the expired lock could each remove it, the second removing the lock the first had
 * just taken, and both would send. proper-lockfile removes an expired lock itself with that
 * race, so it is only ever asked for a lock that is fresh or absent.
 */
async function takeOver(
  real: string,
  journal: string,
  usage: string,
  options: LockOptions,
): Promise<(() => Promise<void>) | undefined | 'busy'> {
  const guard = `${real}.lock.takeover`;
  try {
    await mkdir(guard);
  } catch {
    // A guard is held for milliseconds: an old one was left by a run killed mid-takeover.
    const age = await ageOf(guard);
    if (age !== undefined && age > STALE_MS) await rmdir(guard).catch(() => undefined);
    return 'busy';
  }
  try {
    const age = await ageOf(`${real}.lock`);
    if (age !== undefined && age < STALE_MS) return undefined;
    await rm(`${real}.lock`, { recursive: true, force: true });
    return await take(real, journal, usage, options);
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

/**
 * The journal's real path, the file created if new (a lock needs a file to belong to).
 * Refuses a file with several names (hard links, or a bind mount of the file itself): each
 * would get a lock of its own.
 */
async function fileOf(journal: string, usage: string): Promise<string> {
  try {
    await (await open(journal, 'a')).close();
    const real = await realpath(journal);
    const { nlink } = await stat(real);
    if (nlink > 1) {
      throw new UsageError(
        `--journal ${journal}: the file has ${nlink} names (hard links); runs through two names would not see each other's lock. Keep one name (find the others: find <folder> -samefile ${shellWord(journal)})`,
        usage,
      );
    }
    if (await isMountPoint(real)) {
      throw new UsageError(
        `--journal ${journal}: the file is mounted on its own (a bind mount such as docker -v file:file); a run through its other name would not see this run's lock. Mount its folder instead`,
        usage,
      );
    }
    return real;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`--journal ${journal}: cannot open it (${code})`, usage);
  }
}

/** Whether the lease at `lock` is renewed before it has been silent for `SILENT_MS`. */
async function renewed(lock: string): Promise<boolean> {
  const first = await mtimeOf(lock);
  if (first === undefined) return false;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = await mtimeOf(lock);
    if (now === undefined) return false;
    if (now !== first) return true;
    if (Date.now() - now >= SILENT_MS) return false;
  }
}

async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** Milliseconds since the lock's holder last renewed it (or a guard was made); undefined when absent. */
async function ageOf(path: string): Promise<number | undefined> {
  const mtime = await mtimeOf(path);
  return mtime === undefined ? undefined : Date.now() - mtime;
}

/**
 * The longest this process may go unscheduled and still hold its lease for sure: the heartbeat
 * renews it every `UPDATE_MS`, and another run takes it over once it is `STALE_MS` old.
 */
const LAPSE_MS = STALE_MS - 2 * UPDATE_MS;
const TICK_MS = 250;

export interface LeaseWatch {
  /** False once this process went unscheduled long enough for another run to take the lock. */
  held(): boolean;
  stop(): void;
}

/**
 * Watches this process's own time: a run paused past its lease (Ctrl-Z, a suspended VM or
 * laptop) wakes up with its timers and I/O due in any order, so the heartbeat that would tell
 * it the lock was taken over may come after its next send. `held()` reads the monotonic clock
 * itself, and a late tick makes the lapse stick (and calls `onLapse`).
 */
export function watchLease(onLapse: (error: Error) => void): LeaseWatch {
  let last = performance.now();
  let lapsed = false;
  const lapse = (silentMs: number): void => {
    if (lapsed) return;
    lapsed = true;
    onLapse(
      new Error(
        `this run was paused for ${Math.round(silentMs / 1000)} s, past its lease on the journal`,
      ),
    );
  };
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > LAPSE_MS) lapse(now - last);
    last = now;
  }, TICK_MS);
  timer.unref();
  return {
    held() {
      const silent = performance.now() - last;
      if (silent > LAPSE_MS) lapse(silent);
      return !lapsed;
    },
    stop: () => clearInterval(timer),
  };
}
