/**
 * The most a line of input may hold. A downlink item is a few hundred bytes (242 payload bytes
 * are 484 hex digits); a longer line is not an item, and reading it whole would take memory
 * without bound (a JSON array exported on one line, a binary file given by mistake).
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** A line over {@link MAX_LINE_BYTES}: its bytes were skipped up to the next line break. */
export const TOO_LONG = Symbol('line too long');

/**
 * A line holding bytes that are not UTF-8 (a file saved as Latin-1: "25°C" is `32 35 B0 43`).
 * Decoded, they would become U+FFFD and be sent as `EF BF BD`: the line is refused instead.
 */
export class NotUtf8 {
  constructor(
    /** The first such byte's value. */
    readonly byte: number,
    /** Its position in the line, from 1. */
    readonly position: number,
  ) {}

  /** What is wrong, and how to fix the file. */
  get problem(): string {
    const hex = this.byte.toString(16).toUpperCase().padStart(2, '0');
    return `bytes that are not UTF-8 (0x${hex} at byte ${this.position} of the line): save the file as UTF-8 (iconv -f latin1 -t utf-8 old > new)`;
  }
}

export type Line = string | typeof TOO_LONG | NotUtf8;

/**
 * The bytes as text, or where they stop being UTF-8. U+FFFD in the text is either in the file
 * (valid, and it encodes back to the same bytes) or stands for bytes that were not UTF-8.
 */
export function decodeUtf8(bytes: Buffer): string | NotUtf8 {
  const text = bytes.toString('utf8');
  if (!text.includes('\uFFFD')) return text;
  const back = Buffer.from(text, 'utf8');
  let at = 0;
  while (at < bytes.length && bytes[at] === back[at]) at += 1;
  return at === bytes.length && back.length === bytes.length
    ? text
    : new NotUtf8(bytes[at] ?? 0, at + 1);
}

/**
 * The stream's lines (LF or CRLF; a lone CR is not a line break), decoded as UTF-8 (strictly:
 * see {@link NotUtf8}), holding
 * at most one line of {@link MAX_LINE_BYTES} in memory: `node:readline` keeps any line whole,
 * however long.
 */
export async function* readLines(input: NodeJS.ReadableStream): AsyncGenerator<Line> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const endLine = (): Line => {
    const text = decodeUtf8(Buffer.concat(parts));
    const line = tooLong
      ? TOO_LONG
      : typeof text === 'string' && text.endsWith('\r')
        ? text.slice(0, -1)
        : text;
    parts = [];
    size = 0;
    tooLong = false;
    return line;
  };
  const keep = (bytes: Buffer): void => {
    if (tooLong) return;
    size += bytes.length;
    if (size > MAX_LINE_BYTES) {
      tooLong = true;
      parts = [];
    } else {
      parts.push(bytes);
    }
  };
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(10); end !== -1; end = bytes.indexOf(10, start)) {
      keep(bytes.subarray(start, end));
      yield endLine();
      start = end + 1;
    }
    // Copied, so that a short tail does not keep the whole chunk in memory.
    keep(Buffer.from(bytes.subarray(start)));
  }
  if (size > 0 || tooLong) yield endLine();
}
