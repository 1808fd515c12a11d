/**
 * The request runtime behind the generated client (the generator's `--request` file points
 * here). It replaces openapi-typescript-codegen's stock fetch runtime because that one encodes
 * path parameters with `encodeURI`, logs with `console.error`, turns unparsable bodies into
 * `undefined` and keeps the request body on its `ApiError`.
 */
import type { ApiRequestOptions } from '../generated/core/ApiRequestOptions';
import { CancelablePromise } from '../generated/core/CancelablePromise';
import type { OpenAPIConfig } from '../generated/core/OpenAPI';
import { AbortError, DxError, InvalidRequestError, type RequestSummary } from '../errors.js';
import { buildUrl } from './url.js';
import { readResponse } from './response.js';
import {
  sleep as defaultSleep,
  type AttemptOutcome,
  type RetryDecision,
  type Sleep,
} from '../retry-policy.js';
import { fetchOnce, type Attempt, type AttemptResult, type Exchange } from './fetch-once.js';

/** A retry decision for one failed attempt; `attempt` counts from 1. */
export type RetryDecider = (outcome: AttemptOutcome, attempt: number) => RetryDecision;

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
  retry?: RetryDecider | undefined;
  sleep?: Sleep | undefined;
}

export const DEFAULT_TIMEOUT_MS = 30_000;

const DEFAULT_CONTEXT: RequestContext = { timeoutMs: DEFAULT_TIMEOUT_MS };

/**
 * The generated `FetchHttpRequest` calls this; it has no retry and takes the token from
 * `config.TOKEN`. `createDxClient` uses {@link createRequest} with its own context instead.
 */
export function request<T>(
  config: OpenAPIConfig,
  options: ApiRequestOptions,
): CancelablePromise<T> {
  return createRequest(DEFAULT_CONTEXT)<T>(config, options);
}

/** Binds a context; the result has the shape of the generated `request` function. */
export function createRequest(context: RequestContext) {
  return <T>(config: OpenAPIConfig, options: ApiRequestOptions): CancelablePromise<T> =>
    new CancelablePromise<T>((resolve, reject, onCancel) => {
      const controller = new AbortController();
      onCancel(() => controller.abort());
      execute<T>(context, config, options, controller.signal).then(resolve, reject);
    });
}

async function execute<T>(
  context: RequestContext,
  config: OpenAPIConfig,
  options: ApiRequestOptions,
  signal: AbortSignal,
): Promise<T> {
  const url = buildUrl(config, options);
  const info: RequestSummary = { method: options.method, url };
  const body = serializeBody(options);
  const tokenSource = context.tokenSource ?? configTokenSource(config, options);
  let attempts = 0;
  let unauthorizedRetried = false;
  let retries = 0;
  for (;;) {
    attempts += 1;
    const token = tokenSource ? await tokenSource.getToken() : undefined;
    const headers = await buildHeaders(context, config, options, token, body !== undefined);
    const attempt: Attempt = {
      info,
      body,
      headers,
      credentials: credentialsOf(config),
      signal,
      attempts,
    };
    const result = await fetchOnce(context, attempt);
    if (
      result.kind === 'response' &&
      result.response.status === 401 &&
      token &&
      tokenSource?.invalidate &&
      !unauthorizedRetried
    ) {
      // A cached token can expire early (revoked, clock skew): one fresh token, one more try.
      unauthorizedRetried = true;
      tokenSource.invalidate(token);
      await discard(result);
      continue;
    }
    const decision = decide(context, result, retries + 1);
    if (decision.retry) {
      retries += 1;
      if (result.kind === 'response') await discard(result);
      await pause(context, decision.delayMs, signal, info, attempts);
      continue;
    }
    if (result.kind !== 'response') throw result.error;
    return (await readResponse(result, {
      info,
      attempts,
      timeoutMs: context.timeoutMs,
      signal,
    })) as T;
  }
}

function decide(context: RequestContext, result: AttemptResult, attempt: number) {
  const stop: RetryDecision = { retry: false, reason: 'not-retryable' };
  if (!context.retry || result.kind === 'aborted') return stop;
  if (result.kind === 'response') {
    if (result.response.ok) return stop;
    return context.retry(
      {
        kind: 'response',
        status: result.response.status,
        retryAfter: result.response.headers.get('retry-after'),
      },
      attempt,
    );
  }
  return context.retry(result.outcome, attempt);
}

function serializeBody(options: ApiRequestOptions): string | undefined {
  if (options.body === undefined) return undefined;
  if (typeof options.body === 'string') return options.body;
  try {
    return JSON.stringify(options.body);
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
  return {
    getToken: async () => (typeof token === 'function' ? token(options) : token),
  };
}

async function resolveHeaders(
  config: OpenAPIConfig,
  options: ApiRequestOptions,
): Promise<Record<string, string>> {
  const configured = config.HEADERS;
  if (typeof configured === 'function') return configured(options);
  return configured ?? {};
}

async function buildHeaders(
  context: RequestContext,
  config: OpenAPIConfig,
  options: ApiRequestOptions,
  token: string | undefined,
  hasBody: boolean,
): Promise<Headers> {
  const headers = new Headers({ Accept: 'application/json' });
  if (context.userAgent) headers.set('User-Agent', context.userAgent);
  for (const [name, value] of Object.entries(context.headers ?? {})) headers.set(name, value);
  for (const [name, value] of Object.entries(await resolveHeaders(config, options)))
    headers.set(name, value);
  for (const [name, value] of Object.entries(options.headers ?? {})) {
    if (value !== undefined && value !== null) headers.set(name, String(value));
  }
  if (hasBody) headers.set('Content-Type', options.mediaType ?? 'application/json');
  if (token) headers.set('Authorization', `Bearer ${token}`);
  return headers;
}

function credentialsOf(config: OpenAPIConfig): RequestCredentials | undefined {
  return config.WITH_CREDENTIALS ? config.CREDENTIALS : undefined;
}

/** Frees the connection of a response we will not read. */
async function discard(exchange: Exchange): Promise<void> {
  exchange.finish();
  await exchange.response.body?.cancel().catch(() => undefined);
}

async function pause(
  context: RequestContext,
  ms: number,
  signal: AbortSignal,
  info: RequestSummary,
  attempts: number,
): Promise<void> {
  const sleep = context.sleep ?? defaultSleep;
  try {
    await sleep(ms, signal);
  } catch (error) {
    if (signal.aborted) throw new AbortError(info, { attempts });
    throw error instanceof DxError ? error : new AbortError(info, { attempts });
  }
}
