/**
 * The secrets of one client (client secret, access tokens, the `asKey` of a body being sent)
 * and the scrubbing of every text an error keeps. A server can echo a secret in the form it
 * received it or in another: raw, URL- or form-encoded (`%20` or `+`, either hex case),
 * JSON-escaped, base64 or base64url (also inside a longer base64 text, such as a Basic
 * credential). Each secret is turned into all those forms once, when it becomes known.
 */

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Base64 fragments shorter than this are too likely to occur by chance to be scrubbed. */
const MIN_BASE64_FRAGMENT = 6;

/**
 * Every form of `secret` that a server could echo, up to the case of letters: they are matched
 * ignoring case, which covers hex escapes in either case (and scrubs a little more, never less).
 */
export function encodings(secret: string): string[] {
  const form = new URLSearchParams({ s: secret }).toString().slice(2);
  let uri = form;
  try {
    uri = encodeURIComponent(secret);
  } catch {
    // A lone surrogate, which encodeURIComponent refuses and the form encoding replaces.
  }
  const json = JSON.stringify(secret).slice(1, -1);
  const forms = [
    secret,
    json,
    json.replace(/\//g, '\\/'),
    // JSON with every non-ASCII character escaped.
    json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
    form,
    uri,
    uri.replace(/%20/g, '+'),
  ];
  // Base64 and base64url: the characters that depend on the secret's bytes alone, for the
  // secret starting at each of the three byte offsets a longer base64 text can put it at.
  const bytes = new TextEncoder().encode(secret);
  for (let offset = 0; offset < 3; offset++) {
    const encoded = btoa(String.fromCharCode(...new Uint8Array(offset), ...bytes));
    const fragment = encoded.slice(
      Math.ceil((4 * offset) / 3),
      Math.floor((4 * (offset + bytes.length)) / 3),
    );
    if (fragment.length >= MIN_BASE64_FRAGMENT) {
      forms.push(fragment, fragment.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return forms;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Holds secrets and scrubs them from text. Past access tokens are kept (a few) because an
 * error can be built from an answer to a request that carried an older token.
 */
export class Redactor {
  #secrets: string[] = [];

  /**
   * Adds a secret (ignored when empty). Keeps the first one, the client's own (its client
   * secret or fixed token, added at creation), and the 31 most recent: a long run sends many
   * tokens, and dropping the oldest would stop scrubbing the client secret.
   */
  add(secret: unknown): void {
    if (typeof secret !== 'string' || !secret || this.#secrets.includes(secret)) return;
    const secrets = this.#secrets;
    this.#secrets = [...secrets.slice(0, 1), secret, ...secrets.slice(1, 31)];
  }

  /** This redactor's secrets and `extra` ones, for one call. */
  with(extra: unknown[]): Redactor {
    const copy = new Redactor();
    copy.#secrets = this.#secrets;
    for (const secret of extra) copy.add(secret);
    return copy;
  }

  /**
   * `text` with every form of every secret replaced by {@link REDACTED}. A `truncated` text may
   * end with the beginning of a secret, which no pattern matches: it also loses as many
   * characters at its end as the longest form of a secret has, less one.
   */
  scrub(text: string, truncated = false): string {
    if (!this.#secrets.length) return text;
    const forms = [...new Set(this.#secrets.flatMap(encodings))];
    // Longest first, so a secret is never partly replaced by a shorter one it contains.
    forms.sort((a, b) => b.length - a.length);
    // Built on each use: only errors are scrubbed, and they are rare.
    const clean = text.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'gi'), REDACTED);
    return truncated ? clean.slice(0, Math.max(0, clean.length - forms[0]!.length + 1)) : clean;
  }
}
