/**
 * The one implementation behind both transports (`startDxMock`'s HTTP server and the msw
 * handlers): it takes a request as method, URL, headers and body text, applies the rate limit
 * and scripted faults, routes to a spec operation or the token endpoint, validates, answers and
 * records. The transports only carry bytes in and out.
 */
import {
  FaultPlan,
  type ChosenFault,
  type DxFault,
  type DxFaultOptions,
  type DxFaultRule,
  type DxFaultShareOptions,
} from './behaviour/faults.js';
import {
  defaultAnswer,
  DOWNLINK_OPERATION,
  downlinkAnswer,
  type DxOperationAnswer,
  type DxOperationHandler,
  type DxOperationHandlers,
} from './behaviour/handlers.js';
import type { OpenApiDocument } from './spec/openapi-types.js';
import { LeakyBucket, type DxRateLimit } from './behaviour/rate-limit.js';
import { createTokenIssuer } from './behaviour/token-issuer.js';
import {
  hexToBytes,
  queryOf,
  redactBody,
  redactHeaders,
  type DxDownlinkRecord,
  type DxRequestRecord,
} from './records.js';
import { operationsOf, specOf, type SpecOperation } from './spec/spec.js';
import {
  mediaTypeOf,
  validatorFactory,
  type RawRequest,
  type Validation,
} from './spec/validation.js';

/**
 * The client id the mock accepts unless told otherwise. A test credential, not a secret.
 *
 * @example
 * ```ts
 * (await startDxMock()).clientId === DEFAULT_CLIENT_ID; // true
 * ```
 */
export const DEFAULT_CLIENT_ID = 'dx-mock/tester';
/**
 * The client secret the mock accepts unless told otherwise. A test credential, not a secret.
 *
 * @example
 * ```ts
 * createDxClient({ auth: { clientId: DEFAULT_CLIENT_ID, clientSecret: DEFAULT_CLIENT_SECRET } });
 * ```
 */
export const DEFAULT_CLIENT_SECRET = 'dx-mock-secret';

/**
 * Settings shared by `startDxMock` and `dxHandlers`.
 *
 * @example
 * ```ts
 * const options: DxMockOptions = {
 *   rateLimit: { perSecond: 5, burst: 10 },
 *   faults: [{ fault: 'unavailable', next: 1 }],
 * };
 * ```
 */
export interface DxMockOptions {
  /** The client id the token endpoint accepts. Default {@link DEFAULT_CLIENT_ID}. */
  clientId?: string;
  /** The client secret the token endpoint accepts. Default {@link DEFAULT_CLIENT_SECRET}. */
  clientSecret?: string;
  /** `expires_in` of issued tokens, in seconds; a token is refused once it ran out. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Your own answers, by `operationId`; the others come from the spec (see the README). */
  handlers?: DxOperationHandlers;
  /** A leaky-bucket limit on DX Core requests (not on the token endpoint). Default: none. */
  rateLimit?: DxRateLimit;
  /** Wait this long before each answer. Default 0. */
  latencyMs?: number;
  /** Faults scripted from the start, e.g. `[{ fault: 'unavailable', next: 2 }]`. */
  faults?: DxFaultRule[];
  /** Clock in milliseconds for the rate limit and token lifetimes. Default `Date.now`. */
  now?: () => number;
  /** Another OpenAPI 3.0 document to serve. Default: the DX Core spec this package ships. */
  spec?: OpenApiDocument;
  /**
   * How many requests, and how many downlinks, the records keep: past it the oldest is
   * dropped (`counts` stays exact). Default {@link DEFAULT_MAX_RECORDS}; `Infinity` keeps all.
   */
  maxRecords?: number;
}

/**
 * How many requests and downlinks a mock keeps by default: enough for any test, and a
 * long-running `dx mock` stays within some 20 MB however much it receives.
 *
 * @example
 * ```ts
 * const mock = await startDxMock({ maxRecords: DEFAULT_MAX_RECORDS * 10 });
 * ```
 */
export const DEFAULT_MAX_RECORDS = 10_000;

/**
 * The largest request body the mock reads, as a web server in front of DX would refuse more
 * (413), whichever transport carries it.
 *
 * @example
 * ```ts
 * new Uint8Array(MAX_BODY_BYTES + 1); // answered 413 by startDxMock and dxHandlers alike
 * ```
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Everything a mock received since it started (or since `reset()`), dropped records included.
 *
 * @example
 * ```ts
 * mock.counts.downlinks - mock.downlinks.length; // how many downlink records were dropped
 * ```
 */
export interface DxMockCounts {
  /** Requests received. */
  readonly requests: number;
  /** Downlinks queued. */
  readonly downlinks: number;
}

/**
 * What both transports return: the records and the knobs that change a running mock.
 *
 * @example
 * ```ts
 * const controls: DxMockControls = await startDxMock();
 * controls.failNext(1, 'reset-after');
 * controls.downlinks.length; // a reset-after downlink still counts
 * ```
 */
export interface DxMockControls {
  /** The client id to give `createDxClient`. */
  readonly clientId: string;
  /** The client secret to give `createDxClient` (a test credential). */
  readonly clientSecret: string;
  /**
   * The last `maxRecords` requests, in arrival order. Cleared in place by
   * {@link DxMockControls.clearRecords}.
   */
  readonly requests: DxRequestRecord[];
  /**
   * The last `maxRecords` accepted downlinks, in order. Cleared in place by
   * {@link DxMockControls.clearRecords}.
   */
  readonly downlinks: DxDownlinkRecord[];
  /** Totals since start or `reset()`, counting the records dropped past `maxRecords`. */
  readonly counts: DxMockCounts;
  /** Sets (or with `undefined` removes) the rate limit; the bucket starts empty. */
  setRateLimit(limit: DxRateLimit | undefined): void;
  /** Sets the wait before each answer. */
  setLatency(ms: number): void;
  /** The next `count` requests (DX Core ones by default) get `fault`. */
  failNext(count: number, fault: DxFault, options?: DxFaultOptions): void;
  /** Each request (DX Core ones by default) gets `fault` with probability `ratio`. */
  failShare(ratio: number, fault: DxFault, options?: DxFaultShareOptions): void;
  /** Removes every scripted fault. */
  clearFaults(): void;
  /** Empties `requests` and `downlinks` (`counts` and downlink ids go on). */
  clearRecords(): void;
  /**
   * Back to the state at start, for the next test: no records, counts and downlink ids from
   * zero, the faults, rate limit and latency given at start. Issued tokens stay valid.
   */
  reset(): void;
}

/** A request as a transport hands it over. */
export interface Exchange {
  method: string;
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string>;
  /**
   * The body's bytes as received: decoding them is the core's job, so both transports agree.
   * `undefined` when it was over {@link MAX_BODY_BYTES} and the transport stopped keeping it.
   */
  body: Uint8Array | undefined;
}

/** An exchange with its body decoded; `undefined` when it was not valid UTF-8. */
interface DecodedExchange extends Omit<Exchange, 'body'> {
  bodyText: string | undefined;
}

// `fatal`: DX reads JSON and forms as UTF-8; a body that is not must be refused, not read as
// U+FFFD, or code that sends broken bytes would pass against the mock and fail in production.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function utf8OrUndefined(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** What a transport must do: answer, never answer, or drop the connection. */
export type Answer =
  | { kind: 'respond'; status: number; headers: Record<string, string>; body: string }
  | { kind: 'no-answer' }
  | { kind: 'reset' };

export interface MockCore extends DxMockControls {
  handle(exchange: Exchange): Promise<Answer>;
}

interface Route {
  operation: SpecOperation;
  validate: (request: RawRequest) => Validation;
  fallback: DxOperationAnswer;
  handler: DxOperationHandler | undefined;
}

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type',
  'access-control-expose-headers': 'Retry-After, Location, WWW-Authenticate',
  'access-control-max-age': '600',
};

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

function nonEmpty(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') {
    throw new TypeError(`options.${name} must be a non-empty string`);
  }
  return value;
}

function checkLatency(ms: unknown): number {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`latencyMs must be a non-negative number of milliseconds; got ${ms}`);
  }
  return ms;
}

function checkMaxRecords(max: unknown): number {
  if (max === Infinity || (Number.isInteger(max) && (max as number) > 0)) return max as number;
  throw new RangeError(`options.maxRecords must be a positive integer or Infinity; got ${max}`);
}

/** Appends, dropping the oldest past `max`, in place (tests hold on to the array). */
function keep<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

function looseBody(headers: Record<string, string>, text: string): unknown {
  if (text === '') return undefined;
  const media = mediaTypeOf(headers);
  if (media === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function withoutSlash(path: string): string {
  return path.endsWith('/') ? path.slice(0, -1) : path;
}

export function createMockCore(
  options: DxMockOptions,
  urls: { baseUrl: string; tokenUrl: string },
): MockCore {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(
      `options must be an object; got ${options === null ? 'null' : typeof options}`,
    );
  }
  const clientId = nonEmpty('clientId', options.clientId, DEFAULT_CLIENT_ID);
  const clientSecret = nonEmpty('clientSecret', options.clientSecret, DEFAULT_CLIENT_SECRET);
  const lifetime = options.tokenLifetimeSeconds ?? 3600;
  if (!Number.isInteger(lifetime) || lifetime <= 0) {
    throw new RangeError(
      `options.tokenLifetimeSeconds must be a positive integer; got ${lifetime}`,
    );
  }
  const now = options.now ?? Date.now;
  const maxRecords = checkMaxRecords(options.maxRecords ?? DEFAULT_MAX_RECORDS);
  let latencyMs = checkLatency(options.latencyMs ?? 0);
  let bucket = options.rateLimit ? new LeakyBucket(options.rateLimit, now) : undefined;
  const faults = new FaultPlan();
  if (options.faults !== undefined && !Array.isArray(options.faults)) {
    throw new TypeError('options.faults must be an array of fault rules');
  }
  for (const rule of options.faults ?? []) faults.add(rule);

  const doc = specOf(options);
  const operations = operationsOf(doc);
  const handlers = options.handlers ?? {};
  if (typeof handlers !== 'object' || handlers === null) {
    throw new TypeError('options.handlers must be an object of functions by operationId');
  }
  for (const [name, handler] of Object.entries(handlers)) {
    if (!operations.some((o) => o.operationId === name)) {
      const known = operations.map((o) => o.operationId).join(', ');
      throw new TypeError(`options.handlers.${name} is not an operation of the spec (${known})`);
    }
    if (typeof handler !== 'function') {
      throw new TypeError(`options.handlers.${name} must be a function`);
    }
  }
  const validatorFor = validatorFactory(doc);
  const routes: Route[] = operations.map((operation) => ({
    operation,
    validate: validatorFor(operation),
    fallback: defaultAnswer(doc, operation),
    handler: Object.hasOwn(handlers, operation.operationId)
      ? handlers[operation.operationId]
      : undefined,
  }));

  const base = new URL(urls.baseUrl);
  const basePath = withoutSlash(base.pathname);
  const token = new URL(urls.tokenUrl);
  const issuer = createTokenIssuer({ clientId, clientSecret, lifetimeSeconds: lifetime, now });
  const requests: DxRequestRecord[] = [];
  const downlinks: DxDownlinkRecord[] = [];
  let seq = 0;
  let downlinkCount = 0;
  // Taken when a downlink's answer is built, before any handler is awaited: requests that wait
  // on an async handler at the same time each hold their own id.
  let lastDownlinkId = 0;

  const respond = (
    record: DxRequestRecord,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): Answer => {
    record.outcome = 'answered';
    record.status = status;
    const text = body === undefined ? '' : JSON.stringify(body);
    return {
      kind: 'respond',
      status,
      headers: {
        ...CORS_HEADERS,
        'cache-control': 'no-store',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: text,
    };
  };

  /** An `ErrorResponse` of the spec: `code`, `message`, and `field` when one is to blame. */
  const fail = (
    record: DxRequestRecord,
    status: number,
    error: { code: string; message: string; field?: string },
    headers?: Record<string, string>,
  ): Answer => {
    record.error = error;
    return respond(record, status, error, headers);
  };

  // Checked where the body is read (after routing, rate limit and auth), as a server would.
  const notUtf8 = (record: DxRequestRecord): Answer =>
    fail(record, 400, { code: 'invalid_request', message: 'the body is not valid UTF-8' });

  const tokenAnswer = (exchange: DecodedExchange, record: DxRequestRecord): Answer => {
    if (exchange.bodyText === undefined) return notUtf8(record);
    const { status, body, headers, error } = issuer.answer(
      exchange.method,
      exchange.headers,
      exchange.bodyText,
    );
    if (error) record.error = error;
    return respond(record, status, body, headers);
  };

  const recordDownlink = (
    record: DxRequestRecord,
    request: { pathParams: Record<string, unknown>; query: Record<string, unknown>; body: unknown },
    answerBody: unknown,
    givenId: string,
  ): void => {
    const body = request.body as {
      payloadHex?: unknown;
      targetPorts?: unknown;
      securityParams?: unknown;
    };
    if (typeof body?.payloadHex !== 'string' || typeof body.targetPorts !== 'string') return;
    downlinkCount++;
    const answeredId = (answerBody as { id?: unknown } | undefined)?.id;
    const id = typeof answeredId === 'string' ? answeredId : givenId;
    const fPorts = body.targetPorts.split(',').map(Number);
    keep(
      downlinks,
      {
        id,
        requestSeq: record.seq,
        device: String(request.pathParams['device']),
        payloadHex: body.payloadHex,
        bytes: hexToBytes(body.payloadHex),
        fPort: fPorts[0]!,
        fPorts,
        confirm: request.query['confirmDownlink'] === true,
        flush: request.query['flushDownlinkQueue'] === true,
        securityParams: body.securityParams !== undefined,
        receivedAt: new Date(now()).toISOString(),
      },
      maxRecords,
    );
    record.queued = true;
    record.downlinkId = id;
  };

  const callOperation = async (
    exchange: DecodedExchange,
    record: DxRequestRecord,
    relative: string,
  ): Promise<Answer> => {
    const candidates = routes.filter((r) => r.operation.pattern.test(relative));
    if (candidates.length === 0) {
      return fail(record, 404, {
        code: 'not_found',
        message: `no operation at ${exchange.method} ${exchange.url.pathname}`,
      });
    }
    const route = candidates.find((r) => r.operation.method === exchange.method);
    if (!route) {
      const allow = [...new Set(candidates.map((r) => r.operation.method))].join(', ');
      return fail(
        record,
        405,
        {
          code: 'method_not_allowed',
          message: `${exchange.method} is not allowed on ${exchange.url.pathname}; use ${allow}`,
        },
        { allow },
      );
    }
    const { operation } = route;
    record.operationId = operation.operationId;
    if (operation.secured) {
      record.auth = issuer.stateOf(exchange.headers);
      if (record.auth !== 'valid') {
        const code = record.auth === 'expired' ? 'token_expired' : 'unauthorized';
        const message = {
          missing: 'Authorization: Bearer <access token> is missing',
          invalid: 'the bearer token was not issued by this server',
          expired: 'the bearer token has expired; request a new one',
        }[record.auth!];
        return fail(record, 401, { code, message }, { 'www-authenticate': 'Bearer' });
      }
    }
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
    const request = {
      operationId: operation.operationId,
      method: exchange.method,
      path: exchange.url.pathname,
      ...validation.value,
      headers: record.headers,
    };
    let answer = route.fallback;
    let downlinkId = '';
    if (operation.operationId === DOWNLINK_OPERATION) {
      downlinkId = `dl-${++lastDownlinkId}`;
      answer = downlinkAnswer(request, answer, downlinkId);
    }
    if (route.handler) {
      try {
        answer = await route.handler(request, answer);
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        return fail(record, 500, {
          code: 'handler_error',
          message: `the handler of ${operation.operationId} threw: ${why}`,
        });
      }
      if (!Number.isInteger(answer?.status) || answer.status < 200 || answer.status > 599) {
        return fail(record, 500, {
          code: 'handler_error',
          message: `the handler of ${operation.operationId} returned no status from 200 to 599`,
        });
      }
    }
    if (
      operation.operationId === DOWNLINK_OPERATION &&
      answer.status >= 200 &&
      answer.status < 300
    ) {
      recordDownlink(record, request, answer.body, downlinkId);
    }
    return respond(record, answer.status, answer.body, answer.headers);
  };

  const faultAnswer = (
    exchange: DecodedExchange,
    record: DxRequestRecord,
    chosen: ChosenFault,
  ): Answer | undefined => {
    const retryAfter = { 'retry-after': String(chosen.retryAfterSeconds) };
    switch (chosen.fault) {
      case 'too-many-requests':
        return fail(
          record,
          429,
          { code: 'rate_limited', message: 'too many requests' },
          retryAfter,
        );
      case 'unavailable':
        return fail(
          record,
          503,
          { code: 'service_unavailable', message: 'the service is unavailable; try again later' },
          retryAfter,
        );
      case 'server-error':
        return fail(record, 500, { code: 'internal_error', message: 'internal server error' });
      case 'token-expired': {
        issuer.revoke(exchange.headers);
        record.auth = 'expired';
        return fail(
          record,
          401,
          { code: 'token_expired', message: 'the bearer token has expired; request a new one' },
          { 'www-authenticate': 'Bearer error="invalid_token"' },
        );
      }
      case 'redirect':
        return respond(record, chosen.redirectStatus, undefined, {
          location: chosen.location ?? exchange.url.href,
        });
      default:
        return undefined;
    }
  };

  const process = async (exchange: DecodedExchange, record: DxRequestRecord): Promise<Answer> => {
    const { url } = exchange;
    const isToken = url.origin === token.origin && url.pathname === token.pathname;
    const isApi =
      url.origin === base.origin &&
      (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`));
    if (exchange.method === 'OPTIONS' && exchange.headers['access-control-request-method']) {
      record.endpoint = 'preflight';
      return respond(record, 204, undefined);
    }
    if (!isToken && !isApi) {
      return fail(record, 404, { code: 'not_found', message: `no endpoint at ${url.pathname}` });
    }
    record.endpoint = isToken ? 'token' : 'api';
    if (isApi && bucket) {
      const admission = bucket.take();
      if (!admission.ok) {
        record.fault = 'rate-limit';
        return fail(
          record,
          429,
          { code: 'rate_limited', message: 'rate limit exceeded; honour Retry-After' },
          { 'retry-after': String(admission.retryAfterSeconds) },
        );
      }
    }
    const chosen = faults.take(isToken ? 'token' : 'api');
    if (chosen) record.fault = chosen.fault;
    if (chosen?.fault === 'timeout') {
      record.outcome = 'no-answer';
      return { kind: 'no-answer' };
    }
    if (chosen?.fault === 'reset-before') {
      record.outcome = 'reset';
      return { kind: 'reset' };
    }
    await sleep(latencyMs);
    const early = chosen && faultAnswer(exchange, record, chosen);
    if (early) return early;
    const answer = isToken
      ? tokenAnswer(exchange, record)
      : await callOperation(exchange, record, url.pathname.slice(basePath.length) || '/');
    if (chosen?.fault === 'reset-after') {
      // Processed (and recorded as queued) but the client never hears about it.
      delete record.status;
      delete record.error;
      record.outcome = 'reset';
      return { kind: 'reset' };
    }
    if (chosen?.fault === 'server-error-after') {
      delete record.error;
      return fail(record, 500, { code: 'internal_error', message: 'internal server error' });
    }
    return answer;
  };

  const tooLarge = (record: DxRequestRecord): Answer =>
    fail(record, 413, {
      code: 'payload_too_large',
      message: `the body is larger than ${MAX_BODY_BYTES} bytes`,
    });

  return {
    clientId,
    clientSecret,
    requests,
    downlinks,
    counts: {
      get requests() {
        return seq;
      },
      get downlinks() {
        return downlinkCount;
      },
    },
    async handle({ body, ...exchange }) {
      const oversize = body === undefined || body.length > MAX_BODY_BYTES;
      const bodyText = oversize ? '' : utf8OrUndefined(body);
      const record: DxRequestRecord = {
        seq: ++seq,
        method: exchange.method,
        path: exchange.url.pathname,
        query: redactBody(queryOf(exchange.url.searchParams)) as DxRequestRecord['query'],
        headers: redactHeaders(exchange.headers),
        body:
          bodyText === undefined ? undefined : redactBody(looseBody(exchange.headers, bodyText)),
        endpoint: 'unknown',
        outcome: 'pending',
        queued: false,
      };
      keep(requests, record, maxRecords);
      // Refused before routing, as the web server in front of DX does.
      if (oversize) return tooLarge(record);
      try {
        return await process({ ...exchange, bodyText }, record);
      } catch (error) {
        // A bug of the mock itself: say so rather than hang the caller.
        const why = error instanceof Error ? error.message : String(error);
        return fail(record, 500, { code: 'mock_error', message: `dx-mock failed: ${why}` });
      }
    },
    setRateLimit(limit) {
      bucket = limit ? new LeakyBucket(limit, now) : undefined;
    },
    setLatency(ms) {
      latencyMs = checkLatency(ms);
    },
    failNext: (count, fault, faultOptions) => faults.failNext(count, fault, faultOptions),
    failShare: (ratio, fault, faultOptions) => faults.failShare(ratio, fault, faultOptions),
    clearFaults: () => faults.clear(),
    clearRecords() {
      requests.length = 0;
      downlinks.length = 0;
    },
    reset() {
      requests.length = 0;
      downlinks.length = 0;
      seq = 0;
      downlinkCount = 0;
      lastDownlinkId = 0;
      faults.clear();
      for (const rule of options.faults ?? []) faults.add(rule);
      bucket = options.rateLimit ? new LeakyBucket(options.rateLimit, now) : undefined;
      latencyMs = checkLatency(options.latencyMs ?? 0);
    },
  };
}
