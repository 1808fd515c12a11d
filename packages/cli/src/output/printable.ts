/**
 * Control characters (C0 and C1, so CR, LF and ESC) and the Unicode direction overrides, which
 * can make a terminal line read differently from what it holds.
 */
const UNPRINTABLE = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;

/**
 * Text from a file, the command line or a server, made safe for one line of a terminal: each
 * unprintable character is shown as a `\uXXXX` escape, so a value can neither break the line
 * (a forged "queued" line) nor send escape sequences to the terminal. JSON output needs none of
 * this: JSON.stringify escapes control characters itself.
 */
export function printable(value: unknown): string {
  return String(value).replace(
    UNPRINTABLE,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
