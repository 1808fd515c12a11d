/**
 * The type of a crawled parameter that has none, read from its name and description. Only the
 * three types the crawl's descriptions tell apart; anything else is a string, which the
 * hand-written overlay can narrow.
 */
export type ParameterType = 'boolean' | 'integer' | 'string';

/** Name words that count things: `pageIndex`, `pageSize`, `limit`, `offset`, `count`. */
const COUNTING_WORDS = new Set(['page', 'size', 'limit', 'offset', 'count']);

export function inferParameterType(name: string, description: unknown): ParameterType {
  const text = typeof description === 'string' ? description.trim() : '';
  const nameWords = name.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])/).map((w) => w.toLowerCase());
  if (nameWords.some((w) => COUNTING_WORDS.has(w))) return 'integer';
  // "Indicates to send a confirmation", "Whether ...", "If true, forces ...": a flag.
  if (/^(indicates|whether|if true)\b/i.test(text)) return 'boolean';
  if (/\bnumber of\b/i.test(text)) return 'integer';
  return 'string';
}
