/**
 * Access tokens for the DX APIs: an OAuth2 client-credentials provider for the DX Admin API's
 * token endpoint, and a static provider for callers who already hold a token.
 *
 * Neither the client secret nor any access token ever reaches an error: messages are built
 * from the status and a few named fields only, the endpoint's text is scrubbed of the secret,
 * and network failures get a rebuilt cause rather than the original object.
 */

import { AuthError } from './errors.js';
import { classifyFetchError } from './retry-policy.js';

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
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_REFRESH_MARGIN_MS = 60_000;
/** Error text taken from the token endpoint is trimmed to this many characters per field. */
const MAX_FIELD_LENGTH = 200;

interface CachedToken {
  token: string;
  refreshAt: number;
}

interface ResolvedOptions {
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  /** Origin and path only: query and user info could carry credentials. */
  safeUrl: string;
  renewToken: boolean | undefined;
  validityPeriod: string | undefined;
  fetch: typeof fetch | undefined;
  timeoutMs: number;
  refreshMarginMs: number;
  now: () => number;
  userAgent: string | undefined;
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
  const resolved = resolveOptions(options);
  let cached: CachedToken | undefined;
  let inflight: Promise<string> | undefined;

  const refresh = (): Promise<string> => {
    const pending = requestToken(resolved).then((entry) => {
      cached = entry;
      return entry.token;
    });
    inflight = pending;
    const clear = (): void => {
      if (inflight === pending) inflight = undefined;
    };
    pending.then(clear, clear);
    return pending;
  };

  return {
    getToken(): Promise<string> {
      if (cached && resolved.now() < cached.refreshAt) return Promise.resolve(cached.token);
      return inflight ?? refresh();
    },
    invalidate(token?: string): void {
      if (token === undefined || cached?.token === token) cached = undefined;
    },
  };
}

function requireString(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`${name} must be a non-empty string`);
  }
  return value;
}

function optionalNumber(name: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    throw new RangeError(`${name} must be a finite number >= ${min}`);
  }
  return value;
}

function safeEndpoint(tokenUrl: string): string {
  let url: URL;
  try {
    url = new URL(tokenUrl);
  } catch {
    throw new TypeError('tokenUrl must be an absolute URL');
  }
  return `${url.origin}${url.pathname}`;
}

function resolveOptions(options: TokenProviderOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createTokenProvider options must be an object');
  }
  const tokenUrl = requireString('tokenUrl', options.tokenUrl ?? DEFAULT_TOKEN_URL);
  if (options.validityPeriod !== undefined) requireString('validityPeriod', options.validityPeriod);
  if (options.renewToken !== undefined && typeof options.renewToken !== 'boolean') {
    throw new TypeError('renewToken must be a boolean');
  }
  if (options.fetch !== undefined && typeof options.fetch !== 'function') {
    throw new TypeError('fetch must be a function');
  }
  return {
    clientId: requireString('clientId', options.clientId),
    clientSecret: requireString('clientSecret', options.clientSecret),
    tokenUrl,
    safeUrl: safeEndpoint(tokenUrl),
    renewToken: options.renewToken,
    validityPeriod: options.validityPeriod,
    fetch: options.fetch,
    timeoutMs: optionalNumber('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS, 1),
    refreshMarginMs: optionalNumber(
      'refreshMarginMs',
      options.refreshMarginMs,
      DEFAULT_REFRESH_MARGIN_MS,
      0,
    ),
    now: options.now ?? Date.now,
    userAgent: options.userAgent,
  };
}

function formBody(o: ResolvedOptions): string {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: o.clientId,
    client_secret: o.clientSecret,
  });
  if (o.renewToken !== undefined) form.set('renewToken', String(o.renewToken));
  if (o.validityPeriod !== undefined) form.set('validityPeriod', o.validityPeriod);
  return form.toString();
}

function requestHeaders(o: ResolvedOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded',
    Accept: 'application/json',
  };
  if (o.userAgent !== undefined) headers['User-Agent'] = o.userAgent;
  return headers;
}

async function requestToken(o: ResolvedOptions): Promise<CachedToken> {
  const startedAt = o.now();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, o.timeoutMs);
  try {
    const { status, statusText, text } = await send(o, controller.signal, () => timedOut);
    if (status < 200 || status > 299) throw statusError(o, status, statusText, text);
    return toCachedToken(o, parseTokenResponse(o, status, text), startedAt);
  } finally {
    clearTimeout(timer);
  }
}

async function send(
  o: ResolvedOptions,
  signal: AbortSignal,
  timedOut: () => boolean,
): Promise<{ status: number; statusText: string; text: string }> {
  // A local binding, not `o.fetch(...)`: browsers reject fetch called with a foreign `this`.
  const fetchImpl = o.fetch ?? globalThis.fetch;
  try {
    const response = await fetchImpl(o.tokenUrl, {
      method: 'POST',
      headers: requestHeaders(o),
      body: formBody(o),
      signal,
      // Following a redirect would resend the client secret to wherever the Location points.
      redirect: 'error',
    });
    return {
      status: response.status,
      statusText: response.statusText,
      text: await response.text(),
    };
  } catch (err) {
    throw timedOut() ? timeoutError(o) : networkError(o, err);
  }
}

function timeoutError(o: ResolvedOptions): AuthError {
  return new AuthError(
    'token-request',
    `token request to ${o.safeUrl} timed out after ${o.timeoutMs} ms`,
  );
}

/**
 * The original fetch error is not attached: its cause chain holds undici internals (sockets,
 * parser buffers with response bytes) that nobody audited for secrets. A rebuilt cause keeps
 * the code and a scrubbed message, which is what a reader needs.
 */
function networkError(o: ResolvedOptions, err: unknown): AuthError {
  const { code } = classifyFetchError(err);
  const detail = scrub(o, innermostMessage(err) ?? 'network error');
  const cause = Object.assign(new Error(detail), code === undefined ? {} : { code });
  return new AuthError(
    'token-request',
    `token request to ${o.safeUrl} failed: ${code ?? 'network error'} (${detail})`,
    { cause },
  );
}

function innermostMessage(err: unknown): string | undefined {
  let message: string | undefined;
  let current: unknown = err;
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message === undefined ? undefined : truncate(message);
}

function truncate(text: string): string {
  return text.length > MAX_FIELD_LENGTH ? `${text.slice(0, MAX_FIELD_LENGTH)}…` : text;
}

/** Endpoints have been known to echo their input; the secret must not ride back into a message. */
function scrub(o: ResolvedOptions, text: string): string {
  return text.split(o.clientSecret).join('[redacted]');
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function errorFields(body: unknown): string[] {
  if (typeof body !== 'object' || body === null) return [];
  const record = body as Record<string, unknown>;
  return ['error', 'error_description', 'message']
    .map((key) => record[key])
    .filter((value): value is string => typeof value === 'string' && value !== '')
    .map(truncate);
}

function statusError(
  o: ResolvedOptions,
  status: number,
  statusText: string,
  text: string,
): AuthError {
  const fields = errorFields(parseJson(text)).map((field) => scrub(o, field));
  const head = `token endpoint ${o.safeUrl} answered ${status} ${statusText}`.trim();
  const detail = fields.length > 0 ? `: ${fields.join(': ')}` : '';
  return new AuthError('token-request', `${head}${detail}`, { status });
}

function parseTokenResponse(
  o: ResolvedOptions,
  status: number,
  text: string,
): Record<string, unknown> {
  const body = parseJson(text);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new AuthError(
      'token-response',
      `token endpoint ${o.safeUrl} answered ${status} but the body is not a JSON object`,
      { status },
    );
  }
  return body as Record<string, unknown>;
}

function toCachedToken(
  o: ResolvedOptions,
  body: Record<string, unknown>,
  startedAt: number,
): CachedToken {
  const token = body['access_token'];
  if (typeof token !== 'string' || token === '') {
    throw new AuthError(
      'token-response',
      `token endpoint ${o.safeUrl} answered without a usable access_token`,
    );
  }
  const lifetimeMs = lifetimeFrom(body['expires_in']);
  const margin = Math.min(o.refreshMarginMs, lifetimeMs / 2);
  // Counted from before the request was sent, so clock skew and latency only make it earlier.
  return { token, refreshAt: startedAt + lifetimeMs - margin };
}

function lifetimeFrom(expiresIn: unknown): number {
  const seconds =
    typeof expiresIn === 'number'
      ? expiresIn
      : typeof expiresIn === 'string' && expiresIn.trim() !== ''
        ? Number(expiresIn)
        : NaN;
  if (!(seconds > 0)) return DEFAULT_LIFETIME_MS;
  return Math.min(seconds * 1000, MAX_LIFETIME_MS);
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
  if (typeof token === 'string') {
    requireString('token', token);
    return { getToken: () => Promise.resolve(token), invalidate: () => undefined };
  }
  if (typeof token !== 'function') {
    throw new TypeError('token must be a non-empty string or a function returning one');
  }
  return { getToken: () => callTokenFunction(token), invalidate: () => undefined };
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
    const got = typeof value === 'string' ? 'an empty string' : typeof value;
    throw new AuthError('token-provider', `the token function returned ${got}, not a token`);
  }
  return value;
}
