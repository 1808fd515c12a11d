/**
 * Access tokens for the DX APIs: an OAuth2 client-credentials provider for the DX Admin API's
 * token endpoint, and a static provider for callers who already hold a token.
 *
 * Neither the client secret nor any access token ever reaches an error: messages are built
 * from the status and a few named fields only, the endpoint's text is scrubbed of the secret,
 * and network failures get a rebuilt cause rather than the original object.
 */

import { about, AuthError, type ApiError, type AuthStep } from './errors.js';
import { checkBoolean, checkFunction, checkString } from './checks.js';
import { checkFields, checkNonNegative, checkPositiveDelay, checkUrl } from './options.js';
import { Redactor } from './redact.js';
import { fetchText, type Exchange } from './runtime/fetch-text.js';
import { headersFor } from './runtime/headers.js';

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

/**
 * Used when `expires_in` is missing or not a positive number: refetching hourly is cheap. An
 * enormous `expires_in` (as `validityPeriod=infinite` can give) is capped at a day, which keeps
 * the arithmetic finite and bounds how long one token lives in memory.
 */
const DEFAULT_LIFETIME_S = 3600;
const MAX_LIFETIME_S = 86_400;

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
  return clientCredentialsProvider(options, new Redactor());
}

/** {@link TokenProviderOptions} once checked: what `checkFields` returns. */
type Checked = Required<
  Pick<
    TokenProviderOptions,
    'tokenUrl' | 'clientId' | 'clientSecret' | 'timeoutMs' | 'refreshMarginMs'
  >
> &
  Pick<TokenProviderOptions, 'renewToken' | 'fetch'>;

/**
 * {@link createTokenProvider} with the redactor of the client it serves, which learns the
 * client secret here and scrubs it from every error of that client.
 */
export function clientCredentialsProvider(
  options: TokenProviderOptions,
  redactor: Redactor,
): TokenProvider {
  const o = checkFields<Checked>(
    'options',
    options,
    {
      tokenUrl: checkUrl,
      clientId: checkString,
      clientSecret: checkString,
      renewToken: checkBoolean,
      fetch: checkFunction,
      timeoutMs: checkPositiveDelay,
      refreshMarginMs: checkNonNegative,
    },
    {
      tokenUrl: DEFAULT_TOKEN_URL,
      renewToken: undefined,
      fetch: undefined,
      timeoutMs: 10_000,
      refreshMarginMs: 60_000,
    },
  );
  const { clientSecret, renewToken, tokenUrl, timeoutMs, refreshMarginMs } = o;
  redactor.add(clientSecret);
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: o.clientId,
    client_secret: clientSecret,
  });
  if (renewToken !== undefined) form.set('renewToken', `${renewToken}`);
  const { validityPeriod, now = Date.now } = options;
  if (validityPeriod !== undefined) {
    form.set('validityPeriod', checkString(validityPeriod, 'options.validityPeriod'));
  }
  const init: RequestInit = {
    method: 'POST',
    headers: headersFor([
      { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': options.userAgent },
    ]),
    // fetchText never follows a redirect, which would resend the secret to wherever it points.
    body: `${form}`,
  };
  // Origin and path only: the query could carry credentials (user info is refused above).
  const { origin, pathname } = new URL(tokenUrl);
  const info = { method: 'POST', url: origin + pathname };
  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  // Endpoints have been known to echo their input, so the secret is cut out of every message
  // in every form it could be echoed in, before the message is shortened.
  const reject = (step: AuthStep, what: string, details: object): never => {
    throw new AuthError(step, redactor.scrub(about(info, what)).slice(0, 600), details);
  };

  const refresh = async (): Promise<string> => {
    const startedAt = now();
    let exchange: Exchange;
    try {
      exchange = await fetchText(o.fetch, tokenUrl, init, timeoutMs, info, redactor);
    } catch (error) {
      // A NetworkError, TimeoutError or a redirect's ApiError (with its status): fetchText
      // already scrubbed all they hold from the endpoint, and `info` holds no secret.
      const { message, cause, status } = error as ApiError;
      throw new AuthError('token-request', message, { cause, status });
    }
    const {
      response: { ok, status, statusText },
      text,
      whole,
    } = exchange;
    let body: Record<string, unknown> = {};
    try {
      // Object(): `null` and other non-objects hold no fields rather than failing below.
      if (whole) body = Object(JSON.parse(text));
    } catch {
      // Not JSON (an HTML error page, say): no fields, no token.
    }
    if (!ok) {
      // The status, then the endpoint's own explanation when it gave one.
      const fields = [
        `failed with ${status} ${statusText}`.trim(),
        body.error,
        body.error_description,
        body.message,
      ];
      reject('token-request', fields.filter((f) => typeof f === 'string' && f).join(': '), {
        status,
      });
    }
    const token = body.access_token;
    if (typeof token !== 'string' || !token) {
      const problem = whole ? 'without a usable access_token' : 'with a body over the 1 MiB limit';
      return reject('token-response', `answered ${status} ${problem}`, {
        status,
      });
    }
    const lifetime = Number(body.expires_in);
    const lifetimeMs =
      1000 * (lifetime > 0 ? Math.min(lifetime, MAX_LIFETIME_S) : DEFAULT_LIFETIME_S);
    // Counted from before the request was sent: clock skew and latency only make it earlier.
    const marginMs = Math.min(refreshMarginMs, lifetimeMs / 2);
    cached = { token, refreshAt: startedAt + lifetimeMs - marginMs };
    return token;
  };

  return {
    async getToken(): Promise<string> {
      if (cached && now() < cached.refreshAt) return cached.token;
      return (inflight ??= refresh().finally(() => (inflight = undefined)));
    },
    invalidate(token?: string): void {
      if (token === undefined || cached?.token === token) cached = undefined;
    },
  };
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
  if (typeof token !== 'function') checkString(token, 'token');
  return {
    async getToken(): Promise<string> {
      if (typeof token !== 'function') return token;
      let value: unknown;
      try {
        value = await token();
      } catch (cause) {
        if (cause instanceof AuthError) throw cause;
        throw new AuthError('token-provider', 'the token function threw', { cause });
      }
      if (typeof value === 'string' && value) return value;
      throw new AuthError('token-provider', 'the token function returned no non-empty string');
    },
    invalidate(): void {},
  };
}
