import { CredentialsError } from '../exit-codes.js';

/**
 * Visible ASCII: what a bearer token holds (a JWT, RFC 6750's `b64token`). A space, a line
 * break, a control character or non-ASCII text would fail later as a bad HTTP header
 * ("header authorization: ...") without naming the variable it came from.
 */
const TOKEN_CHARACTER = /[\x21-\x7e]/;

/** The character a token may not hold, named without showing the token. */
function describe(c: string): string {
  if (c === ' ' || c === '\t') return 'a space';
  if (c === '\r' || c === '\n') return 'a line break';
  if (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) return 'a control character';
  return 'a character that is not ASCII';
}

/**
 * `DX_TOKEN`, ready for the Authorization header. One trailing line break is removed: a token
 * kept in a file ends with one, and an `EnvironmentFile` or a secret mounted from a file keeps
 * it (`"$(cat token)"` would have stripped it); it is never part of a token, and `dx config
 * set --secret-stdin` removes it from a secret the same way. Anything else a token cannot hold
 * is refused (exit 4) naming `DX_TOKEN` and the position, never the token.
 */
export function tokenFromEnv(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const token = value.replace(/\r?\n$/, '');
  if (token === '') return undefined;
  const characters = [...token];
  const at = characters.findIndex((c) => !TOKEN_CHARACTER.test(c));
  if (at < 0) return token;
  throw new CredentialsError(
    `DX_TOKEN: character ${at + 1} of ${characters.length} is ${describe(characters[at] ?? '')}, ` +
      'which a bearer token cannot hold (visible ASCII only): set DX_TOKEN to the token alone',
  );
}
