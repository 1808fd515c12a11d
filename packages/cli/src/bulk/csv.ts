import type { SendDownlinkOptions } from '@dx/downlink-helpers';
import { UsageError } from '../exit-codes.js';
import type { Entry } from './entries.js';
import { MAX_LINE_BYTES } from './lines.js';

const PAYLOAD_COLUMNS = ['hex', 'base64', 'text'] as const;
export const CSV_COLUMNS = [
  'device',
  ...PAYLOAD_COLUMNS,
  'fPort',
  'confirm',
  'flushQueue',
  'region',
  'dataRate',
  'id',
];

const BOOLEANS: Record<string, boolean> = {
  true: true,
  false: false,
  yes: true,
  no: false,
  '1': true,
  '0': false,
};

class HeaderProblem extends Error {}

/** The `sendDownlink` option a column fills. */
const FIELD_OF: Readonly<Record<string, string>> = {
  hex: 'payload',
  base64: 'payload',
  text: 'payload',
};
const fieldOf = (column: string): string => FIELD_OF[column] ?? column;

/**
 * Refuses a header the reader would misread: unknown or repeated columns, no device, no payload
 * or fPort unless the command line gives it (`given`), or a column for something it gives.
 */
function checkHeader(header: string[], given: readonly string[]): string[] {
  const unknown = header.filter((name) => !CSV_COLUMNS.includes(name));
  if (unknown.length) {
    throw new HeaderProblem(
      `unknown column(s) ${unknown.join(', ')}; the columns are ${CSV_COLUMNS.join(', ')}`,
    );
  }
  if (new Set(header).size !== header.length) throw new HeaderProblem('a column appears twice');
  const twice = header.filter((name) => given.includes(fieldOf(name)));
  if (twice.length) {
    throw new HeaderProblem(
      `column(s) ${twice.join(', ')} and the command line both give ${[...new Set(twice.map(fieldOf))].join(', ')}: remove the column or the flag`,
    );
  }
  const missing = ['device', 'fPort'].filter(
    (name) => !header.includes(name) && !given.includes(name),
  );
  const hasPayload = header.some((name) => (PAYLOAD_COLUMNS as readonly string[]).includes(name));
  if (!hasPayload && !given.includes('payload')) missing.push('hex, base64 or text');
  if (missing.length) {
    throw new HeaderProblem(
      `missing column(s): ${missing.join('; ')} (or give the value of every row once as a flag, such as --fport 2 --hex 01)`,
    );
  }
  return header;
}

/** Digits become a number; anything else stays text for the helpers to refuse by name. */
const numberOrText = (value: string): number | string =>
  /^\d+$/.test(value) ? Number(value) : value;

/** A CSV row as a `sendDownlink` input; empty cells are absent values. */
function toItem(row: Record<string, string>): (SendDownlinkOptions & { id?: string }) | string {
  const payloads = PAYLOAD_COLUMNS.filter((name) => row[name] !== undefined && row[name] !== '');
  const present = PAYLOAD_COLUMNS.filter((name) => row[name] !== undefined);
  if (payloads.length > 1) return `one payload per row, got ${payloads.join(' and ')}`;
  // An empty cell in the file's only payload column is an empty payload (LoRaWAN allows it).
  const form = payloads[0] ?? (present.length === 1 ? present[0] : undefined);
  const item: Record<string, unknown> = { device: row.device };
  // No payload column at all: the command line gives the payload (checked with the header).
  if (present.length > 0) {
    if (form === undefined) return 'no payload: fill one of the hex, base64 or text cells';
    item.payload = { [form]: row[form] };
  }
  if (row.fPort !== undefined) item.fPort = numberOrText(row.fPort);
  for (const flag of ['confirm', 'flushQueue'] as const) {
    const cell = (row[flag] ?? '').toLowerCase();
    if (cell === '') continue;
    if (!(cell in BOOLEANS)) return `${flag}: expected true or false, got "${row[flag]}"`;
    item[flag] = BOOLEANS[cell];
  }
  if (row.region) item.region = row.region;
  if (row.dataRate) item.dataRate = numberOrText(row.dataRate);
  if (row.id) item.id = row.id;
  return item as unknown as SendDownlinkOptions & { id?: string };
}

/**
 * csv-parse decodes the file as UTF-8, turning bytes that are not UTF-8 (a file saved as
 * Latin-1: "25°C" is `32 35 B0 43`) into U+FFFD, which would be sent as `EF BF BD`. A cell
 * holding U+FFFD is refused: either such bytes were there, or the character was already lost
 * to an earlier conversion; neither is what the operator meant to send.
 */
function notUtf8(row: Record<string, string>): string | undefined {
  const column = Object.keys(row).find((name) => row[name]?.includes('\uFFFD'));
  if (column === undefined) return undefined;
  return `${column}: bytes that are not UTF-8 (shown as U+FFFD): save the file as UTF-8 (iconv -f latin1 -t utf-8 old > new)`;
}

/** Line breaks in a cell: CRLF, LF or CR, each one break (as an editor counts lines). */
const lineBreaks = (text: string): number => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/**
 * The line each record starts on, as an editor numbers them. csv-parse's own `info.lines`
 * is where a record ends, and counts a CRLF inside quotes as two lines, shifting every later
 * row; this counts from the end of the previous record, the blank lines skipped since, and
 * the line breaks inside the record's cells.
 */
class LineCounter {
  /** The header is line 1 (blank lines before it are counted with those skipped later). */
  private previousEnd = 1;
  private previousEmpty = 0;

  /** The first line of the record that ends here. */
  start(emptyLines: number, cells: readonly string[]): number {
    const start = this.previousEnd + 1 + emptyLines - this.previousEmpty;
    this.previousEnd = start + cells.reduce((sum, cell) => sum + lineBreaks(cell), 0);
    this.previousEmpty = emptyLines;
    return start;
  }
}

/**
 * A CSV file with a header row, parsed by csv-parse (quotes, embedded commas and newlines,
 * BOM, CRLF), streamed. A row that cannot be read is reported for its line; a file that
 * stops being CSV (an unclosed quote) ends the input with one last invalid entry.
 */
export async function* readCsv(
  input: NodeJS.ReadableStream,
  usage: string,
  given: readonly string[] = [],
): AsyncGenerator<Entry> {
  // Loaded for CSV input only, keeping it out of every other command's start-up.
  const { parse } = await import('csv-parse');
  const parser = input.pipe(
    parse({
      bom: true,
      columns: (header: string[]) => checkHeader(header, given),
      info: true,
      // An unclosed quote would otherwise take the rest of the file into one cell, in memory.
      max_record_size: MAX_LINE_BYTES,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }),
  );
  const lines = new LineCounter();
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { empty_lines: number; error?: { code: string; record?: string[] } };
    }>) {
      // A row with too many cells loses the extra ones from `record`; the error keeps them all,
      // and their line breaks move every later line.
      const cells = info.error?.record ?? Object.values(record);
      const line = lines.start(info.empty_lines, cells);
      if (info.error) {
        yield { line, problem: 'wrong number of cells for the header' };
        continue;
      }
      const lost = notUtf8(record);
      if (lost !== undefined) {
        yield { line, problem: lost };
        continue;
      }
      const item = toItem(record);
      yield typeof item === 'string' ? { line, problem: item } : { line, item };
    }
  } catch (error) {
    if (
      error instanceof HeaderProblem ||
      (error as { cause?: unknown }).cause instanceof HeaderProblem
    ) {
      throw new UsageError(`CSV header: ${(error as Error).message}`, usage);
    }
    const emptyLines = (error as { empty_lines?: number }).empty_lines ?? 0;
    yield {
      line: lines.start(emptyLines, []),
      problem: `not valid CSV from here on (${(error as { code?: string }).code ?? 'parse error'})`,
    };
  }
}
