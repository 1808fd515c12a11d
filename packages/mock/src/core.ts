/**
 * The one implementation behind both transports (`startDxMock`'s HTTP server and the msw
 * handlers): it takes a request as method, URL, headers and body bytes, applies the rate limit
 * and scripted faults, routes to a spec operation or the token endpoint, and records. Each
 * concern lives in its own module; this one only orders them. The transports carry bytes.
 */
import { fail, respond, type Answer } from './answers.js';
import { Conditions } from './behaviour/conditions.js';
import { afterFault, answerFault, connectionFault } from './behaviour/fault-answers.js';
import { operationCaller, type OperationCaller } from './behaviour/operations.js';
import {
  createTokenIssuer,
  tokenEndpointAnswer,
  type TokenIssuer,
} from './behaviour/token-issuer.js';
import type { DxMockControls } from './controls.js';
import { endpointsAt, type Endpoint } from './endpoints.js';
import { decode, MAX_BODY_BYTES, type DecodedExchange, type Exchange } from './exchange.js';
import { settingsOf, type DxMockOptions } from './options.js';
import { RecordStore } from './record-store.js';
import type { DxRequestRecord } from './records.js';

// The bench (scripts/bench/mock-memory.ts) builds a core with the default cap from here.
export { DEFAULT_MAX_RECORDS } from './options.js';

export interface MockCore extends DxMockControls {
  handle(exchange: Exchange): Promise<Answer>;
}

const isPreflight = (exchange: DecodedExchange): boolean =>
  exchange.method === 'OPTIONS' && Boolean(exchange.headers['access-control-request-method']);

const tooLarge = (record: DxRequestRecord): Answer =>
  fail(record, 413, {
    code: 'payload_too_large',
    message: `the body is larger than ${MAX_BODY_BYTES} bytes`,
  });

/** The steps a request goes through once it is decoded and recorded, in a real DX's order. */
function pipeline(parts: {
  issuer: TokenIssuer;
  conditions: Conditions;
  endpointOf: (url: URL) => Endpoint | undefined;
  callOperation: OperationCaller;
}): (exchange: DecodedExchange, record: DxRequestRecord) => Promise<Answer> {
  const { issuer, conditions, endpointOf, callOperation } = parts;
  return async (exchange, record) => {
    if (isPreflight(exchange)) {
      record.endpoint = 'preflight';
      return respond(record, 204, undefined);
    }
    const endpoint = endpointOf(exchange.url);
    if (!endpoint) {
      const message = `no endpoint at ${exchange.url.pathname}`;
      return fail(record, 404, { code: 'not_found', message });
    }
    record.endpoint = endpoint.kind;
    const limited = endpoint.kind === 'api' ? conditions.refusal(record) : undefined;
    if (limited) return limited;
    const chosen = conditions.faults.take(endpoint.kind);
    if (chosen) record.fault = chosen.fault;
    const dropped = chosen && connectionFault(chosen, record);
    if (dropped) return dropped;
    await conditions.wait();
    const early = chosen && answerFault(chosen, exchange, record, issuer);
    if (early) return early;
    const answer =
      endpoint.kind === 'token'
        ? tokenEndpointAnswer(issuer, exchange, record)
        : await callOperation(exchange, record, endpoint.relative);
    return chosen ? afterFault(chosen, record, answer) : answer;
  };
}

export function createMockCore(
  options: DxMockOptions,
  urls: { baseUrl: string; tokenUrl: string },
): MockCore {
  const settings = settingsOf(options);
  const { clientId, clientSecret, tokenLifetimeSeconds: lifetimeSeconds, now } = settings;
  const issuer = createTokenIssuer({ clientId, clientSecret, lifetimeSeconds, now });
  const records = new RecordStore(settings.maxRecords, now);
  const conditions = new Conditions(settings);
  const process = pipeline({
    issuer,
    conditions,
    endpointOf: endpointsAt(urls),
    callOperation: operationCaller(settings, issuer, records),
  });
  const { faults } = conditions;

  return {
    clientId,
    clientSecret,
    requests: records.requests,
    downlinks: records.downlinks,
    counts: records.counts,
    async handle(raw) {
      const { exchange, oversize } = decode(raw);
      const record = records.open(exchange);
      // Refused before routing, as the web server in front of DX does.
      if (oversize) return tooLarge(record);
      try {
        return await process(exchange, record);
      } catch (error) {
        // A bug of the mock itself: say so rather than hang the caller.
        const why = error instanceof Error ? error.message : String(error);
        return fail(record, 500, { code: 'mock_error', message: `dx-mock failed: ${why}` });
      }
    },
    setRateLimit: (limit) => conditions.setRateLimit(limit),
    setLatency: (ms) => conditions.setLatency(ms),
    failNext: (count, fault, faultOptions) => faults.failNext(count, fault, faultOptions),
    failShare: (ratio, fault, faultOptions) => faults.failShare(ratio, fault, faultOptions),
    clearFaults: () => faults.clear(),
    clearRecords: () => records.clear(),
    reset() {
      records.reset();
      conditions.reset();
    },
  };
}
