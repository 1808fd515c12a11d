/**
 * What must have arrived at the DX mock after one consumer ran, from the mock's request records
 * (the runner's mock, or the one a consumer ran itself and printed): the OAuth client-credentials
 * token request, then exactly one downlink POST with the DevEUI in the path,
 * `confirmDownlink=true`, a bearer token the mock issued and the body
 * `{ payloadHex: '03670110', targetPorts: '2' }`; from a browser also the CORS preflight that
 * announces the Authorization header; nothing else (the consumers' FPort 0 misuse must not
 * reach the network).
 */
import { isDeepStrictEqual } from 'node:util';
import type { DxRequestRecord } from '@dx/mock';

export const CLIENT_ID = 'tenant/login';
export const CLIENT_SECRET = 'secret';
export const DEVICE = '0018B20000000B20';
const DOWNLINK_PATH = `/core/latest/api/devices/${DEVICE}/downlinkMessages`;

/** One line per request, with only what the proof is about. */
function summary(r: DxRequestRecord): string {
  const media = (r.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  const answer = `-> ${r.status ?? r.outcome}${r.queued ? ' queued' : ''}`;
  if (r.endpoint === 'preflight') {
    const announced = /authorization/i.test(r.headers['access-control-request-headers'] ?? '');
    return `OPTIONS ${r.path} ${announced ? 'announcing Authorization' : 'without Authorization'}`;
  }
  if (r.endpoint === 'token') {
    const form = (r.body ?? {}) as Record<string, string>;
    return `${r.method} token ${media} grant_type=${form['grant_type']} client_id=${form['client_id']} ${answer}`;
  }
  // DX treats an absent flushDownlinkQueue as false.
  const { flushDownlinkQueue, ...query } = r.query;
  if (flushDownlinkQueue !== undefined && flushDownlinkQueue !== 'false')
    query['flushDownlinkQueue'] = flushDownlinkQueue;
  const body =
    r.body && typeof r.body === 'object'
      ? JSON.stringify(r.body, Object.keys(r.body).sort())
      : String(r.body);
  return `${r.method} ${r.path}?${new URLSearchParams(query as Record<string, string>)} auth=${r.auth} ${media} ${body} ${answer}`;
}

const TOKEN = `POST token application/x-www-form-urlencoded grant_type=client_credentials client_id=${CLIENT_ID} -> 200`;
const PREFLIGHT = `OPTIONS ${DOWNLINK_PATH} announcing Authorization`;
const DOWNLINK = `POST ${DOWNLINK_PATH}?confirmDownlink=true auth=valid application/json {"payloadHex":"03670110","targetPorts":"2"} -> 200 queued`;

/** Returns the problems found (empty when everything arrived as expected). */
export function checkArrivals(all: DxRequestRecord[], options: { browser: boolean }): string[] {
  const got = all.map(summary);
  const want = options.browser ? [TOKEN, PREFLIGHT, DOWNLINK] : [TOKEN, DOWNLINK];
  if (isDeepStrictEqual(got, want)) return [];
  return [`the mock saw:\n    ${got.join('\n    ')}\n  expected:\n    ${want.join('\n    ')}`];
}
