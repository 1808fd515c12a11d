import { FLAG_OF, type DownlinkSettings } from '../downlink-flags.js';
import { isBad, type Entry } from './entries.js';

/**
 * Every line gets the downlink settings given once on the command line (`--hex 01 --fport 2`
 * for a file of devices). A line that gives one of them itself is invalid: which of the two
 * should win is not for `dx` to guess.
 */
export async function* withSettings(
  entries: AsyncIterable<Entry>,
  settings: DownlinkSettings,
): AsyncGenerator<Entry> {
  const given = Object.keys(settings);
  for await (const entry of entries) {
    if (given.length === 0 || isBad(entry)) {
      yield entry;
      continue;
    }
    const item = entry.item as unknown as Record<string, unknown>;
    const twice = given.filter((key) => item[key] !== undefined);
    if (twice.length > 0) {
      const flags = twice.map((key) => FLAG_OF[key] ?? key).join('; ');
      yield {
        line: entry.line,
        problem: `${twice.join(', ')} given both in the line and on the command line (${flags}): give each in one place`,
      };
      continue;
    }
    yield { line: entry.line, item: { ...entry.item, ...settings } };
  }
}
