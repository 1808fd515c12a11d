import { classifyFetchError } from '../classify-fetch-error.js';
import {
  ApiError,
  CancelError,
  isRedirect,
  NetworkError,
  ResponseParseError,
  TimeoutError,
  type RequestSummary,
} from '../errors.js';
import type { Redactor } from '../redact.js';

/**
 * The most of a 2xx body the client reads. DX answers a few hundred bytes; a bigger answer is
 * refused (its `Content-Length` at once, a body without one once it passes the limit) rather
 * than held in memory whole.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The most of an error body (non-2xx) the client reads and keeps. */
export const MAX_ERROR_BODY_BYTES = 8 * 1024;

/** Lets a caller cancel whichever exchange or wait of a call is current. */
export interface Cancellation {
  cancelled: boolean;
  /** The call has its outcome; a late `cancel()` changes nothing. */
  settled: boolean;
  /** Ends the current exchange or retry wait. */
  controller?: { abort(): void };
}

/** A response and as much of its body as the client reads. */
export interface Exchange {
  response: Response;
  text: string;
  /** False when the body was longer than its limit: `text` is only its beginning. */
  whole: boolean;
}

/**
 * One HTTP exchange, body read as text, within `timeoutMs`: the timer keeps running while the
 * body is read, so a server that stalls mid-body times out too. Used for API calls and token
 * requests alike, so both refuse redirects the same way: a 3xx (or a browser's opaque
 * redirect) is an `ApiError` and its `Location` is never requested. A body that breaks off is
 * read by its status line: a 2xx is a `ResponseParseError` (accepted), another an `ApiError`. A failure is thrown as the
 * error the caller would see (`CancelError`, `TimeoutError`, `NetworkError`, `ApiError` about
 * `info`), with `attempts` left at 1 for the caller to set.
 */
export async function fetchText(
  fetchImpl: typeof fetch | undefined,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  info: RequestSummary,
  redactor: Redactor,
  cancellation?: Cancellation,
): Promise<Exchange> {
  const controller = new AbortController();
  if (cancellation) cancellation.controller = controller;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  let response: Response | undefined;
  try {
    // Called unbound, looked up now: browsers reject fetch with a foreign `this`.
    response = await (fetchImpl ?? fetch)(url, {
      ...init,
      redirect: 'manual',
      signal: controller.signal,
    });
    if (isRedirect(response.status)) {
      void response.body?.cancel().catch(() => {});
    } else {
      const limit = response.ok ? MAX_BODY_BYTES : MAX_ERROR_BODY_BYTES;
      return { response, ...(await readText(response, limit)) };
    }
  } catch (cause) {
    if (cancellation?.cancelled) throw new CancelError();
    if (timedOut) throw new TimeoutError(info, timeoutMs);
    if (!response) {
      const failure = classifyFetchError(cause);
      throw new NetworkError(info, { ...failure, cause: safeCause(cause, failure.code, redactor) });
    }
    // The status line arrived, so it tells what DX did with the request even though the body
    // then broke off: a 2xx was accepted (never to be sent again, even with retryOnReset),
    // any other status is an ApiError of that status, as below.
    if (response.ok) {
      throw new ResponseParseError(
        info,
        { status: response.status, contentType: undefined },
        'its body broke off',
      );
    }
  } finally {
    clearTimeout(timer);
  }
  const { status, statusText } = response;
  throw new ApiError(info, { status, statusText: redactor.scrub(statusText), body: undefined });
}

/**
 * The cause a `NetworkError` keeps: the fetch error's message, scrubbed, and its code, not the
 * error itself, whose cause chain holds undici internals (sockets, parser buffers with
 * response bytes) that nobody audited for secrets.
 */
const safeCause = (cause: unknown, code: string | undefined, redactor: Redactor): Error =>
  Object.assign(new Error(redactor.scrub(String((cause as Error | undefined)?.message))), {
    code,
  });

/**
 * At most `limit` bytes of the body, as text. Past the limit the rest is not read: the stream
 * is cancelled, which closes the connection. A 2xx whose `Content-Length` is over the limit
 * is not read at all.
 */
async function readText(
  response: Response,
  limit: number,
): Promise<{ text: string; whole: boolean }> {
  const reader = response.body?.getReader();
  if (!reader) return { text: '', whole: true };
  if (response.ok && Number(response.headers.get('content-length')) > limit) {
    await reader.cancel();
    return { text: '', whole: false };
  }
  const decoder = new TextDecoder();
  let text = '';
  for (let room = limit; ;) {
    const { done, value } = await reader.read();
    if (done) return { text: text + decoder.decode(), whole: true };
    if (value.length > room) {
      text += decoder.decode(value.subarray(0, room));
      await reader.cancel();
      return { text, whole: false };
    }
    room -= value.length;
    text += decoder.decode(value, { stream: true });
  }
}
