import { access, constants, open, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { UsageError } from '../exit-codes.js';

/**
 * Refuses (exit 2), before anything is sent, a `--journal` the run could not write: a folder or
 * a device, a folder it cannot create the file (or its lock) in, or a file it cannot append to
 * (read-only, or on a read-only file system). Found mid-run, each would stop the run with a bare `EACCES`
 * after an empty summary. The file is opened for appending, as the journal will be, rather
 * than judged from its mode bits: that is the answer the system gives this process (root
 * included), and opening changes nothing in it.
 */
export async function checkJournalWritable(journal: string, usage: string): Promise<void> {
  const existing = await stat(journal).catch(() => undefined);
  if (existing !== undefined && !existing.isFile()) {
    throw new UsageError(`--journal ${journal}: not a file`, usage);
  }
  // The folder too when the file exists: the run creates `<journal>.lock` beside it.
  const folder = dirname(resolve(journal));
  await access(folder, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `--journal ${journal}: cannot write in ${folder} (${error.code ?? error.message})`,
      usage,
    );
  });
  if (existing === undefined) return;
  const handle = await open(journal, 'a').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(
      `--journal ${journal}: cannot be written (${error.code ?? error.message}); ` +
        'make it writable, or give another --journal',
      usage,
    );
  });
  await handle.close();
}
