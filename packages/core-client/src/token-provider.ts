/**
 * Access tokens for the DX APIs: an OAuth2 client-credentials provider for the DX Admin API's
 * token endpoint, and a static provider for callers who already hold a token.
 *
 * Neither the client secret nor any access token ever reaches an error: messages are built
 * from the status and a few named fields only, the endpoint's text is scrubbed of the secret,
 * and network failures get a rebuilt cause rather than the original object.
 */

import { AuthError, type NetworkError } from './errors.js';
import { fail, validate } from './options.js';
import { fetchText } from './runtime/fetch-text.js';

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
  const o = validate<TokenProviderOptions & { tokenUrl: string; timeoutMs: number; refreshMarginMs: number }>(
    'options',
    options,
    {
      tokenUrl: 'u',
      clientId: 'S',
      clientSecret: 'S',
      renewToken: 'b',
      validityPeriod: 's',
      fetch: 'f',
      timeoutMs: 'p',
      refreshMarginMs: 'n',
    },
    { tokenUrl: DEFAULT_TOKEN_URL, timeoutMs: 10_000, refreshMarginMs: 60_000 },
  );
  const { clientSecret, renewToken, validityPeriod, timeoutMs } = o;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: o.clientId,
    client_secret: clientSecret,
  });
  if (renewToken !== undefined) form.set('renewToken', String(renewToken));
  if (validityPeriod) form.set('validityPeriod', validityPeriod);
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  if (options.userAgent !== undefined) headers['user-agent'] = options.userAgent;
  const now = options.now ?? Date.now;
  // Origin and path only: the query and user info could carry credentials.
  const { origin, pathname } = new URL(o.tokenUrl);
  const info = { method: 'POST', url: origin + pathname };
  // Endpoints have been known to echo their input; the secret must not ride into a message.
  // Scrubbed before it is cut, so a cut can't leave a prefix of the secret behind.
  const scrub = (text: string): string =>
    text.split(clientSecret).join('[redacted]').slice(0, 200);
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  const refresh = async (): Promise<string> => {
    const startedAt = now();
    let exchange: [Response, string];
    try {
      // Following a redirect would resend the client secret to wherever Location points.
      const init: RequestInit = { method: 'POST', headers, body: `${form}`, redirect: 'error' };
      exchange = await fetchText(o.fetch, o.tokenUrl, init, timeoutMs, info);
    } catch (error) {
      // The fetch error is not attached: its cause chain holds undici internals (sockets,
      // parser buffers with response bytes) nobody audited for secrets. Its code is enough.
      const { message, code } = error as NetworkError;
      const cause = code && Object.assign(new Error(code), { code });
      throw new AuthError('token-request', message, cause ? { cause } : {});
    }
    const [{ ok, status, statusText }, text] = exchange;
    const body = parseJson(text);
    if (!ok) {
      const fields = [body?.['error'], body?.['error_description'], body?.['message']];
      const detail = fields.filter((f): f is string => typeof f === 'string' && f !== '');
      const summary = `${info.method} ${info.url} failed with ${status} ${statusText}`.trim();
      throw new AuthError('token-request', [summary, ...detail.map(scrub)].join(': '), { status });
    }
    const token = body?.['access_token'];
    if (typeof token !== 'string' || !token) {
      const message = `${info.method} ${info.url} answered ${status} without a usable access_token`;
      throw new AuthError('token-response', message, { status });
    }
    const lifetimeMs = lifetimeFrom(body?.['expires_in']);
    // Counted from before the request was sent: clock skew and latency only make it earlier.
    const margin = Math.min(o.refreshMarginMs, lifetimeMs / 2);
    cached = { token, refreshAt: startedAt + lifetimeMs - margin };
    return token;
  };

  return {
    getToken(): Promise<string> {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      return (inflight ??= refresh().finally(() => (inflight = undefined)));
    },
    invalidate(token?: string): void {
      if (token === undefined || cached?.token === token) cached = undefined;
    },
  };
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
  if (typeof value === 'string' && value) return value;
  throw new AuthError('token-provider', 'the token function returned no non-empty string');
}
