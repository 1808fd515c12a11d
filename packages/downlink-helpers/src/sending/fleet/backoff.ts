import type { FleetLink } from '../fleet-transport.js';

export { backoff };

/**
 * Wait before re-sending after a 503 without `Retry-After`, a refused connection or a token
 * that could not be had: the client's rule (exponential from `baseDelayMs`, capped at
 * `maxDelayMs`, equal jitter so that runs sharing DX do not retry in step).
 */
function backoff(tries: number, link: Pick<FleetLink, 'baseDelayMs' | 'maxDelayMs'>): number {
  const step = Math.min(link.maxDelayMs, link.baseDelayMs * 2 ** Math.min(30, tries - 1));
  return step / 2 + Math.random() * (step / 2);
}
