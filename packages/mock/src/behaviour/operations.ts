/**
 * DX Core requests: the spec operation a path and method name (404 or 405 when none), its
 * bearer token, its validation, and its answer (a test's handler, the built-in downlink answer
 * or the spec's default), with the downlink recorded when one was queued.
 */
import { fail, notUtf8, respond, type Answer } from '../answers.js';
import type { DecodedExchange } from '../exchange.js';
import type { MockSettings } from '../options.js';
import type { RecordStore } from '../record-store.js';
import type { DxRequestRecord } from '../records.js';
import type { SpecOperation } from '../spec/spec.js';
import { validatorFactory, type RawRequest, type Validation } from '../spec/validation.js';
import {
  defaultAnswer,
  DOWNLINK_OPERATION,
  downlinkAnswer,
  type DxOperationAnswer,
  type DxOperationHandler,
  type DxOperationRequest,
} from './handlers.js';
import type { TokenIssuer } from './token-issuer.js';

interface Route {
  operation: SpecOperation;
  validate: (request: RawRequest) => Validation;
  fallback: DxOperationAnswer;
  handler: DxOperationHandler | undefined;
}

/** Answers a request under the base URL; `relative` is its path below it. */
export type OperationCaller = (
  exchange: DecodedExchange,
  record: DxRequestRecord,
  relative: string,
) => Promise<Answer>;

const AUTH_MESSAGES = {
  missing: 'Authorization: Bearer <access token> is missing',
  invalid: 'the bearer token was not issued by this server',
  expired: 'the bearer token has expired; request a new one',
};

function routesOf(settings: MockSettings): Route[] {
  const { doc, operations, handlers } = settings;
  const validatorFor = validatorFactory(doc);
  return operations.map((operation) => ({
    operation,
    validate: validatorFor(operation),
    fallback: defaultAnswer(doc, operation),
    handler: Object.hasOwn(handlers, operation.operationId)
      ? handlers[operation.operationId]
      : undefined,
  }));
}

/** The route of the path and method, or the 404 or 405 answer. */
function routeOf(
  routes: Route[],
  exchange: DecodedExchange,
  record: DxRequestRecord,
  relative: string,
): Route | Answer {
  const { method, url } = exchange;
  const candidates = routes.filter((r) => r.operation.pattern.test(relative));
  if (candidates.length === 0) {
    return fail(record, 404, {
      code: 'not_found',
      message: `no operation at ${method} ${url.pathname}`,
    });
  }
  const route = candidates.find((r) => r.operation.method === method);
  if (route) return route;
  const allow = [...new Set(candidates.map((r) => r.operation.method))].join(', ');
  const message = `${method} is not allowed on ${url.pathname}; use ${allow}`;
  return fail(record, 405, { code: 'method_not_allowed', message }, { allow });
}

/** The 401 answer when the operation needs a valid bearer token and has none. */
function unauthorized(
  issuer: TokenIssuer,
  exchange: DecodedExchange,
  record: DxRequestRecord,
): Answer | undefined {
  const auth = issuer.stateOf(exchange.headers);
  record.auth = auth;
  if (auth === 'valid') return undefined;
  const code = auth === 'expired' ? 'token_expired' : 'unauthorized';
  const error = { code, message: AUTH_MESSAGES[auth] };
  return fail(record, 401, error, { 'www-authenticate': 'Bearer' });
}

/** The test's handler answer, checked; a throw or a bad status is a 500 naming the handler. */
async function handlerAnswer(
  handler: DxOperationHandler,
  request: DxOperationRequest,
  fallback: DxOperationAnswer,
  record: DxRequestRecord,
): Promise<{ answer: DxOperationAnswer } | { refused: Answer }> {
  const blame = (why: string): { refused: Answer } => ({
    refused: fail(record, 500, {
      code: 'handler_error',
      message: `the handler of ${request.operationId} ${why}`,
    }),
  });
  let answer: DxOperationAnswer;
  try {
    answer = await handler(request, fallback);
  } catch (error) {
    return blame(`threw: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Number.isInteger(answer?.status) || answer.status < 200 || answer.status > 599) {
    return blame('returned no status from 200 to 599');
  }
  return { answer };
}

// Our own values only: a route, a request or an answer we built (a handler's is never asked).
const isAnswer = (value: object): value is Answer => 'kind' in value;

/** The request as a handler sees it, or the 400 answer when it breaks the spec. */
function validRequest(
  route: Route,
  exchange: DecodedExchange,
  record: DxRequestRecord,
  relative: string,
): DxOperationRequest | Answer {
  const { operation } = route;
  if (exchange.bodyText === undefined) return notUtf8(record);
  const validation = route.validate({
    pathValues: operation.pattern.exec(relative)!.slice(1),
    query: exchange.url.searchParams,
    headers: exchange.headers,
    bodyText: exchange.bodyText,
  });
  if (!validation.ok) {
    const { status, ...error } = validation.problem;
    return fail(record, status, error);
  }
  return {
    operationId: operation.operationId,
    method: exchange.method,
    path: exchange.url.pathname,
    ...validation.value,
    headers: record.headers,
  };
}

/** The answer to a valid request; a 2xx to a downlink keeps the downlink it queued. */
async function operationAnswer(
  route: Route,
  request: DxOperationRequest,
  record: DxRequestRecord,
  records: RecordStore,
): Promise<Answer> {
  const isDownlink = request.operationId === DOWNLINK_OPERATION;
  const downlinkId = isDownlink ? records.nextDownlinkId() : '';
  const fallback = isDownlink
    ? downlinkAnswer(request, route.fallback, downlinkId)
    : route.fallback;
  const handled = route.handler
    ? await handlerAnswer(route.handler, request, fallback, record)
    : { answer: fallback };
  if ('refused' in handled) return handled.refused;
  const { answer } = handled;
  if (isDownlink && answer.status >= 200 && answer.status < 300) {
    records.addDownlink(record, request, answer.body, downlinkId);
  }
  return respond(record, answer.status, answer.body, answer.headers);
}

export function operationCaller(
  settings: MockSettings,
  issuer: TokenIssuer,
  records: RecordStore,
): OperationCaller {
  const routes = routesOf(settings);
  return async (exchange, record, relative) => {
    const route = routeOf(routes, exchange, record, relative);
    if (isAnswer(route)) return route;
    record.operationId = route.operation.operationId;
    const refused = route.operation.secured ? unauthorized(issuer, exchange, record) : undefined;
    if (refused) return refused;
    const request = validRequest(route, exchange, record, relative);
    if (isAnswer(request)) return request;
    return operationAnswer(route, request, record, records);
  };
}
