/**
 * The most a line of input may hold. A downlink item is a few hundred bytes (242 payload bytes
 * are 484 hex digits); a longer line is not an item, and reading it whole would take memory
 * without bound (a JSON array exported on one line, a binary file given by mistake).
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** A line over {@link MAX_LINE_BYTES}: its bytes were skipped up to the next line break. */
export const TOO_LONG = Symbol('line too long');

/**
 * The stream's lines (LF or CRLF; a lone CR is not a line break), decoded as UTF-8, holding
 * at most one line of {@link MAX_LINE_BYTES} in memory: `node:readline` keeps any line whole,
 * however long.
 */
export async function* readLines(
  input: NodeJS.ReadableStream,
): AsyncGenerator<string | typeof TOO_LONG> {
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  const endLine = (): string | typeof TOO_LONG => {
    const text = Buffer.concat(parts).toString('utf8');
    const line = tooLong ? TOO_LONG : text.endsWith('\r') ? text.slice(0, -1) : text;
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
