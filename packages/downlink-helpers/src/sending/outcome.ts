import type { ApiError, AuthError, NetworkError } from '@dx/core-client';
import { DownlinkError } from '../errors.js';

/**
 * What became of one item of {@link sendDownlinks}, by what DX did with it (the README's
 * outcome table says how each is journaled and what a resume does):
 *
 * - `queued`: DX answered 2xx. Final.
 * - `failed`: DX answered and refused that item (400, 404 when DX answers something other
 *   than 404 in the run, 409...). Final: sending it again would be refused again.
 * - `unknown`: DX may have processed it (a 500, a timeout, a connection reset after the
 *   request left). Final; sent again only with `resendUnknown`.
 * - `not-sent`: DX certainly did not process it (no token, connection refused, throttling or
 *   503s that ran out, refused credentials, a `Retry-After` beyond the client's `maxDelayMs`,
 *   404s when DX answered nothing else in the run). A plain resume sends it.
 * - `invalid`: refused by validation, nothing was sent.
 * - `skipped`: already queued in an earlier run (journal).
 *
 * @example
 * ```ts
 * import type { DownlinkOutcome } from '@dx/downlink-helpers';
 *
 * const resumable: DownlinkOutcome[] = ['not-sent'];
 * ```
 */
export type DownlinkOutcome = 'queued' | 'failed' | 'unknown' | 'not-sent' | 'invalid' | 'skipped';

/**
 * Why a run stopped on its own (the README's "Outages" has the thresholds):
 * - `unreachable`: DX (or its token endpoint) refused every connection or answered 503;
 * - `server-error`: DX answered 5xx to every request (each such item is `unknown`);
 * - `not-found`: DX answered 404 to everything and nothing else (a wrong base URL?);
 * - `credentials`: the credentials were refused;
 * - `quota`: DX asked to wait longer than the client's `maxDelayMs` (a quota, not a burst).
 *
 * @example
 * ```ts
 * import type { OutageReason } from '@dx/downlink-helpers';
 *
 * const rerunLater: OutageReason[] = ['unreachable', 'quota'];
 * ```
 */
export type OutageReason = 'unreachable' | 'server-error' | 'not-found' | 'credentials' | 'quota';

/**
 * Why an attempt failed, as the run's circuit breaker counts it:
 * - `unreachable`: DX or its token endpoint could not be reached or answered 503;
 * - `server-error`: DX answered 5xx (other than 503) or timed out: it may have processed it;
 * - `not-found`: DX answered 404 (a wrong base URL answers 404 to everything);
 * - `credentials`: the credentials were refused;
 * - `quota`: a `Retry-After` longer than the client's `maxDelayMs`.
 */
export type AttemptFault = OutageReason;

/**
 * How one failed attempt is read. `retry` means DX certainly did not process the request
 * (429, 503, or a connection that never opened): the run sends it again later.
 */
export type AttemptVerdict =
  | { outcome: 'queued' | 'failed' | 'unknown' | 'invalid' | 'not-sent'; fault?: AttemptFault }
  | {
      outcome: 'retry';
      throttled: boolean;
      retryAfterMs: number | undefined;
      fault?: AttemptFault;
    };

const RETRY_UNREACHABLE = {
  outcome: 'retry',
  throttled: false,
  retryAfterMs: undefined,
  fault: 'unreachable',
} as const;

/**
 * The `name` of a `@dx/core-client` error, the stable brand each carries: errors are told
 * apart by it here, since a value import of the classes would keep the client in bundles
 * that only want an encoder.
 */
export function errorName(error: unknown): unknown {
  return (error as { name?: unknown } | null)?.name;
}

/** The HTTP status DX answered with, when the error is DX's answer (`ApiError`). */
export function statusOf(error: unknown): number | undefined {
  return errorName(error) === 'ApiError' ? (error as ApiError).status : undefined;
}

/**
 * Reads an error thrown by a send. The rule: anything DX may have processed is `unknown`,
 * so a run never re-sends what might already sit in a device's queue; anything it certainly
 * did not process is sent again (`retry`, then `not-sent`).
 */
export function classifyError(error: unknown): AttemptVerdict {
  if (error instanceof DownlinkError) return { outcome: 'invalid' };
  // An unknown name (a subclass, a future class) falls through to `unknown`, the safe side.
  switch (errorName(error)) {
    case 'InvalidRequestError':
      return { outcome: 'invalid' };
    case 'ApiError': {
      const { status, retryAfterMs } = error as ApiError;
      return classifyStatus(status, retryAfterMs);
    }
    // 2xx with an unreadable body: DX accepted it, so it counts as queued (never re-sent).
    case 'ResponseParseError':
      return { outcome: 'queued' };
    case 'NetworkError':
      return (error as NetworkError).beforeRequestSent
        ? RETRY_UNREACHABLE
        : { outcome: 'unknown', fault: 'server-error' };
    case 'AuthError':
      return classifyAuth(error as AuthError);
    case 'TimeoutError':
      return { outcome: 'unknown', fault: 'server-error' };
    // Cancellations and anything this list does not know: DX may have queued it.
    default:
      return { outcome: 'unknown' };
  }
}

/**
 * No token, or a 401/403: DX did not act on the downlink. Refused credentials stay refused
 * (the run stops); a token endpoint that is down or slow is an outage like DX's own.
 */
function classifyAuth(error: AuthError): AttemptVerdict {
  const { step, status } = error;
  const refused =
    step === 'unauthorized' ||
    step === 'token-provider' ||
    (status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429);
  return refused ? { outcome: 'not-sent', fault: 'credentials' } : RETRY_UNREACHABLE;
}

/**
 * 429 and 503 say "not processed, come back later"; other 5xx may have been processed. A 503
 * slows the whole run down only with a `Retry-After` (overload); without one it is a
 * passing failure of that request. A 404 is `failed` with a `not-found` fault: the run decides
 * whether DX or a wrong base URL said it.
 */
function classifyStatus(status: number, retryAfterMs: number | undefined): AttemptVerdict {
  if (status === 429 || status === 503) {
    return {
      outcome: 'retry',
      throttled: status === 429 || retryAfterMs !== undefined,
      retryAfterMs,
      ...(status === 503 ? { fault: 'unreachable' as const } : {}),
    };
  }
  if (status === 404) return { outcome: 'failed', fault: 'not-found' };
  if (status === 401 || status === 403) return { outcome: 'not-sent', fault: 'credentials' };
  return status >= 500 ? { outcome: 'unknown', fault: 'server-error' } : { outcome: 'failed' };
}
