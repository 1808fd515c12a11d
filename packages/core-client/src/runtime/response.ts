import { ApiError, ResponseParseError, type RequestSummary } from '../errors.js';
import type { Redactor } from '../redact.js';
import { parseRetryAfter } from '../retry-policy.js';
import { MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES, type Exchange } from './fetch-text.js';

const REQUEST_ID_HEADERS = ['x-request-id', 'request-id', 'x-correlation-id', 'x-amzn-requestid'];

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\b/i;

/**
 * The result of an exchange, or the error it stands for.
 *
 * A 2xx must hold a JSON object, as every DX operation answers: anything else (empty, `null`,
 * not JSON, broken JSON, over {@link MAX_BODY_BYTES}) is a ResponseParseError (with its status,
 * so the caller knows the request itself was accepted and must not be re-sent), never a
 * silent `undefined` or `null`. Any other status is an ApiError whose body, informative even
 * when broken, is kept scrubbed of the client's secrets and bounded.
 */
export function readResponse(
  { response, text, whole }: Exchange,
  info: RequestSummary,
  redactor: Redactor,
): unknown {
  const { headers, status } = response;
  // Scrubbed, so read only where an error keeps it: a success must not pay for the patterns.
  const header = (name: string) => {
    const value = headers.get(name);
    return value === null ? undefined : redactor.scrub(value);
  };
  const isJson = JSON_TYPE.test(headers.get('content-type') ?? '');
  if (status >= 200 && status < 300) {
    if (status === 204 || status === 205 || info.method === 'HEAD') return undefined;
    const body = whole && isJson ? parse(text) : undefined;
    if (typeof body === 'object' && body !== null && !Array.isArray(body)) return body;
    // The parser's own message is not kept: it quotes the body, which may echo a secret.
    const reason = !whole
      ? `the body is over the ${MAX_BODY_BYTES}-byte limit`
      : !text
        ? 'the body is empty'
        : !isJson
          ? 'the body is not JSON'
          : body === undefined
            ? 'the JSON is malformed'
            : 'the body is not a JSON object';
    throw new ResponseParseError(info, { status, contentType: header('content-type') }, reason);
  }
  const kept = redactor.scrub(text, !whole);
  let body: unknown = whole
    ? kept
    : `${kept}… [truncated: the body is over ${MAX_ERROR_BODY_BYTES} bytes]`;
  if (whole && isJson && kept) body = parse(kept, redactor) ?? kept;
  const requestId = REQUEST_ID_HEADERS.map(header).find(Boolean);
  const retryAfterMs = parseRetryAfter(headers.get('retry-after'), Date.now());
  const statusText = redactor.scrub(response.statusText);
  throw new ApiError(info, { status, statusText, body, requestId, retryAfterMs });
}

/**
 * JSON, or `undefined` when it does not parse. With a redactor, every string in it is scrubbed
 * once more after decoding, for a secret the server wrote with escapes of its own.
 */
function parse(text: string, redactor?: Redactor): unknown {
  try {
    return JSON.parse(
      text,
      redactor &&
        ((_key, value: unknown) => (typeof value === 'string' ? redactor.scrub(value) : value)),
    ) as unknown;
  } catch {
    return undefined;
  }
}
