/**
 * What the core tells a transport to do with a request (answer, never answer, or drop the
 * connection), and the JSON answers every endpoint gives, with the headers a browser needs.
 */
import type { DxRequestRecord } from './records.js';

/** What a transport must do: answer, never answer, or drop the connection. */
export type Answer =
  | { kind: 'respond'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'no-answer' }
  | { kind: 'reset' };

/** An `ErrorResponse` of the spec: `code`, `message`, and `field` when one is to blame. */
export type ErrorBody = NonNullable<DxRequestRecord['error']>;

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-expose-headers': 'Retry-After, Location, WWW-Authenticate',
  'access-control-max-age': '600',
};

/** A JSON answer (or an empty one when `body` is `undefined`), never cached. */
export function jsonAnswer(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Extract<Answer, { kind: 'respond' }> {
  return {
    kind: 'respond',
    status,
    headers: {
      ...CORS_HEADERS,
      'cache-control': 'no-store',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

/** Answers, and notes on the request's record that it was answered and how. */
export function respond(
  record: DxRequestRecord,
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): Answer {
  record.outcome = 'answered';
  record.status = status;
  return jsonAnswer(status, body, headers);
}

/** Answers with an `ErrorResponse`, kept on the record too. */
export function fail(
  record: DxRequestRecord,
  status: number,
  error: ErrorBody,
  headers?: Record<string, string>,
): Answer {
  record.error = error;
  return respond(record, status, error, headers);
}

/** The connection is dropped (`reset`) or held open (`no-answer`): the record has no status. */
export function unanswered(record: DxRequestRecord, kind: 'no-answer' | 'reset'): Answer {
  delete record.status;
  delete record.error;
  record.outcome = kind;
  return { kind };
}

// Checked where the body is read (after routing, rate limit and auth), as a server would.
export const notUtf8 = (record: DxRequestRecord): Answer =>
  fail(record, 400, { code: 'invalid_request', message: 'the body is not valid UTF-8' });
