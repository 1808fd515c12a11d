import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { UsageError } from '../exit-codes.js';

/** Whether a process with this id runs (one of another user counts: it answers EPERM). */
function running(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const removeQuietly = (path: string): void => {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
};

/**
 * Takes `<journal>.lock` for this process, or refuses (exit 2) while another `dx send-bulk`
 * holds it: two runs on one journal would each see no record of the other's sends and send
 * every line twice. The lock holds the process id, so one left by a killed run (SIGKILL,
 * power loss) is taken over. Returns the release, also run when the process exits (a second
 * Ctrl-C).
 */
export function lockJournal(journal: string, usage: string): () => void {
  const lock = `${journal}.lock`;
  // Written whole under a name of our own, then linked: the lock never exists half-written.
  const mine = `${lock}.${process.pid}`;
  try {
    writeFileSync(mine, `${process.pid}\n`, { mode: 0o600 });
    takeOver(lock, mine, journal, usage);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new UsageError(`--journal ${journal}: cannot create ${lock} (${code})`, usage);
  } finally {
    removeQuietly(mine);
  }
  const release = (): void => {
    process.removeListener('exit', release);
    removeQuietly(lock);
  };
  process.on('exit', release);
  return release;
}

/** Links `name` to `mine`; false when `name` exists already. */
function link(mine: string, name: string): boolean {
  try {
    linkSync(mine, name);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

/**
 * Links `mine` as the lock. A lock whose process is gone is removed and taken, under a guard
 * (`<lock>.takeover`): without it, two runs that both found the dead lock could each remove
 * it, the second removing the lock the first had just taken, and both would send.
 */
function takeOver(lock: string, mine: string, journal: string, usage: string): void {
  if (link(mine, lock)) return;
  const inUse = (holder: number | undefined, remove: string): UsageError =>
    new UsageError(
      `--journal ${journal}: in use by another dx send-bulk${holder ? ` (process ${holder})` : ''}; ` +
        `run one at a time (if no such run exists, remove ${remove})`,
      usage,
    );
  const holder = holderOf(lock);
  if (holder !== undefined && running(holder)) throw inUse(holder, lock);
  const guard = `${lock}.takeover`;
  if (!link(mine, guard)) throw inUse(holderOf(guard), guard);
  try {
    // Read again under the guard: another run may have taken the lock over meanwhile.
    const now = holderOf(lock);
    if (now !== undefined && running(now)) throw inUse(now, lock);
    removeQuietly(lock);
    if (!link(mine, lock)) throw inUse(holderOf(lock), lock);
  } finally {
    removeQuietly(guard);
  }
}

function holderOf(lock: string): number | undefined {
  try {
    return Number(readFileSync(lock, 'utf8').trim());
  } catch {
    return undefined;
  }
}
