/**
 * `DxMockOptions`, what they default to, and their check: everything a mock is given at start
 * is checked here once, with the option named in the error, before anything listens.
 */
import type { DxFaultRule } from './behaviour/faults.js';
import type { DxOperationHandlers } from './behaviour/handlers.js';
import type { DxRateLimit } from './behaviour/rate-limit.js';
import {
  aFunction,
  check,
  described,
  nonEmptyString,
  nonNegativeMilliseconds,
  object,
  positiveInteger,
  type Rule,
} from './checks.js';
import type { OpenApiDocument } from './spec/openapi-types.js';
import { operationsOf, specOf, type SpecOperation } from './spec/spec.js';

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

/** The options checked, defaults filled in, and the spec's operations found. */
export interface MockSettings {
  clientId: string;
  clientSecret: string;
  tokenLifetimeSeconds: number;
  now: () => number;
  maxRecords: number;
  latencyMs: number;
  rateLimit: DxRateLimit | undefined;
  faults: DxFaultRule[];
  doc: OpenApiDocument;
  operations: SpecOperation[];
  handlers: DxOperationHandlers;
}

const maxRecordsRule: Rule<number> = {
  test: (v): v is number => v === Infinity || positiveInteger.test(v),
  must: 'a positive integer or Infinity',
  range: true,
};
const faultList: Rule<DxFaultRule[]> = {
  test: (v): v is DxFaultRule[] => Array.isArray(v),
  must: 'an array of fault rules',
};
const handlerMap = described(object, 'an object of functions by operationId');

export function checkLatency(name: string, ms: unknown): number {
  return check(name, ms, nonNegativeMilliseconds);
}

/** Each handler is a function named after an operation of the spec. */
function checkHandlers(value: unknown, operations: SpecOperation[]): DxOperationHandlers {
  const handlers = check('options.handlers', value, handlerMap) as DxOperationHandlers;
  const known = new Set(operations.map((o) => o.operationId));
  for (const [name, fn] of Object.entries(handlers)) {
    if (!known.has(name)) {
      throw new TypeError(
        `options.handlers.${name} is not an operation of the spec (${[...known].join(', ')})`,
      );
    }
    check(`options.handlers.${name}`, fn, aFunction);
  }
  return handlers;
}

export function settingsOf(options: DxMockOptions): MockSettings {
  check('options', options, object);
  const doc = specOf(options);
  const operations = operationsOf(doc);
  return {
    clientId:
      options.clientId === undefined
        ? DEFAULT_CLIENT_ID
        : check('options.clientId', options.clientId, nonEmptyString),
    clientSecret:
      options.clientSecret === undefined
        ? DEFAULT_CLIENT_SECRET
        : check('options.clientSecret', options.clientSecret, nonEmptyString, { secret: true }),
    tokenLifetimeSeconds: check(
      'options.tokenLifetimeSeconds',
      options.tokenLifetimeSeconds ?? 3600,
      positiveInteger,
    ),
    now: check('options.now', options.now ?? Date.now, aFunction) as () => number,
    maxRecords: check(
      'options.maxRecords',
      options.maxRecords ?? DEFAULT_MAX_RECORDS,
      maxRecordsRule,
    ),
    latencyMs: checkLatency('options.latencyMs', options.latencyMs ?? 0),
    rateLimit: options.rateLimit,
    faults: check('options.faults', options.faults ?? [], faultList),
    doc,
    operations,
    handlers: checkHandlers(options.handlers ?? {}, operations),
  };
}
