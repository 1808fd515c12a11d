import { DxCoreClient } from './generated/DxCoreClient';
import { BaseHttpRequest } from './generated/core/BaseHttpRequest';
import type { ApiRequestOptions } from './generated/core/ApiRequestOptions';
import type { CancelablePromise } from './generated/core/CancelablePromise';
import { resolveRetryOptions, retryDecision, type RetryOptions } from './retry-policy.js';
import { fail, functionOption, numberOption, stringOption, urlOption } from './options.js';
import { createRequest, DEFAULT_TIMEOUT_MS, type TokenSource } from './runtime/request.js';
import { createTokenProvider, staticTokenProvider, type TokenProvider } from './token-provider.js';
import { VERSION } from './version.js';

/**
 * The ThingPark cloud's DX Core API. Community: `https://community.thingpark.io/thingpark/dx/core/latest/api`.
 *
 * @example
 * ```ts
 * const client = createDxClient({ baseUrl: DEFAULT_BASE_URL, auth: { token } });
 * ```
 */
export const DEFAULT_BASE_URL = 'https://dx-api.thingpark.com/core/latest/api';

/**
 * OAuth2 client credentials against the DX Admin API token endpoint.
 *
 * @example
 * ```ts
 * const auth: ClientCredentialsAuth = { clientId: 'tpk/login', clientSecret, validityPeriod: '90days' };
 * ```
 */
export interface ClientCredentialsAuth {
  /** `<targetProfileId>/<login>`. */
  clientId: string;
  clientSecret: string;
  /** Default: the ThingPark cloud's. Self-hosted: `https://<host>/thingpark/dx/admin/latest/api/oauth/token`. */
  tokenUrl?: string;
  renewToken?: boolean;
  /** For example `infinite` or `90days`. */
  validityPeriod?: string;
}

/**
 * A token you already have: a string, or a function called for every request.
 *
 * @example
 * ```ts
 * const auth: StaticTokenAuth = { token: async () => vault.read('dx-token') };
 * ```
 */
export interface StaticTokenAuth {
  token: string | (() => string | Promise<string>);
}

/**
 * Settings of {@link createDxClient}.
 *
 * @example
 * ```ts
 * const options: DxClientOptions = { auth: { token }, timeoutMs: 10_000, retry: { maxAttempts: 5 } };
 * ```
 */
export interface DxClientOptions {
  /** Default {@link DEFAULT_BASE_URL}. */
  baseUrl?: string;
  /** Client credentials, a token, or any {@link TokenProvider} (for example one shared by several clients). */
  auth: ClientCredentialsAuth | StaticTokenAuth | TokenProvider;
  /** Per attempt, including reading the body. Default 30 000 ms. */
  timeoutMs?: number;
  /** Retry settings, or `false` for none. See the retry policy in the README. */
  retry?: RetryOptions | false;
  /** Defaults to the global `fetch`, looked up at request time. */
  fetch?: typeof fetch;
  /** Extra headers on every request. `Authorization` is always the client's own. */
  headers?: Record<string, string>;
}

function tokenSourceOf(
  auth: DxClientOptions['auth'],
  fetchImpl: typeof fetch | undefined,
  userAgent: string | undefined,
): TokenSource {
  if (typeof auth !== 'object' || auth === null) {
    fail('auth', 'must be credentials, { token } or a TokenProvider');
  }
  if (typeof (auth as Partial<TokenProvider>).getToken === 'function') return auth as TokenProvider;
  if ('token' in auth) return tokenSource(auth.token);
  const credentials = auth as ClientCredentialsAuth;
  stringOption('auth.clientId', credentials.clientId);
  stringOption('auth.clientSecret', credentials.clientSecret);
  return createTokenProvider({ ...credentials, fetch: fetchImpl, userAgent });
}

/**
 * A fixed string can't get better by asking again, so it has no `invalidate` and a 401 is final;
 * a function is asked again once after a 401, as it may hand out a fresh token.
 */
function tokenSource(token: StaticTokenAuth['token']): TokenSource {
  if (typeof token === 'function') return staticTokenProvider(token);
  const fixed = stringOption('auth.token', token);
  return { getToken: () => Promise.resolve(fixed) };
}

/**
 * A configured {@link DxCoreClient}: OAuth2 tokens cached and refreshed, a timeout per attempt,
 * the safe retry policy, typed errors. Each call returns an independent client; nothing is
 * global, so two tenants in one process never see each other's tokens or settings.
 *
 * @example
 * ```ts
 * import { createDxClient } from '@dx/core-client';
 *
 * const client = createDxClient({
 *   auth: { clientId: process.env.DX_CLIENT_ID!, clientSecret: process.env.DX_CLIENT_SECRET! },
 * });
 * const result = await client.downlink.sendDownlinkMessage({
 *   device: '0018B20000000B20',
 *   requestBody: { payloadHex: '03670110', targetPorts: '2' },
 * });
 * console.log(result.status); // "QUEUED"
 * ```
 */
export function createDxClient(options: DxClientOptions): DxCoreClient {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object');
  const baseUrl = urlOption('baseUrl', options.baseUrl ?? DEFAULT_BASE_URL);
  const fetchImpl = functionOption('fetch', options.fetch);
  // Browsers refuse to let scripts set User-Agent; only send it where it means something.
  const userAgent = typeof document === 'undefined' ? `@dx/core-client/${VERSION}` : undefined;
  const retry = options.retry === false ? undefined : resolveRetryOptions(options.retry);
  const send = createRequest({
    fetch: fetchImpl,
    timeoutMs: numberOption('timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS, true),
    headers: options.headers,
    userAgent,
    tokenSource: tokenSourceOf(options.auth, fetchImpl, userAgent),
    retry: retry && ((outcome, attempt) => retryDecision(outcome, attempt, retry, Date.now())),
  });
  class DxHttpRequest extends BaseHttpRequest {
    override request<T>(requestOptions: ApiRequestOptions): CancelablePromise<T> {
      return send<T>(this.config, requestOptions);
    }
  }
  return new DxCoreClient({ BASE: baseUrl.replace(/\/+$/, '') }, DxHttpRequest);
}
