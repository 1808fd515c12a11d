import { AbortError, NetworkError, TimeoutError, type RequestSummary } from '../errors.js';
import { classifyFetchError, type AttemptOutcome } from '../retry-policy.js';
import type { RequestContext } from './request.js';

export interface Attempt {
  info: RequestSummary;
  body: string | undefined;
  headers: Headers;
  credentials: RequestCredentials | undefined;
  /** The caller's cancellation; the per-attempt timeout is layered on top of it. */
  signal: AbortSignal;
  attempts: number;
}

/** A response whose attempt timer still runs until `finish()` (body read or discarded). */
export interface Exchange {
  kind: 'response';
  response: Response;
  timedOut: () => boolean;
  finish: () => void;
}

export type AttemptResult =
  | Exchange
  | { kind: 'aborted'; error: AbortError }
  | { kind: 'timeout' | 'network'; outcome: AttemptOutcome; error: TimeoutError | NetworkError };

/**
 * One HTTP exchange with its own timeout, layered on the caller's signal. The timer keeps
 * running while the body is read, so a server that stalls mid-body times out too.
 */
export async function fetchOnce(context: RequestContext, attempt: Attempt): Promise<AttemptResult> {
  const { info, signal } = attempt;
  if (signal.aborted)
    return { kind: 'aborted', error: new AbortError(info, { attempts: attempt.attempts }) };
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, context.timeoutMs);
  const onAbort = (): void => controller.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const finish = (): void => {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  };
  const init: RequestInit = {
    method: info.method,
    headers: attempt.headers,
    signal: controller.signal,
  };
  if (attempt.body !== undefined) init.body = attempt.body;
  if (attempt.credentials) init.credentials = attempt.credentials;
  try {
    const response = await (context.fetch ?? globalThis.fetch)(info.url, init);
    return { kind: 'response', response, timedOut: () => timedOut, finish };
  } catch (error) {
    finish();
    if (signal.aborted)
      return { kind: 'aborted', error: new AbortError(info, { attempts: attempt.attempts }) };
    if (timedOut) {
      const timeout = new TimeoutError(info, context.timeoutMs, { attempts: attempt.attempts });
      return { kind: 'timeout', outcome: { kind: 'timeout' }, error: timeout };
    }
    const { code, beforeRequestSent } = classifyFetchError(error);
    return {
      kind: 'network',
      outcome: { kind: 'network', beforeRequestSent },
      error: new NetworkError(
        info,
        { code, beforeRequestSent, cause: error },
        { attempts: attempt.attempts },
      ),
    };
  }
}
