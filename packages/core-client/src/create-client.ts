import { DxCoreClient } from './generated/DxCoreClient';
import { BaseHttpRequest } from './generated/core/BaseHttpRequest';
import type { ApiRequestOptions } from './generated/core/ApiRequestOptions';
import type { CancelablePromise } from './generated/core/CancelablePromise';
import { resolveRetryOptions, retryDecision, type RetryOptions } from './retry-policy.js';
import {
  createRequest,
  DEFAULT_TIMEOUT_MS,
  type RequestContext,
  type TokenSource,
} from './runtime/request.js';
import { createTokenProvider, staticTokenProvider, type TokenProvider } from './token-provider.js';
import { VERSION } from './version.js';

/** The ThingPark cloud's DX Core API. Community: `https://community.thingpark.io/thingpark/dx/core/latest/api`. */
export const DEFAULT_BASE_URL = 'https://dx-api.thingpark.com/core/latest/api';

/** OAuth2 client credentials against the DX Admin API token endpoint. */
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

/** A token you already have: a string, or a function called for every request. */
export interface StaticTokenAuth {
  token: string | (() => string | Promise<string>);
}

/** Settings of {@link createDxClient}. */
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

function fail(option: string, problem: string): never {
  throw new TypeError(`createDxClient: ${option} ${problem}`);
}

function checkUrl(option: string, value: unknown): string {
  if (typeof value !== 'string') return fail(option, 'must be a URL string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return fail(option, 'is not a valid URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') fail(option, 'must be an http(s) URL');
  return value;
}

function checkTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    return fail('timeoutMs', 'must be a positive number of milliseconds');
  }
  return value;
}

function isTokenProvider(auth: object): auth is TokenProvider {
  return typeof (auth as Partial<TokenProvider>).getToken === 'function';
}

function checkNonEmpty(option: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(option, 'must be a non-empty string');
  return value as string;
}

function tokenSourceOf(
  options: DxClientOptions,
  fetchImpl: typeof fetch | undefined,
  userAgent: string | undefined,
): TokenSource {
  const auth: unknown = options.auth;
  if (typeof auth !== 'object' || auth === null)
    return fail('auth', 'must be { clientId, clientSecret } or { token }');
  if (isTokenProvider(auth)) return auth;
  if ('token' in auth) return staticSource((auth as StaticTokenAuth).token);
  const credentials = auth as ClientCredentialsAuth;
  return createTokenProvider({
    clientId: checkNonEmpty('auth.clientId', credentials.clientId),
    clientSecret: checkNonEmpty('auth.clientSecret', credentials.clientSecret),
    ...(credentials.tokenUrl === undefined
      ? {}
      : { tokenUrl: checkUrl('auth.tokenUrl', credentials.tokenUrl) }),
    ...(credentials.renewToken === undefined ? {} : { renewToken: credentials.renewToken }),
    ...(credentials.validityPeriod === undefined
      ? {}
      : { validityPeriod: credentials.validityPeriod }),
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    ...(userAgent ? { userAgent } : {}),
  });
}

/**
 * A fixed string can't get better by asking again, so it has no `invalidate` and a 401 is final;
 * a function is asked again once after a 401, as it may hand out a fresh token.
 */
function staticSource(token: StaticTokenAuth['token']): TokenSource {
  if (typeof token === 'string') {
    checkNonEmpty('auth.token', token);
    return { getToken: () => Promise.resolve(token) };
  }
  if (typeof token !== 'function') return fail('auth.token', 'must be a string or a function');
  return staticTokenProvider(token);
}

/** Browsers refuse to let scripts set User-Agent; only send it where it means something. */
function defaultUserAgent(): string | undefined {
  if (typeof document !== 'undefined') return undefined;
  return `@dx/core-client/${VERSION}`;
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
  if (typeof options !== 'object' || options === null) return fail('options', 'must be an object');
  const baseUrl = checkUrl('baseUrl', options.baseUrl ?? DEFAULT_BASE_URL);
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    fail('fetch', 'must be a function');
  const userAgent = defaultUserAgent();
  const retry = options.retry === false ? undefined : resolveRetryOptions(options.retry ?? {});
  const context: RequestContext = {
    fetch: options.fetch,
    timeoutMs: checkTimeout(options.timeoutMs),
    headers: options.headers,
    userAgent,
    tokenSource: tokenSourceOf(options, options.fetch, userAgent),
    retry: retry && ((outcome, attempt) => retryDecision(outcome, attempt, retry, Date.now())),
  };
  const send = createRequest(context);
  class DxHttpRequest extends BaseHttpRequest {
    override request<T>(requestOptions: ApiRequestOptions): CancelablePromise<T> {
      return send<T>(this.config, requestOptions);
    }
  }
  return new DxCoreClient({ BASE: baseUrl.replace(/\/+$/, '') }, DxHttpRequest);
}
