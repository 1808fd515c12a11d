import { InvalidRequestError } from '../errors.js';

/** An RFC 9110 token: what a header name may be. */
const NAME = /^[!#$%&'*+.^_`|~\w-]+$/;
/** Visible Latin-1 characters, spaces and tabs: no CR, LF, NUL or other control character. */
const VALUE = /^[\t -~\x80-\xff]*$/;
/**
 * Headers that frame the message or hold the connection: fetch sets them from the request. A
 * caller's `content-length: 1` would cut the body short and send the rest to the server as a
 * second, malformed request; the others make undici fail as if the request might have gone.
 */
const FRAMING = /^(content-length|transfer-encoding|connection|keep-alive|upgrade|expect)$/i;

/**
 * Request headers as a plain object (fetch builds its own `Headers` from it). Later sources
 * win over `base` and each other; names are lower-cased so a caller's `authorization` can't sit
 * beside the client's own, which comes last.
 *
 * Every name and value is checked before anything is sent: a CR or LF in a value could add
 * headers of the caller's choosing, and fetch would otherwise fail with an error quoting the
 * value (a token, say). The `InvalidRequestError` names the header, never its value.
 */
export function headersFor(
  sources: unknown[],
  base: Record<string, string> = { accept: 'application/json' },
): Record<string, string> {
  const headers = { ...base };
  for (const source of sources as (Record<string, unknown> | undefined)[]) {
    for (const name in source) {
      const value = source[name];
      if (value === undefined || value === null) continue;
      if (!NAME.test(name) || !VALUE.test(String(value))) {
        // A bad name is not quoted either: it could hold the same characters.
        throw new InvalidRequestError(
          NAME.test(name) ? `header ${name}` : 'headers',
          'holds a name or value a header cannot carry (CR, LF, control characters)',
        );
      }
      if (FRAMING.test(name)) {
        throw new InvalidRequestError(`header ${name}`, 'is set by the client');
      }
      headers[name.toLowerCase()] = String(value);
    }
  }
  return headers;
}
