/**
 * What each scripted fault does to a request, at the three moments it can act: instead of
 * any answer (the connection dropped or held), instead of processing (an error answer), or
 * after processing (the answer lost or replaced).
 */
import { fail, respond, unanswered, type Answer } from '../answers.js';
import type { DecodedExchange } from '../exchange.js';
import type { DxRequestRecord } from '../records.js';
import type { ChosenFault } from './faults.js';
import type { TokenIssuer } from './token-issuer.js';

const internalError = (): { code: string; message: string } => ({
  code: 'internal_error',
  message: 'internal server error',
});

/** `timeout` and `reset-before`: no answer at all, before even the latency. */
export function connectionFault(chosen: ChosenFault, record: DxRequestRecord): Answer | undefined {
  if (chosen.fault === 'timeout') return unanswered(record, 'no-answer');
  if (chosen.fault === 'reset-before') return unanswered(record, 'reset');
  return undefined;
}

/** The faults answered instead of processing the request: nothing is queued. */
export function answerFault(
  chosen: ChosenFault,
  exchange: DecodedExchange,
  record: DxRequestRecord,
  issuer: TokenIssuer,
): Answer | undefined {
  const retryAfter = { 'retry-after': String(chosen.retryAfterSeconds) };
  switch (chosen.fault) {
    case 'too-many-requests':
      return fail(record, 429, { code: 'rate_limited', message: 'too many requests' }, retryAfter);
    case 'unavailable':
      return fail(
        record,
        503,
        { code: 'service_unavailable', message: 'the service is unavailable; try again later' },
        retryAfter,
      );
    case 'server-error':
      return fail(record, 500, internalError());
    case 'token-expired':
      issuer.revoke(exchange.headers);
      record.auth = 'expired';
      return fail(
        record,
        401,
        { code: 'token_expired', message: 'the bearer token has expired; request a new one' },
        { 'www-authenticate': 'Bearer error="invalid_token"' },
      );
    case 'redirect':
      return respond(record, chosen.redirectStatus, undefined, {
        location: chosen.location ?? exchange.url.href,
      });
    default:
      return undefined;
  }
}

/** The faults that let the request be processed (a downlink queued), then spoil the answer. */
export function afterFault(chosen: ChosenFault, record: DxRequestRecord, answer: Answer): Answer {
  if (chosen.fault === 'reset-after') return unanswered(record, 'reset');
  if (chosen.fault === 'server-error-after') {
    delete record.error;
    return fail(record, 500, internalError());
  }
  return answer;
}
