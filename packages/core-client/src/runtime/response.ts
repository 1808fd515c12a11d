import {
  AbortError,
  ApiError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
  type RequestSummary,
} from '../errors.js';
import { parseRetryAfter } from '../retry-policy.js';
import type { Exchange } from './fetch-once.js';

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid'];

interface ReadContext {
  info: RequestSummary;
  attempts: number;
  timeoutMs: number;
  signal: AbortSignal;
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType);
}

function requestIdOf(headers: Headers): string | undefined {
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** Reads the whole body as text; a failure while reading is a timeout, an abort or a reset. */
async function readText(exchange: Exchange, ctx: ReadContext): Promise<string> {
  try {
    return await exchange.response.text();
  } catch (error) {
    if (ctx.signal.aborted) throw new AbortError(ctx.info, { attempts: ctx.attempts });
    if (exchange.timedOut())
      throw new TimeoutError(ctx.info, ctx.timeoutMs, { attempts: ctx.attempts });
    throw new NetworkError(
      ctx.info,
      { code: 'ECONNRESET', beforeRequestSent: false, cause: error },
      { attempts: ctx.attempts },
    );
  } finally {
    exchange.finish();
  }
}

/**
 * Turns a response into the typed result or a typed error. Success bodies must parse: a 2xx
 * with broken or missing JSON is a ResponseParseError (with its status, so the caller knows the
 * request itself was accepted and must not be re-sent), never a silent `undefined`.
 */
export async function readResponse(exchange: Exchange, ctx: ReadContext): Promise<unknown> {
  const { response } = exchange;
  const contentType = response.headers.get('content-type') ?? undefined;
  const text = await readText(exchange, ctx);
  if (!response.ok) {
    const body = isJson(contentType) ? tryParse(text) : text;
    const requestId = requestIdOf(response.headers);
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    throw new ApiError(
      ctx.info,
      { status: response.status, statusText: response.statusText, body, requestId, retryAfterMs },
      { attempts: ctx.attempts },
    );
  }
  if (response.status === 204 || response.status === 205 || ctx.info.method === 'HEAD')
    return undefined;
  if (text.length === 0) {
    throw new ResponseParseError(
      ctx.info,
      { status: response.status, contentType, reason: 'the body is empty' },
      { attempts: ctx.attempts },
    );
  }
  if (!isJson(contentType)) {
    throw new ResponseParseError(
      ctx.info,
      { status: response.status, contentType, reason: 'the body is not JSON' },
      { attempts: ctx.attempts },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ResponseParseError(
      ctx.info,
      { status: response.status, contentType, reason: 'the JSON is malformed' },
      { attempts: ctx.attempts, cause: error },
    );
  }
}

/** Error bodies are informative even when broken, so they fall back to their text. */
function tryParse(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
