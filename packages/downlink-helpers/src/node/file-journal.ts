/**
 * `@dx/downlink-helpers/file-journal`: a {@link DownlinkJournal} in an append-only file of
 * JSON lines, for Node. Its own entry point, so that `node:fs` never reaches a browser bundle
 * of the main entry.
 *
 * Durability: every record is one `fs.writeSync` of one whole line, made before the request
 * leaves. Once it returns, the line is in the operating system's page cache, so a killed or
 * crashed process loses nothing. Power loss or a kernel crash can still lose the last
 * records unless `fsync: true`, which waits for the disk on every record (see the README for
 * what that costs).
 */
import {
  closeSync,
  createReadStream,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  openSync,
  readSync,
  writeSync,
} from 'node:fs';
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
 * function finish(journal: FileJournal) {
 *   journal.close();
 * }
 * ```
 */
export interface FileJournal extends DownlinkJournal {
  readonly path: string;
  close(): void;
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
 *   journal.close();
 * }
 * ```
 */
export function createFileJournal(path: string, options: FileJournalOptions = {}): FileJournal {
  if (typeof path !== 'string' || path === '') {
    throw new DownlinkError('INVALID_ARGUMENT', 'path', 'expected a non-empty file path');
  }
  const fsync = options.fsync === true;
  let fd: number | undefined;

  const write = (line: string): void => {
    writeSync(fd!, line);
    if (fsync) fsyncSync(fd!);
  };

  const open = (): void => {
    fd = openSync(path, 'a+');
    const size = fstatSync(fd).size;
    if (size === 0) return write(HEADER_LINE);
    // Power loss (or a writer other than this one) can leave a torn last line: it never
    // completed, so no request followed it. Cut it off so the next record starts clean.
    const tail = Buffer.alloc(Math.min(size, 64 * 1024));
    readSync(fd, tail, 0, tail.length, size - tail.length);
    const kept = size - tail.length + tail.lastIndexOf(0x0a) + 1;
    if (kept === size) return;
    ftruncateSync(fd, kept);
    // The torn line was the header itself: without it the file would not read as a journal.
    if (kept === 0) write(HEADER_LINE);
  };

  return {
    path,
    read: () => readRecords(path),
    append(record: JournalRecord) {
      if (fd === undefined) open();
      write(`${JSON.stringify(record)}\n`);
    },
    close() {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
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
