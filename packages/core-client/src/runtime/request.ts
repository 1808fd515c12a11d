/**
 * The request runtime behind the generated client (the generator's `--request` file points
 * here). It replaces openapi-typescript-codegen's stock fetch runtime because that one encodes
 * path parameters with `encodeURI`, writes to the console, turns unparsable bodies into
 * `undefined` and keeps the request body on its `ApiError`.
 */
import type { ApiRequestOptions } from '../generated/core/ApiRequestOptions';
import type { CancelablePromise } from '../generated/core/CancelablePromise';
import type { OpenAPIConfig } from '../generated/core/OpenAPI';
import { CancelError, InvalidRequestError, type DxError, type RequestSummary } from '../errors.js';
import { Redactor } from '../redact.js';
import { retryDelay, type ResolvedRetryOptions } from '../retry-policy.js';
import { fetchText, type Cancellation } from './fetch-text.js';
import { headersFor } from './headers.js';
import { readResponse } from './response.js';
import { buildUrl } from './url.js';

/** Where access tokens come from, and how a token the server refused is dropped. */
export interface TokenSource {
  getToken(): Promise<string>;
  invalidate?(token: string): void;
}

/** Everything a client instance configures about its transport; nothing of it is global. */
export interface RequestContext {
  fetch?: typeof fetch | undefined;
  timeoutMs: number;
  headers?: Record<string, string> | undefined;
  userAgent?: string | undefined;
  tokenSource?: TokenSource | undefined;
  /** No retries when absent. */
  retry?: ResolvedRetryOptions | undefined;
  /** The client's secrets, scrubbed from every error; each access token sent joins them. */
  redactor?: Redactor | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * The generated `FetchHttpRequest` calls this; it has no retry and takes the token from
 * `config.TOKEN`. `createDxClient` uses {@link createRequest} with its own context instead.
 */
export function request<T>(
  config: OpenAPIConfig,
  options: ApiRequestOptions,
): CancelablePromise<T> {
  return createRequest({ timeoutMs: DEFAULT_TIMEOUT_MS })<T>(config, options);
}

/**
 * What an operation returns: a native promise of `execute` with `cancel()` and `isCancelled`
 * added, the surface of the generated `CancelablePromise`. Wrapping every call in that class
 * would cost a kilobyte of bundle. It is not an instance of that class; nothing in the
 * generated code or this package asks.
 */
interface PendingCall<T> extends Promise<T> {
  cancel(): void;
  isCancelled: boolean;
}

/** Binds a context; the result has the shape of the generated `request` function. */
export function createRequest(context: RequestContext) {
  // The same on every call of this client, so merged (and checked) once, at creation.
  const clientHeaders = headersFor([{ 'user-agent': context.userAgent }, context.headers]);
  const redactor = context.redactor ?? new Redactor();
  return <T>(config: OpenAPIConfig, options: ApiRequestOptions): CancelablePromise<T> => {
    const cancellation: Cancellation = { cancelled: false, settled: false };
    const call = execute(context, clientHeaders, redactor, config, options, cancellation);
    const pending = call as PendingCall<T>;
    pending.isCancelled = false;
    pending.cancel = () => {
      if (cancellation.settled || cancellation.cancelled) return;
      pending.isCancelled = cancellation.cancelled = true;
      cancellation.controller?.abort();
    };
    return pending as unknown as CancelablePromise<T>;
  };
}

async function execute(
  context: RequestContext,
  clientHeaders: Record<string, string>,
  redactor: Redactor,
  config: OpenAPIConfig,
  options: ApiRequestOptions,
  cancellation: Cancellation,
): Promise<unknown> {
  const url = buildUrl(config, options);
  const info: RequestSummary = { method: options.method, url };
  const body = serializeBody(options);
  const tokens = context.tokenSource ?? configTokenSource(config, options);
  let sent = 0;
  let retries = 0;
  let refreshed = false;
  for (let attempts = 1; ; attempts++) {
    let error: DxError | CancelError;
    try {
      const token = tokens && (await tokens.getToken());
      redactor.add(token);
      const configHeaders =
        typeof config.HEADERS === 'function' ? await config.HEADERS(options) : config.HEADERS;
      if (cancellation.cancelled) throw new CancelError();
      const headers = headersFor(
        [
          configHeaders,
          options.headers,
          body !== undefined && { 'content-type': options.mediaType ?? 'application/json' },
          token && { authorization: `Bearer ${token}` },
        ],
        clientHeaders,
      );
      const init: RequestInit = {
        method: options.method,
        headers,
        body,
        credentials: config.WITH_CREDENTIALS ? config.CREDENTIALS : undefined,
      };
      const secrets = redactor.with([asKeyOf(options.body)]);
      sent++;
      const exchange = await fetchText(
        context.fetch,
        url,
        init,
        context.timeoutMs,
        info,
        secrets,
        cancellation,
      );
      // A cached token can expire early (revoked, clock skew): one fresh token, one more try.
      if (exchange.response.status === 401 && token && tokens?.invalidate && !refreshed) {
        refreshed = true;
        tokens.invalidate(token);
        continue;
      }
      const result = readResponse(exchange, info, secrets);
      cancellation.settled = true;
      return result;
    } catch (thrown) {
      // Everything thrown above is one of our errors; only the count is left. A call cancelled
      // while it waited (for a token that then failed, say) is cancelled all the same.
      error = cancellation.cancelled ? new CancelError() : (thrown as DxError);
    }
    // A cancel counts the requests really sent, which a retry wait has not added to.
    error.attempts = error instanceof CancelError ? sent : attempts;
    const delay = context.retry && retryDelay(error, ++retries, context.retry);
    if (delay === undefined) {
      cancellation.settled = true;
      throw error;
    }
    await pause(delay, cancellation);
    if (cancellation.cancelled) {
      cancellation.settled = true;
      throw new CancelError(undefined, sent);
    }
  }
}

/** The `asKey` of a downlink body, a secret the server may echo. */
function asKeyOf(body: unknown): unknown {
  return (body as { securityParams?: { asKey?: unknown } } | undefined)?.securityParams?.asKey;
}

function serializeBody(options: ApiRequestOptions): string | undefined {
  const { body } = options;
  if (body === undefined || typeof body === 'string') return body;
  try {
    return JSON.stringify(body);
  } catch (error) {
    throw new InvalidRequestError('body', 'cannot be serialised as JSON', { cause: error });
  }
}

function configTokenSource(
  config: OpenAPIConfig,
  options: ApiRequestOptions,
): TokenSource | undefined {
  const token = config.TOKEN;
  if (token === undefined) return undefined;
  return { getToken: async () => (typeof token === 'function' ? token(options) : token) };
}

/** The wait before a retry; cancelling the call ends it early (the loop then throws). */
function pause(ms: number, cancellation: Cancellation): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancellation.controller = {
      abort() {
        clearTimeout(timer);
        resolve();
      },
    };
  });
}
