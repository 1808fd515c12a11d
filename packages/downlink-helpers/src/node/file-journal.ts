/**
 * `@dx/downlink-helpers/file-journal`: a {@link DownlinkJournal} in an append-only file of
 * JSON lines, for Node. Its own entry point, so that `node:fs` never reaches a browser bundle
 * of the main entry.
 *
 * Durability: every record is written whole (a short write is continued, a failed one is
 * cut back off the file and thrown) before `append` resolves, and the run sends the request
 * only after that: a record that did not reach the file stops its item before it is sent.
 * Once written, the line is in the operating system's page cache, so a killed or crashed
 * process loses nothing. Power loss or a kernel crash can still lose the last records unless
 * `fsync: true`, which waits for the disk on every record (see the README for what that costs).
 */
import { createReadStream, existsSync } from 'node:fs';
import { open as openFile, type FileHandle } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { DownlinkError } from '../errors.js';
import type { DownlinkJournal, JournalRecord } from '../sending/journal.js';

/** The first line of every journal file: what it is, in which format version. */
const HEADER = { journal: '@dx/downlink-helpers', version: 1 } as const;
const HEADER_LINE = `${JSON.stringify(HEADER)}\n`;

/**
 * Settings of {@link createFileJournal}.
 *
 * @example
 * ```ts
 * import type { FileJournalOptions } from '@dx/downlink-helpers/file-journal';
 *
 * const options: FileJournalOptions = { fsync: true };
 * ```
 */
export interface FileJournalOptions {
  /** Wait for the disk on every record (survives power loss; much slower). Default false. */
  fsync?: boolean;
}

/**
 * A file journal; `close()` releases the file (the run does not close it: a journal may
 * outlive one run).
 *
 * @example
 * ```ts
 * import type { FileJournal } from '@dx/downlink-helpers/file-journal';
 *
 * async function finish(journal: FileJournal) {
 *   await journal.close();
 * }
 * ```
 */
export interface FileJournal extends DownlinkJournal {
  readonly path: string;
  append(record: JournalRecord): Promise<void>;
  /** Resolves once the file is closed (after any append under way). */
  close(): Promise<void>;
}

/**
 * Opens (or creates on first append) the journal file at `path`.
 *
 * @example
 * ```ts
 * import { sendDownlinks } from '@dx/downlink-helpers';
 * import { createFileJournal } from '@dx/downlink-helpers/file-journal';
 *
 * const journal = createFileJournal('campaign-42.jsonl');
 * try {
 *   for await (const result of sendDownlinks(client, items, { journal })) log(result);
 * } finally {
 *   await journal.close();
 * }
 * ```
 */
export function createFileJournal(path: string, options: FileJournalOptions = {}): FileJournal {
  if (typeof path !== 'string' || path === '') {
    throw new DownlinkError('INVALID_ARGUMENT', 'path', 'expected a non-empty file path');
  }
  const fsync = options.fsync === true;
  let file: Promise<AppendFile> | undefined;
  // Appends run one after another: a record's bytes never interleave with another's, and a
  // failed one is cut off before the next starts.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    path,
    read: () => readRecords(path),
    append(record: JournalRecord) {
      return serial(async () => {
        file ??= AppendFile.open(path, fsync);
        await (await file).write(`${JSON.stringify(record)}\n`);
      });
    },
    close() {
      return serial(async () => {
        const opened = file;
        file = undefined;
        await (await opened?.catch(() => undefined))?.close();
      });
    },
  };
}

/** The journal file opened for appending, with the size it has when every write is whole. */
class AppendFile {
  private constructor(
    private readonly path: string,
    private readonly handle: FileHandle,
    private size: number,
    private readonly fsync: boolean,
  ) {}

  static async open(path: string, fsync: boolean): Promise<AppendFile> {
    const handle = await openFile(path, 'a+');
    try {
      const file = new AppendFile(path, handle, (await handle.stat()).size, fsync);
      await file.repairTail();
      return file;
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /**
   * Writes the whole line or nothing: a short write (a full disk) is continued, and a write
   * that fails is cut back off, so a resume never finds half a record, and the caller (the
   * run) does not send an item whose `start` is not in the file.
   */
  async write(line: string): Promise<void> {
    const bytes = Buffer.from(line);
    let written = 0;
    try {
      while (written < bytes.length) {
        const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written);
        if (bytesWritten <= 0) throw new Error('the file system accepted no bytes');
        written += bytesWritten;
      }
      if (this.fsync) await this.handle.sync();
    } catch (error) {
      if (written > 0) await this.handle.truncate(this.size).catch(() => undefined);
      const why = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new Error(
        `journal ${this.path}: cannot write a record (${why}); its item was not sent`,
        {
          cause: error,
        },
      );
    }
    this.size += bytes.length;
  }

  close(): Promise<void> {
    return this.handle.close();
  }

  /**
   * A new file gets the header. A last line without its newline is either a whole record (an
   * editor's save, `truncate -s -1`: it is kept and given its newline) or one that power loss
   * tore (it never completed, so no request followed it: it is cut off).
   */
  private async repairTail(): Promise<void> {
    if (this.size === 0) return this.write(HEADER_LINE);
    const tail = Buffer.alloc(Math.min(this.size, 64 * 1024));
    await this.handle.read(tail, 0, tail.length, this.size - tail.length);
    const lineStart = tail.lastIndexOf(0x0a) + 1;
    if (lineStart === tail.length) return;
    const last = tail.subarray(lineStart).toString('utf8');
    if (isWholeLine(last)) return this.write('\n');
    const kept = this.size - tail.length + lineStart;
    await this.handle.truncate(kept);
    this.size = kept;
    // The torn line was the header itself: without it the file would not read as a journal.
    if (kept === 0) await this.write(HEADER_LINE);
  }
}

/** Whether a line without its newline is complete: a record or the header, as JSON. */
function isWholeLine(text: string): boolean {
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null;
  } catch {
    return false;
  }
}

/** Streams the records of the file (none when it does not exist yet). */
async function* readRecords(path: string): AsyncGenerator<JournalRecord> {
  if (!existsSync(path)) return;
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  let number = 0;
  let torn: number | undefined;
  for await (const line of lines) {
    number++;
    if (line === '') continue;
    if (torn !== undefined) throw notARecord(path, torn);
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      // A torn first line is the beginning of the header; anything else there is another file
      // (whose lines a run would otherwise append to).
      if (number === 1 && !HEADER_LINE.startsWith(line)) throw notAJournal(path);
      // Only the last line may be torn; an unreadable line followed by others is damage.
      torn = number;
      continue;
    }
    if (number === 1) {
      checkHeader(path, value);
      continue;
    }
    yield value as JournalRecord;
  }
}

function checkHeader(path: string, value: unknown): void {
  const header = value as Partial<typeof HEADER> | null;
  if (header?.journal !== HEADER.journal) throw notAJournal(path);
  if (header.version !== HEADER.version) {
    throw new DownlinkError(
      'INVALID_ARGUMENT',
      'journal',
      `${path} has format version ${String(header.version)}; this version reads ${HEADER.version}`,
    );
  }
}

function notAJournal(path: string): DownlinkError {
  return new DownlinkError('INVALID_ARGUMENT', 'journal', `${path} is not a downlink journal`);
}

function notARecord(path: string, line: number): DownlinkError {
  return new DownlinkError('INVALID_ARGUMENT', 'journal', `${path} line ${line} is not JSON`);
}
