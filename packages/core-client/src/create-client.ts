import { DxCoreClient } from './generated/DxCoreClient';
import { BaseHttpRequest } from './generated/core/BaseHttpRequest';
import { OpenAPI, type OpenAPIConfig } from './generated/core/OpenAPI';
import type { ApiRequestOptions } from './generated/core/ApiRequestOptions';
import type { CancelablePromise } from './generated/core/CancelablePromise';
import {
  DEFAULT_RETRY_OPTIONS,
  resolveRetryOptions,
  type ResolvedRetryOptions,
  type RetryOptions,
} from './retry-policy.js';
import { checkFunction, checkString } from './checks.js';
import { checkBaseUrl, checkFields, checkPositiveDelay } from './options.js';
import { Redactor } from './redact.js';
import { headersFor } from './runtime/headers.js';
import { createRequest, DEFAULT_TIMEOUT_MS, type TokenSource } from './runtime/request.js';
import {
  clientCredentialsProvider,
  staticTokenProvider,
  type TokenProvider,
} from './token-provider.js';
import { VERSION } from './version.js';

/**
 * The ThingPark cloud's DX Core API, as the spec's `servers` entry (set in the overlay) gives it
 * to the generator. Community: `https://community.thingpark.io/thingpark/dx/core/latest/api`.
 *
 * @example
 * ```ts
 * const client = createDxClient({ baseUrl: DEFAULT_BASE_URL, auth: { token } });
 * ```
 */
export const DEFAULT_BASE_URL: string = OpenAPI.BASE;

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
  /** Per attempt, including reading the body. Default 30 000 ms; at most 2^31-1 ms (about 24.8 days). */
  timeoutMs?: number;
  /** Retry settings, or `false` for none. See the retry policy in the README. */
  retry?: RetryOptions | false;
  /** Defaults to the global `fetch`, looked up at request time. */
  fetch?: typeof fetch;
  /**
   * Extra headers on every request, read and checked once when the client is created (a name
   * that is not a header name, or a value with CR, LF or another character a header can't
   * carry, throws `InvalidRequestError`). `Authorization` is always the client's own, and so
   * are the headers that frame the message (`content-length`, `transfer-encoding`,
   * `connection`, `keep-alive`, `upgrade`, `expect`): giving one throws `InvalidRequestError`.
   */
  headers?: Record<string, string>;
}

/**
 * A fixed string can't get better by asking again, so it has no `invalidate` and a 401 is final;
 * a function is asked again once after a 401, as it may hand out a fresh token. A fixed string
 * and the client secret join the client's secrets at once; tokens as they are sent.
 */
function tokenSourceOf(
  auth: DxClientOptions['auth'],
  fetchImpl: typeof fetch | undefined,
  userAgent: string | undefined,
  redactor: Redactor,
): TokenSource {
  if (typeof (auth as Partial<TokenProvider> | undefined)?.getToken === 'function') {
    return auth as TokenProvider;
  }
  // Object(): `in` throws on a primitive, and a primitive is reported below as not an object.
  if ('token' in Object(auth)) {
    const { token } = auth as StaticTokenAuth;
    if (typeof token === 'function') return staticTokenProvider(token);
    const fixed = checkString(token, 'auth.token');
    redactor.add(fixed);
    // Checked now, as the header it becomes, rather than on the first call.
    headersFor([{ authorization: `Bearer ${fixed}` }]);
    return { getToken: () => Promise.resolve(fixed) };
  }
  checkFields('auth', auth, { clientId: checkString, clientSecret: checkString }, {});
  const options = { ...(auth as ClientCredentialsAuth), fetch: fetchImpl, userAgent };
  return clientCredentialsProvider(options, redactor);
}

type Send = <T>(config: OpenAPIConfig, options: ApiRequestOptions) => CancelablePromise<T>;

/**
 * The key of what a fleet sender needs from a client's transport: the same transport without
 * its own retries (the fleet makes every attempt itself, so it sees each 429 and slows the
 * whole run down), the client's retry rule (its `maxDelayMs` caps every wait of the fleet),
 * and its tokens (the fleet holds one before it journals that a request is about to leave).
 * A registry symbol, so `@dx/downlink-helpers` reads it without importing this package.
 *
 * @example
 * ```ts
 * const transport = createDxRequest({ auth: { token } }) as unknown as Record<symbol, () => FleetTransport>;
 * const { retry } = transport[FLEET_TRANSPORT]!(); // retry.maxDelayMs caps a fleet's waits
 * ```
 */
export const FLEET_TRANSPORT = Symbol.for('@dx/core-client/fleet-transport');

/**
 * What `transport[FLEET_TRANSPORT]()` returns: the contract between `@dx/core-client` and
 * `@dx/downlink-helpers`' fleet sender, not meant for applications.
 *
 * @example
 * ```ts
 * async function tokenFirst(fleet: FleetTransport) {
 *   await fleet.getToken(); // then journal "about to send", then send through fleet.withoutRetry()
 * }
 * ```
 */
export interface FleetTransport {
  /** This transport without retries: every attempt is the caller's. */
  withoutRetry(): BaseHttpRequest;
  /** The client's retry rule; the defaults when it was created with `retry: false`. */
  retry: ResolvedRetryOptions;
  /** A token usable now (rejects with `AuthError`), cached as the client's calls use it. */
  getToken(): Promise<string>;
}

/** The transport both factories hand to the generated services: every call goes to `send`. */
function transportClass(send: Send, fleet: (config: OpenAPIConfig) => FleetTransport) {
  return class DxHttpRequest extends BaseHttpRequest {
    override request<T>(requestOptions: ApiRequestOptions): CancelablePromise<T> {
      return send<T>(this.config, requestOptions);
    }

    [FLEET_TRANSPORT](): FleetTransport {
      return fleet(this.config);
    }
  };
}

/** Checks the options once and builds the request function the client's calls share. */
function configure(options: DxClientOptions): {
  baseUrl: string;
  send: Send;
  fleet: (config: OpenAPIConfig) => FleetTransport;
} {
  const { baseUrl, fetch, timeoutMs } = checkFields<{
    baseUrl: string;
    fetch: typeof globalThis.fetch | undefined;
    timeoutMs: number;
  }>(
    'options',
    options,
    { baseUrl: checkBaseUrl, fetch: checkFunction, timeoutMs: checkPositiveDelay },
    { baseUrl: DEFAULT_BASE_URL, fetch: undefined, timeoutMs: DEFAULT_TIMEOUT_MS },
  );
  // Browsers refuse to let scripts set User-Agent; only send it where it means something.
  const userAgent = typeof document === 'undefined' ? `@dx/core-client/${VERSION}` : undefined;
  const redactor = new Redactor();
  const tokenSource = tokenSourceOf(options.auth, fetch, userAgent, redactor);
  const retry = options.retry === false ? undefined : resolveRetryOptions(options.retry);
  const context = { fetch, timeoutMs, headers: options.headers, userAgent, tokenSource, redactor };
  const send = createRequest({ ...context, retry });
  // Built on first use only: most clients never meet a fleet.
  let noRetry: Send | undefined;
  const fleet = (config: OpenAPIConfig): FleetTransport => ({
    withoutRetry() {
      noRetry ??= createRequest({ ...context, retry: undefined });
      return new (transportClass(noRetry, fleet))(config);
    },
    retry: retry ?? DEFAULT_RETRY_OPTIONS,
    getToken: () => tokenSource.getToken(),
  });
  return { baseUrl, send, fleet };
}

/**
 * A configured {@link DxCoreClient}: OAuth2 tokens cached and refreshed, a timeout per attempt,
 * the safe retry policy, typed errors. Each call returns an independent client; nothing is
 * global, so two tenants in one process never see each other's tokens or settings.
 *
 * It holds every service of the API, so a bundle that uses it carries them all; an app that
 * calls a few operations and counts its bytes builds only those services on
 * {@link createDxRequest}.
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
 * result.status; // "QUEUED"
 * ```
 */
export function createDxClient(options: DxClientOptions): DxCoreClient {
  const { baseUrl, send, fleet } = configure(options);
  return new DxCoreClient({ BASE: baseUrl }, transportClass(send, fleet));
}

/**
 * The transport of {@link createDxClient} (same options, same auth, timeouts, retries and typed
 * errors) without the client object, for building only the services an app calls: a bundler
 * then leaves every other service out, so the app's size does not grow with the API.
 *
 * @example
 * ```ts
 * import { createDxRequest, DownlinkService } from '@dx/core-client';
 *
 * const downlink = new DownlinkService(createDxRequest({ auth: { token } }));
 * await downlink.sendDownlinkMessage({ device, requestBody: { payloadHex: '01', targetPorts: '2' } });
 * ```
 */
export function createDxRequest(options: DxClientOptions): BaseHttpRequest {
  const { baseUrl, send, fleet } = configure(options);
  const DxHttpRequest = transportClass(send, fleet);
  return new DxHttpRequest({
    BASE: baseUrl,
    VERSION: OpenAPI.VERSION,
    WITH_CREDENTIALS: false,
    CREDENTIALS: 'include',
  });
}
