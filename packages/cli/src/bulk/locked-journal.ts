import { createFileJournal, type FileJournal } from '@dx/downlink-helpers/file-journal';
import { lockJournal, watchLease, type LeaseWatch, type LockOptions } from './journal-lock.js';

/** A run's file journal, held under its lock (see journal-lock.ts) until `close()`. */
export interface LockedJournal {
  journal: FileJournal;
  /** Closes the journal and releases the lock, unless the lease lapsed meanwhile. */
  close(): Promise<void>;
}

/**
 * Takes the journal's lock, then opens it so that no `start` record is written once this
 * run may have lost the lock: `onLost` hears of a loss found by the lock's heartbeat or by
 * this process's own clock (a run paused past its lease).
 */
export async function openLockedJournal(
  path: string,
  usage: string,
  options: LockOptions,
): Promise<LockedJournal> {
  const release = await lockJournal(path, usage, options);
  const lease = watchLease((error) => options.onLost?.(error));
  const journal = leasedJournal(createFileJournal(path), lease);
  return {
    journal,
    async close() {
      // A lapsed lease may be another run's lock by now: removing it would let a third run in.
      // Left alone, it expires on its own.
      const held = lease.held();
      lease.stop();
      await journal.close();
      if (held) await release();
    },
  };
}

/**
 * The journal, refusing a `start` record while the lease may have lapsed: another run may hold
 * the journal now and send that item too. Refused before the record, the item is not sent;
 * refused after it (a pause during the write), it is `unknown` to a resume, never sent twice.
 */
function leasedJournal(journal: FileJournal, lease: LeaseWatch): FileJournal {
  const check = (): void => {
    if (lease.held()) return;
    throw new Error(
      `journal ${journal.path}: the lock may have been taken over (this run was paused past its lease); its item was not sent`,
    );
  };
  return {
    path: journal.path,
    read: () => journal.read(),
    close: () => journal.close(),
    async append(record) {
      if (record.event !== 'start') return journal.append(record);
      check();
      await journal.append(record);
      check();
    },
  };
}
