import { ApiError, AuthError, InvalidRequestError, NetworkError } from '@dx/core-client';
import { DownlinkError } from '@dx/downlink-helpers';

export type Outcome = 'queued' | 'failed' | 'unknown' | 'invalid' | 'skipped';

/**
 * The outcome of one failed send. TEMPORARY until `sendDownlinks` (fleet branch) lands:
 * then `dx send` takes the library's classification.
 */
export function classify(error: unknown): Outcome {
  if (error instanceof DownlinkError || error instanceof InvalidRequestError) return 'invalid';
  if (error instanceof ApiError || error instanceof AuthError) return 'failed';
  if (error instanceof NetworkError && error.beforeRequestSent) return 'failed';
  return 'unknown';
}
