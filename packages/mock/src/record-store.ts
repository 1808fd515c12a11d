/**
 * The mock's memory: the last `maxRecords` requests and downlinks (the oldest dropped, in
 * place, since tests hold on to the arrays), exact counts, and the downlink ids handed out.
 */
import type { DxOperationRequest } from './behaviour/handlers.js';
import type { DecodedExchange } from './exchange.js';
import {
  hexToBytes,
  queryOf,
  redactBody,
  redactHeaders,
  type DxDownlinkRecord,
  type DxRequestRecord,
} from './records.js';
import { mediaTypeOf } from './spec/validation.js';

/** Appends, dropping the oldest past `max`, in place (tests hold on to the array). */
function keep<T>(list: T[], item: T, max: number): void {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

/** A body as the record shows it: a form or JSON parsed, anything else as text. */
function looseBody(headers: Record<string, string>, text: string): unknown {
  if (text === '') return undefined;
  if (mediaTypeOf(headers) === 'application/x-www-form-urlencoded') {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export class RecordStore {
  readonly requests: DxRequestRecord[] = [];
  readonly downlinks: DxDownlinkRecord[] = [];
  /** Totals, counting what was dropped; one object updated in place, as tests hold on to it. */
  readonly counts = { requests: 0, downlinks: 0 };
  readonly #max: number;
  readonly #now: () => number;
  // Taken when a downlink's answer is built, before any handler is awaited: requests that wait
  // on an async handler at the same time each hold their own id.
  #lastDownlinkId = 0;

  constructor(maxRecords: number, now: () => number) {
    this.#max = maxRecords;
    this.#now = now;
  }

  /** A record of the request, secrets redacted, pending until it is answered. */
  open(exchange: DecodedExchange): DxRequestRecord {
    const { bodyText } = exchange;
    const record: DxRequestRecord = {
      seq: ++this.counts.requests,
      method: exchange.method,
      path: exchange.url.pathname,
      query: redactBody(queryOf(exchange.url.searchParams)) as DxRequestRecord['query'],
      headers: redactHeaders(exchange.headers),
      body: bodyText === undefined ? undefined : redactBody(looseBody(exchange.headers, bodyText)),
      endpoint: 'unknown',
      outcome: 'pending',
      queued: false,
    };
    keep(this.requests, record, this.#max);
    return record;
  }

  nextDownlinkId(): string {
    return `dl-${++this.#lastDownlinkId}`;
  }

  /** Keeps the downlink a 2xx answer queued, under the id the answer gave (else `givenId`). */
  addDownlink(
    record: DxRequestRecord,
    request: Pick<DxOperationRequest, 'pathParams' | 'query' | 'body'>,
    answerBody: unknown,
    givenId: string,
  ): void {
    const body = request.body as {
      payloadHex?: unknown;
      targetPorts?: unknown;
      securityParams?: unknown;
    };
    if (typeof body?.payloadHex !== 'string' || typeof body.targetPorts !== 'string') return;
    this.counts.downlinks++;
    const answeredId = (answerBody as { id?: unknown } | undefined)?.id;
    const id = typeof answeredId === 'string' ? answeredId : givenId;
    const fPorts = body.targetPorts.split(',').map(Number);
    const downlink: DxDownlinkRecord = {
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
      receivedAt: new Date(this.#now()).toISOString(),
    };
    keep(this.downlinks, downlink, this.#max);
    record.queued = true;
    record.downlinkId = id;
  }

  /** Empties both lists in place; counts and ids go on. */
  clear(): void {
    this.requests.length = 0;
    this.downlinks.length = 0;
  }

  /** Empties both lists and counts and downlink ids from zero. */
  reset(): void {
    this.clear();
    this.counts.requests = 0;
    this.counts.downlinks = 0;
    this.#lastDownlinkId = 0;
  }
}
