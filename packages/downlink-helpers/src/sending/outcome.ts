import type { ApiError, NetworkError } from '@dx/core-client';
import { DownlinkError } from '../errors.js';

/**
 * What became of one item of {@link sendDownlinks}:
 *
 * - `queued`: DX answered 2xx;
 * - `failed`: DX refused it definitively, or it certainly never reached DX;
 * - `unknown`: it may have been queued; never re-sent automatically;
 * - `invalid`: refused by validation, nothing was sent;
 * - `skipped`: already queued in an earlier run (journal).
 *
 * @example
 * ```ts
 * import type { DownlinkOutcome } from '@dx/downlink-helpers';
 *
 * const final: DownlinkOutcome[] = ['queued', 'failed', 'invalid'];
 * ```
 */
export type DownlinkOutcome = 'queued' | 'failed' | 'unknown' | 'invalid' | 'skipped';

/**
 * How one failed attempt is read. `retry` means DX certainly did not process the request
 * (429, 503, or a connection that never opened): the run sends it again later.
 */
export type AttemptVerdict =
  | { outcome: 'queued' | 'failed' | 'unknown' | 'invalid' }
  | { outcome: 'retry'; throttled: boolean; retryAfterMs: number | undefined };

/**
 * Reads an error thrown by a send. The rule: anything DX may have processed is `unknown`,
 * so a run never re-sends what might already sit in a device's queue.
 */
export function classifyError(error: unknown): AttemptVerdict {
  if (error instanceof DownlinkError) return { outcome: 'invalid' };
  // By name, the stable brand every @dx/core-client error carries: a value import of the
  // classes would keep the client in bundles that only want an encoder. An unknown name
  // (a subclass, a future class) falls through to `unknown`, the safe side.
  switch ((error as { name?: unknown } | null)?.name) {
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
        ? { outcome: 'retry', throttled: false, retryAfterMs: undefined }
        : { outcome: 'unknown' };
    // A token that could not be had, or a 401/403: DX did not act on the downlink.
    case 'AuthError':
      return { outcome: 'failed' };
    // Timeouts, cancellations and anything this list does not know: DX may have queued it.
    default:
      return { outcome: 'unknown' };
  }
}

/**
 * 429 and 503 say "not processed, come back later"; other 5xx may have been processed. A 503
 * slows the whole run down only with a `Retry-After` (overload); without one it is a
 * passing failure of that request.
 */
function classifyStatus(status: number, retryAfterMs: number | undefined): AttemptVerdict {
  if (status === 429 || status === 503) {
    return {
      outcome: 'retry',
      throttled: status === 429 || retryAfterMs !== undefined,
      retryAfterMs,
    };
  }
  return { outcome: status >= 500 ? 'unknown' : 'failed' };
}
