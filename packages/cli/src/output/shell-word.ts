/** Characters no POSIX shell treats specially in an unquoted word. */
const PLAIN = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** Control characters, which a terminal would obey and single quotes would keep raw. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * One word of a command a message suggests, quoted so that pasting the command runs it on that
 * word: `chmod 600 '/x/my configs/dx/config.json'`, `dx config set --profile 'prod;id'`. Plain
 * words stay bare; anything else goes in single quotes (a quote inside as `'\''`), and a word
 * with control characters in `$'...'` (bash, zsh, ksh) with each of them escaped, so the
 * message stays one line that shows what it holds.
 */
export function shellWord(word: string): string {
  if (PLAIN.test(word)) return word;
  if (!CONTROL.test(word)) return `'${word.replaceAll("'", "'\\''")}'`;
  const escaped = [...word]
    .map((c) => {
      if (c === "'" || c === '\\') return `\\${c}`;
      const code = c.codePointAt(0) ?? 0;
      return CONTROL.test(c) ? `\\x${code.toString(16).padStart(2, '0')}` : c;
    })
    .join('');
  return `$'${escaped}'`;
}
