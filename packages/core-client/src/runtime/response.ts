import { ApiError, ResponseParseError, type RequestSummary } from '../errors.js';
import { parseRetryAfter } from '../retry-policy.js';

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid'];

/**
 * The result of an exchange, or the error it stands for.
 *
 * A 2xx must parse: broken or missing JSON is a ResponseParseError (with its status, so the
 * caller knows the request itself was accepted and must not be re-sent), never a silent
 * `undefined`. Any other status is an ApiError; its body is informative even when broken, so
 * the text stays when it is not (valid) JSON.
 */
export function readResponse(response: Response, text: string, info: RequestSummary): unknown {
  // Getters of the fetch Response: statusText is read on the error path only.
  const { headers, status } = response;
  const contentType = headers.get('content-type') ?? undefined;
  let body: unknown = text;
  let parsed = false;
  let malformed: { cause: unknown } | undefined;
  // The exact common value first: the pattern is for `+json` types and parameters.
  if (
    contentType === 'application/json' ||
    /^application\/(?:[\w.+-]+\+)?json\b/i.test(contentType ?? '')
  ) {
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
      parsed = !!text;
    } catch (cause) {
      malformed = { cause };
    }
  }
  if (status >= 200 && status < 300) {
    if (status === 204 || status === 205 || info.method === 'HEAD') return undefined;
    if (parsed) return body;
    const reason = malformed
      ? 'the JSON is malformed'
      : text
        ? 'the body is not JSON'
        : 'the body is empty';
    throw new ResponseParseError(info, { status, contentType }, reason, malformed);
  }
  const requestId = REQUEST_ID_HEADERS.map((name) => headers.get(name)).find(Boolean) ?? undefined;
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), Date.now());
  const { statusText } = response;
  throw new ApiError(info, { status, statusText, body, requestId, retryAfterMs });
}
