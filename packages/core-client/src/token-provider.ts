/**
 * Access tokens for the DX APIs: an OAuth2 client-credentials provider for the DX Admin API's
 * token endpoint, and a static provider for callers who already hold a token.
 *
 * Neither the client secret nor any access token ever reaches an error: messages are built
 * from the status and a few named fields only, the endpoint's text is scrubbed of the secret,
 * and network failures get a rebuilt cause rather than the original object.
 */

import { AuthError } from './errors.js';
import {
  booleanOption,
  fail,
  functionOption,
  numberOption,
  stringOption,
  urlOption,
} from './options.js';
import { fetchText, type Exchange } from './runtime/fetch-text.js';

/**
 * Supplies the bearer token for each request.
 *
 * @example
 * ```ts
 * const provider: TokenProvider = staticTokenProvider('eyJ...');
 * const headers = { Authorization: `Bearer ${await provider.getToken()}` };
 * ```
 */
export interface TokenProvider {
  /** Resolves to a token usable right now; rejects with an `AuthError`. */
  getToken(): Promise<string>;
  /**
   * Forgets the cached token so the next `getToken()` fetches a new one. With an argument,
   * only if the cache still holds that token: a 401 for a token that has already been replaced
   * must not evict its fresh successor.
   */
  invalidate(token?: string): void;
}

/**
 * Settings of {@link createTokenProvider}.
 *
 * @example
 * ```ts
 * const options: TokenProviderOptions = { clientId: 'tpk/login', clientSecret: 'secret' };
 * ```
 */
export interface TokenProviderOptions {
  /** DX client id, of the form `<targetProfileId>/<login>`. */
  clientId: string;
  clientSecret: string;
  /** Default {@link DEFAULT_TOKEN_URL}; self-hosted: `https://<host>/thingpark/dx/admin/latest/api/oauth/token`. */
  tokenUrl?: string;
  /** Sent as the `renewToken` form field when given. */
  renewToken?: boolean;
  /** Sent as the `validityPeriod` form field when given, e.g. `infinite` or `90days`. */
  validityPeriod?: string;
  /** Defaults to the global `fetch`, looked up at request time. */
  fetch?: typeof fetch;
  /** Abort the token request (including reading its body) after this long. Default `10000`. */
  timeoutMs?: number;
  /**
   * Fetch a new token this long before the current one expires. Default `60000`, but never
   * more than half the token's lifetime, so a short-lived token is still reused.
   */
  refreshMarginMs?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
  /** Sent as `User-Agent` when given (browsers may ignore it). */
  userAgent?: string;
}

/**
 * The DX Admin API token endpoint on the ThingPark cloud.
 *
 * @example
 * ```ts
 * createTokenProvider({ clientId, clientSecret, tokenUrl: DEFAULT_TOKEN_URL });
 * ```
 */
export const DEFAULT_TOKEN_URL = 'https://dx-api.thingpark.com/admin/latest/api/oauth/token';

/** Used when `expires_in` is missing or not a positive number: refetching hourly is cheap. */
const DEFAULT_LIFETIME_MS = 3_600_000;
/**
 * `validityPeriod=infinite` can come back as an enormous `expires_in`. Capping the lifetime
 * keeps the arithmetic finite and bounds how long one token lives in memory.
 */
const MAX_LIFETIME_MS = 86_400_000;
/** Error text taken from the token endpoint is trimmed to this many characters per field. */
const MAX_FIELD_LENGTH = 200;

interface CachedToken {
  token: string;
  refreshAt: number;
}

/**
 * Creates a cached, single-flight OAuth2 client-credentials token provider for the DX Admin
 * API. Concurrent `getToken()` calls share one request; a failure is not cached, so the next
 * call tries again. Failures reject with `AuthError` (`step` is `token-request` when the
 * endpoint could not be reached or answered non-2xx, `token-response` when a 2xx answer holds
 * no usable token). Invalid options throw `TypeError`/`RangeError` immediately.
 *
 * Works on its own for any DX endpoint, not only through the generated client.
 *
 * @example
 * ```ts
 * const tokens = createTokenProvider({
 *   clientId: 'my-target-profile/my-login',
 *   clientSecret: process.env.DX_CLIENT_SECRET!,
 * });
 * const res = await fetch('https://dx-api.thingpark.com/core/latest/api/devices', {
 *   headers: { Authorization: `Bearer ${await tokens.getToken()}` },
 * });
 * if (res.status === 401) tokens.invalidate(); // next getToken() fetches a fresh token
 * ```
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object');
  const tokenUrl = urlOption('tokenUrl', options.tokenUrl ?? DEFAULT_TOKEN_URL);
  const secret = stringOption('clientSecret', options.clientSecret);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: stringOption('clientId', options.clientId),
    client_secret: secret,
  });
  const renewToken = booleanOption('renewToken', options.renewToken);
  if (renewToken !== undefined) form.set('renewToken', String(renewToken));
  const { validityPeriod } = options;
  if (validityPeriod !== undefined)
    form.set('validityPeriod', stringOption('validityPeriod', validityPeriod));
  const fetchImpl = functionOption('fetch', options.fetch);
  const timeoutMs = numberOption('timeoutMs', options.timeoutMs, 10_000, true);
  const marginMs = numberOption('refreshMarginMs', options.refreshMarginMs, 60_000, false);
  const now = options.now ?? Date.now;
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (options.userAgent !== undefined) headers['User-Agent'] = options.userAgent;
  // Origin and path only: the query and user info could carry credentials.
  const { origin, pathname } = new URL(tokenUrl);
  const where = `token endpoint ${origin}${pathname}`;
  // Endpoints have been known to echo their input; the secret must not ride into a message.
  // Scrubbed before it is cut, so a cut can't leave a prefix of the secret behind.
  const scrub = (text: string): string =>
    text.split(secret).join('[redacted]').slice(0, MAX_FIELD_LENGTH);
  let cached: CachedToken | undefined;
  let inflight: Promise<string> | undefined;

  const refresh = async (): Promise<string> => {
    try {
      const startedAt = now();
      const exchange = await fetchText(
        fetchImpl,
        tokenUrl,
        // Following a redirect would resend the client secret to wherever Location points.
        { method: 'POST', headers, body: form.toString(), redirect: 'error' },
        timeoutMs,
      );
      if (exchange.kind !== 'response') throw requestFailure(exchange, where, timeoutMs, scrub);
      const { status, statusText } = exchange.response;
      const body = parseJson(exchange.text);
      if (status < 200 || status > 299) {
        const fields = [body?.['error'], body?.['error_description'], body?.['message']];
        const detail = fields.map((f) => (typeof f === 'string' && f ? `: ${scrub(f)}` : ''));
        const message = `${where} answered ${status} ${statusText}`.trim() + detail.join('');
        throw new AuthError('token-request', message, { status });
      }
      const token = body?.['access_token'];
      if (typeof token !== 'string' || !token) {
        const problem = body ? 'no usable access_token' : 'the body is not a JSON object';
        throw new AuthError('token-response', `${where} answered ${status} but ${problem}`, {
          status,
        });
      }
      const lifetimeMs = lifetimeFrom(body?.['expires_in']);
      // Counted from before the request was sent: clock skew and latency only make it earlier.
      cached = { token, refreshAt: startedAt + lifetimeMs - Math.min(marginMs, lifetimeMs / 2) };
      return token;
    } finally {
      inflight = undefined;
    }
  };

  return {
    getToken(): Promise<string> {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      return (inflight ??= refresh());
    },
    invalidate(token?: string): void {
      if (token === undefined || cached?.token === token) cached = undefined;
    },
  };
}

/**
 * The original fetch error is not attached: its cause chain holds undici internals (sockets,
 * parser buffers with response bytes) that nobody audited for secrets. A rebuilt cause keeps
 * the code and the scrubbed innermost message, which is what a reader needs.
 */
function requestFailure(
  exchange: Exclude<Exchange, { kind: 'response' }>,
  where: string,
  timeoutMs: number,
  scrub: (text: string) => string,
): AuthError {
  if (exchange.kind !== 'network') {
    return new AuthError('token-request', `${where} timed out after ${timeoutMs} ms`);
  }
  let { error } = exchange;
  let detail = 'network error';
  for (let depth = 0; depth < 8 && error instanceof Error; depth++) {
    detail = error.message;
    error = error.cause;
  }
  const { code } = exchange;
  detail = scrub(detail);
  return new AuthError('token-request', `${where} failed: ${code ?? 'network error'} (${detail})`, {
    cause: Object.assign(new Error(detail), { code }),
  });
}

/** A JSON object, or `undefined` for anything else (arrays, broken JSON, HTML). */
function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // Not JSON.
  }
  return undefined;
}

function lifetimeFrom(expiresIn: unknown): number {
  const seconds =
    typeof expiresIn === 'number' || typeof expiresIn === 'string' ? Number(expiresIn) : NaN;
  return seconds > 0 ? Math.min(seconds * 1000, MAX_LIFETIME_MS) : DEFAULT_LIFETIME_MS;
}

/**
 * Wraps a token the caller already has. A string is returned as is; a function is called for
 * every `getToken()` (so it can read a rotating value) and must resolve to a non-empty string,
 * otherwise `getToken()` rejects with `AuthError` step `token-provider`. `invalidate` does
 * nothing: there is no cache to drop.
 *
 * @example
 * ```ts
 * const fixed = staticTokenProvider(process.env.DX_TOKEN!);
 * const rotating = staticTokenProvider(async () => vault.read('dx-token'));
 * ```
 */
export function staticTokenProvider(
  token: string | (() => string | Promise<string>),
): TokenProvider {
  const invalidate = (): void => undefined;
  if (typeof token === 'function') return { getToken: () => callTokenFunction(token), invalidate };
  if (typeof token !== 'string' || token === '') {
    fail('token', 'must be a non-empty string or a function returning one');
  }
  return { getToken: () => Promise.resolve(token), invalidate };
}

async function callTokenFunction(fn: () => string | Promise<string>): Promise<string> {
  let value: unknown;
  try {
    value = await fn();
  } catch (err) {
    if (err instanceof AuthError) throw err;
    throw new AuthError('token-provider', 'the token function threw', { cause: err });
  }
  if (typeof value !== 'string' || value === '') {
    const got = value === '' ? 'an empty string' : typeof value;
    throw new AuthError('token-provider', `the token function returned ${got}, not a token`);
  }
  return value;
}
