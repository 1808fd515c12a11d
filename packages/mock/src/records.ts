/**
 * What the mock remembers: every request (secrets redacted) and every accepted downlink, so a
 * test can assert what its code sent and what DX would have queued.
 */
import type { DxFault } from './behaviour/faults.js';

/**
 * What a secret is replaced with in the records.
 *
 * @example
 * ```ts
 * mock.requests[0]?.headers['authorization']; // `Bearer ${REDACTED}`
 * ```
 */
export const REDACTED = '[redacted]';

/**
 * One request as the mock saw it, in arrival order.
 *
 * @example
 * ```ts
 * const failed: DxRequestRecord[] = mock.requests.filter((r) => (r.status ?? 0) >= 400);
 * ```
 */
export interface DxRequestRecord {
  /** 1 for the first request this mock saw. */
  seq: number;
  /** Upper case, as received. */
  method: string;
  /** Path as received (still percent-encoded), without the query. */
  path: string;
  /** Query parameters as text; a repeated name gives an array. */
  query: Record<string, string | string[]>;
  /** Lower-case names; `authorization`, `cookie` and similar carry `[redacted]` values. */
  headers: Record<string, string>;
  /**
   * The body parsed (JSON or form), `securityParams.asKey` and `client_secret` redacted; the
   * text itself when it did not parse; `undefined` when empty or not valid UTF-8.
   */
  body: unknown;
  /** `token` (the OAuth2 endpoint), `api` (under the base URL), `preflight` or `unknown`. */
  endpoint: 'token' | 'api' | 'preflight' | 'unknown';
  /** The spec operation matched, when one was. */
  operationId?: string;
  /** The bearer token's state, for operations that need one. */
  auth?: 'valid' | 'missing' | 'invalid' | 'expired';
  /** The scripted fault or limit applied, if any. */
  fault?: DxFault | 'rate-limit';
  /** `answered`; `no-answer` (a timeout fault); `reset` (connection reset); `pending` meanwhile. */
  outcome: 'pending' | 'answered' | 'no-answer' | 'reset';
  /** The status answered; absent when there was no answer. */
  status?: number;
  /** `code`, `message` and `field` of an error answer. */
  error?: { code: string; message: string; field?: string };
  /** A downlink was queued by this request (true even when the client never heard back). */
  queued: boolean;
  /** The id of the downlink queued, when one was. */
  downlinkId?: string;
}

/**
 * A downlink the mock accepted, as DX would have queued it.
 *
 * @example
 * ```ts
 * const [first]: DxDownlinkRecord[] = mock.downlinks;
 * first?.bytes; // Uint8Array [3, 103, 1, 16]
 * ```
 */
export interface DxDownlinkRecord {
  /** The id the mock answered with. */
  id: string;
  /** The `seq` of the request that queued it. */
  requestSeq: number;
  /** Device ref or DevEUI, percent-decoded, as in the path. */
  device: string;
  /** `payloadHex` as sent. */
  payloadHex: string;
  /** The payload bytes. */
  bytes: Uint8Array;
  /** The (first) FPort of `targetPorts`. */
  fPort: number;
  /** Every port of `targetPorts` (it may be a comma-separated list). */
  fPorts: number[];
  /** `confirmDownlink` */
  confirm: boolean;
  /** `flushDownlinkQueue` */
  flush: boolean;
  /** Whether the request carried `securityParams` (their values are not kept). */
  securityParams: boolean;
  /** When the mock accepted it (ISO 8601, from the `now` clock). */
  receivedAt: string;
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);
const SECRET_FIELDS = new Set([
  'asKey',
  'client_secret',
  'clientSecret',
  'access_token',
  'password',
]);

export function redactHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!SECRET_HEADERS.has(name)) out[name] = value;
    else if (name === 'authorization' && /^\S+\s/.test(value)) {
      out[name] = `${value.split(/\s/, 1)[0]} ${REDACTED}`;
    } else out[name] = REDACTED;
  }
  return out;
}

/**
 * In a body kept as text (it did not parse: broken JSON, a token request that is not a form),
 * the value after each secret name, `"asKey":"..."` or `client_secret=...`.
 */
const SECRET_IN_TEXT = new RegExp(
  `(["']?(?:${[...SECRET_FIELDS].join('|')})["']?\\s*[:=]\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^&,}\\s]*)`,
  'g',
);

const redactText = (text: string): string =>
  text.replace(SECRET_IN_TEXT, (_, name: string, value: string) =>
    value.startsWith('"') ? `${name}"${REDACTED}"` : `${name}${REDACTED}`,
  );

/**
 * A deep copy with secret-named fields replaced, at any depth; a body kept as text has the
 * values after secret names replaced.
 */
export function redactBody(value: unknown, depth = 0): unknown {
  if (typeof value === 'string' && depth === 0) return redactText(value);
  if (typeof value !== 'object' || value === null || depth > 32) return value;
  if (Array.isArray(value)) return value.map((v) => redactBody(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [
      k,
      SECRET_FIELDS.has(k) ? REDACTED : redactBody(v, depth + 1),
    ]),
  );
}

/** A URL's query string for a log line, secret-named parameters redacted. */
export function redactedSearch(params: URLSearchParams): string {
  const shown = new URLSearchParams(params);
  for (const name of new Set(shown.keys())) if (SECRET_FIELDS.has(name)) shown.set(name, REDACTED);
  const search = shown.toString();
  return search === '' ? '' : `?${search}`;
}

export function queryOf(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const name of new Set(params.keys())) {
    const all = params.getAll(name);
    query[name] = all.length === 1 ? all[0]! : all;
  }
  return query;
}

export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}
