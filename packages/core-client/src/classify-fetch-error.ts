/**
 * Tells "the server never got the request" from "the server may have queued it" by looking at
 * what `fetch` threw. Only the first is safe to retry for a non-idempotent downlink.
 */

/**
 * What {@link classifyFetchError} learned from a thrown fetch error.
 *
 * @example
 * ```ts
 * const c: FetchErrorClassification = { code: 'ECONNREFUSED', beforeRequestSent: true };
 * ```
 */
export interface FetchErrorClassification {
  /** The first string `code` found on the error or its `cause` chain, e.g. `ECONNREFUSED`. */
  code: string | undefined;
  /** True only when the failure proves the server never received the request. */
  beforeRequestSent: boolean;
}

/*
 * Shapes observed with Node 20.20's fetch (undici) against 127.0.0.1:
 *
 * - closed port: TypeError('fetch failed'), cause Error code ECONNREFUSED, syscall 'connect'.
 * - name not resolved (dns.lookup stubbed to fail, so no real DNS): TypeError('fetch failed'),
 *   cause is the lookup error unchanged: code ENOTFOUND / EAI_AGAIN, syscall 'getaddrinfo'.
 * - server destroys the socket after reading the request, before answering:
 *   TypeError('fetch failed'), cause SocketError code UND_ERR_SOCKET 'other side closed'.
 * - server sends headers and part of the body, then destroys the socket: fetch() resolves,
 *   then reading the body rejects with TypeError('terminated'), cause SocketError
 *   UND_ERR_SOCKET 'other side closed'.
 * - server RSTs after reading the request: cause Error ECONNRESET, syscall 'read'.
 * - server RSTs right on accept: cause Error ECONNRESET, syscall 'connect' (100 of 100 runs).
 *   net only reports syscall 'connect' from the connect callback, before which undici writes
 *   nothing, so any error with that syscall proves the request was not sent.
 * - non-HTTP answer: cause HTTPParserError code HPE_INVALID_CONSTANT.
 * - 307 with `redirect: 'error'`: cause Error('unexpected redirect') without a code.
 * - abort / AbortSignal.timeout: a DOMException named AbortError / TimeoutError (numeric
 *   `code`, no cause); the runtime recognises those from its own signal, not here.
 * - Node's happy-eyeballs connect (hostnames with several addresses) reports an AggregateError
 *   whose `errors` are the per-address connect errors; it counts as before-sent only if every
 *   one of them does.
 *
 * Browsers reject with a bare TypeError ('Failed to fetch', 'Load failed', ...) that says
 * nothing about how far the request got, so it is classified as possibly sent.
 */
// UND_ERR_CONNECT_TIMEOUT is undici's own connect timeout: the TCP handshake never completed.
const BEFORE_SENT_CODES =
  /^(?:ECONNREFUSED|ENOTFOUND|EAI_(?:AGAIN|FAIL|NONAME|NODATA)|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/;

const BEFORE_SENT_SYSCALLS = /^(?:connect|getaddrinfo)$/;

type ErrorLike = { code?: unknown; syscall?: unknown; errors?: unknown; cause?: unknown };

/**
 * One coded error: its code (or the first of its per-address errors'), and whether it proves
 * the request unsent (every per-address error must, when there are some).
 */
function classify(error: ErrorLike, nested: ErrorLike[]): FetchErrorClassification {
  const inner = nested.map((e) => classify(e, nestedErrors(e)));
  const code = typeof error.code === 'string' ? error.code : inner.find((c) => c.code)?.code;
  const beforeRequestSent = inner.length
    ? inner.every((c) => c.beforeRequestSent)
    : BEFORE_SENT_CODES.test(code!) || BEFORE_SENT_SYSCALLS.test(error.syscall as string);
  return { code, beforeRequestSent };
}

function nestedErrors(error: ErrorLike): ErrorLike[] {
  return Array.isArray(error.errors)
    ? error.errors.filter((e): e is ErrorLike => typeof e === 'object' && e !== null)
    : [];
}

/**
 * Classifies an error thrown by `fetch` (or by reading its body) so the retry policy can tell
 * "the server never got it" from "the server may have queued it". Anything unknown, including
 * a browser's bare `TypeError`, is classified as possibly sent, which is the safe side for a
 * non-idempotent downlink.
 *
 * @example
 * ```ts
 * try {
 *   await fetch(url, init);
 * } catch (err) {
 *   const { code, beforeRequestSent } = classifyFetchError(err);
 *   if (beforeRequestSent) return sendAgain(); // the server never saw it (`code` says why)
 * }
 * ```
 */
export function classifyFetchError(error: unknown): FetchErrorClassification {
  // Walks `cause` to the first error that carries a code or aggregates per-address errors: that
  // is the one describing what actually went wrong on the wire. The depth bound also ends cycles.
  let current = error as ErrorLike | undefined;
  for (let depth = 0; depth < 8 && typeof current === 'object' && current; depth++) {
    const nested = nestedErrors(current);
    if (typeof current.code === 'string' || nested.length) return classify(current, nested);
    current = current.cause as ErrorLike | undefined;
  }
  return { code: undefined, beforeRequestSent: false };
}
