import { ApiError, ResponseParseError, type RequestSummary } from '../errors.js';
import { parseRetryAfter } from '../retry-policy.js';

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid'];

function isJson(contentType: string | null): boolean {
  return /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '');
}

/**
 * The typed result of a 2xx. Success bodies must parse: a 2xx with broken or missing JSON is a
 * ResponseParseError (with its status, so the caller knows the request itself was accepted and
 * must not be re-sent), never a silent `undefined`.
 */
export function parseSuccess(response: Response, text: string, info: RequestSummary): unknown {
  const { status } = response;
  if (status === 204 || status === 205 || info.method === 'HEAD') return undefined;
  const contentType = response.headers.get('content-type') ?? undefined;
  let options: { cause: unknown } | undefined;
  if (text && isJson(contentType ?? null)) {
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      options = { cause };
    }
  }
  const reason = options ? 'the JSON is malformed' : text ? 'the body is not JSON' : 'the body is empty';
  throw new ResponseParseError(info, { status, contentType }, reason, options);
}

/** A non-2xx as an ApiError; error bodies are informative even when broken, so text stays. */
export function apiError(response: Response, text: string, info: RequestSummary): ApiError {
  const { headers, status, statusText } = response;
  let body: unknown = text;
  if (isJson(headers.get('content-type'))) {
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // Keep the text.
    }
  }
  const requestId = REQUEST_ID_HEADERS.map((name) => headers.get(name)).find(Boolean) ?? undefined;
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), Date.now());
  return new ApiError(info, { status, statusText, body, requestId, retryAfterMs });
}
