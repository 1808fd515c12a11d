import type { SendDownlinkOptions } from '@dx/downlink-helpers';
import type { Entry } from './entries.js';
import { MAX_LINE_BYTES, NotUtf8, readLines, TOO_LONG } from './lines.js';

/**
 * One `sendDownlink` input as JSON per line, read lazily (memory stays flat for any file).
 * Blank lines are skipped but counted, so line numbers match an editor's; a leading byte order
 * mark is dropped. Only the JSON itself is checked here; the helpers validate the downlink.
 */
export async function* readJsonl(input: NodeJS.ReadableStream): AsyncGenerator<Entry> {
  let line = 0;
  for await (const text of readLines(input)) {
    line += 1;
    if (text === TOO_LONG) {
      yield {
        line,
        problem: `longer than ${MAX_LINE_BYTES / 1024} KiB, so not one downlink (a JSON array? jq -c '.[]' makes it JSON lines)`,
      };
      continue;
    }
    if (text instanceof NotUtf8) {
      yield { line, problem: text.problem };
      continue;
    }
    // Editors on Windows start a UTF-8 file with a byte order mark; it is not part of the JSON.
    const json = line === 1 && text.startsWith('\uFEFF') ? text.slice(1) : text;
    if (json.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      // The parser's message quotes the line, which may hold an AS key: say what, not what's in it.
      yield { line, problem: 'not valid JSON' };
      continue;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      yield { line, problem: 'expected a JSON object such as {"device","payload","fPort"}' };
      continue;
    }
    yield { line, item: value as SendDownlinkOptions & { id?: string } };
  }
}
