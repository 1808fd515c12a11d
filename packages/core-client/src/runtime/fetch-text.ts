import { classifyFetchError } from '../classify-fetch-error.js';

/**
 * Lets a caller cancel whichever exchange or wait of a call is current. One controller per
 * attempt, created where it is needed: in Node 20 every `AbortController` (with its signal) is
 * a measurable share of a loopback request, so a call does not make a second one to link.
 */
export interface Cancellation {
  cancelled: boolean;
  /** Ends the current exchange or retry wait. */
  controller?: { abort(): void };
}

/** How one exchange ended: a response with its whole body, or why there is none. */
export type Exchange =
  | { kind: 'response'; response: Response; text: string }
  | { kind: 'aborted' }
  | { kind: 'timeout' }
  | { kind: 'network'; error: unknown; code: string | undefined; beforeRequestSent: boolean };

/**
 * One HTTP exchange, body read as text, within `timeoutMs`: the timer keeps running while the
 * body is read, so a server that stalls mid-body times out too. Used for API calls and token
 * requests alike. Never rejects; failures come back as an {@link Exchange} kind.
 */
export async function fetchText(
  fetchImpl: typeof fetch | undefined,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  cancellation?: Cancellation,
): Promise<Exchange> {
  const controller = new AbortController();
  if (cancellation) cancellation.controller = controller;
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  init.signal = controller.signal;
  let response: Response | undefined;
  try {
    // Called unbound, looked up now: browsers reject fetch with a foreign `this`.
    response = await (fetchImpl ?? fetch)(url, init);
    return { kind: 'response', response, text: await response.text() };
  } catch (error) {
    if (cancellation?.cancelled) return { kind: 'aborted' };
    if (timedOut) return { kind: 'timeout' };
    const { code, beforeRequestSent } = classifyFetchError(error);
    // Once headers arrived the request was certainly sent; a failure now is a reset mid-body.
    if (response) return { kind: 'network', error, code: 'ECONNRESET', beforeRequestSent: false };
    return { kind: 'network', error, code, beforeRequestSent };
  } finally {
    clearTimeout(timer);
  }
}
