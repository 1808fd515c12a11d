/**
 * Answers for operations: the default one built from the spec's success response, the
 * built-in answer of `sendDownlinkMessage` (which echoes what was queued, with an id), and the
 * types of the handlers a test can give to override any operation.
 */
import { exampleOf } from '../spec/example.js';
import type { OpenApiDocument } from '../spec/openapi-types.js';
import type { SpecOperation } from '../spec/spec.js';

/**
 * The operation of the spec whose 2xx answers count as queued downlinks.
 *
 * @example
 * ```ts
 * mock.requests.filter((r) => r.operationId === DOWNLINK_OPERATION);
 * ```
 */
export const DOWNLINK_OPERATION = 'sendDownlinkMessage';

/**
 * A request that passed validation, as a handler sees it.
 *
 * @example
 * ```ts
 * const handler = (request: DxOperationRequest) => ({ status: 200, body: { device: request.pathParams['device'] } });
 * ```
 */
export interface DxOperationRequest {
  /** The spec's `operationId`. */
  operationId: string;
  /** Upper case. */
  method: string;
  /** Path as received, without the query. */
  path: string;
  /** Path parameters, percent-decoded and checked against their schemas. */
  pathParams: Record<string, unknown>;
  /** Query parameters, coerced to their schema types (`"true"` → `true`). */
  query: Record<string, unknown>;
  /** Lower-case names; secrets redacted. */
  headers: Record<string, string>;
  /** The parsed body, checked against the spec (secrets included: it is your own test's data). */
  body: unknown;
}

/**
 * What to answer: status, JSON body (omit for none), extra headers.
 *
 * @example
 * ```ts
 * const answer: DxOperationAnswer = { status: 403, body: { code: 'forbidden', message: 'out of scope' } };
 * ```
 */
export interface DxOperationAnswer {
  /** HTTP status, 200 to 599. */
  status: number;
  /** Sent as JSON; omit for an empty body. */
  body?: unknown;
  /** Extra response headers. */
  headers?: Record<string, string>;
}

/**
 * Answers one operation. Gets the answer the mock would give without it (the spec's default, or
 * the built-in downlink answer), so it can return that changed, or something else entirely.
 *
 * @example
 * ```ts
 * const slowQueue: DxOperationHandler = (_request, answer) => ({ ...answer, status: 202 });
 * ```
 */
export type DxOperationHandler = (
  request: DxOperationRequest,
  defaultAnswer: DxOperationAnswer,
) => DxOperationAnswer | Promise<DxOperationAnswer>;

/**
 * Handlers by `operationId`.
 *
 * @example
 * ```ts
 * const handlers: DxOperationHandlers = { sendDownlinkMessage: (_request, answer) => answer };
 * ```
 */
export type DxOperationHandlers = Record<string, DxOperationHandler>;

/** The lowest 2xx response of the operation, with its example (or one built from the schema). */
export function defaultAnswer(doc: OpenApiDocument, operation: SpecOperation): DxOperationAnswer {
  const status = Object.keys(operation.responses)
    .filter((s) => /^2\d\d$/.test(s))
    .sort()[0];
  const response = status ? operation.responses[status] : undefined;
  const media = response?.content?.['application/json'];
  if (!status || !media) return { status: status ? Number(status) : 200 };
  const body = media.example !== undefined ? media.example : exampleOf(doc, media.schema);
  return body === undefined ? { status: Number(status) } : { status: Number(status), body };
}

/** The built-in answer of `sendDownlinkMessage`: the spec's default plus what was queued. */
export function downlinkAnswer(
  request: DxOperationRequest,
  fallback: DxOperationAnswer,
  id: string,
): DxOperationAnswer {
  const { payloadHex, targetPorts } = request.body as { payloadHex: string; targetPorts: string };
  const base = typeof fallback.body === 'object' && fallback.body !== null ? fallback.body : {};
  return {
    ...fallback,
    body: {
      ...base,
      id,
      status: 'QUEUED',
      device: request.pathParams['device'],
      payloadHex,
      targetPorts,
    },
  };
}
