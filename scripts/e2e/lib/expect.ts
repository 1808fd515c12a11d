/**
 * What must have arrived at the DX mock (`@dx/mock`) after one consumer ran: the OAuth
 * client-credentials token request(s), then exactly one downlink with the DevEUI in the path,
 * `confirmDownlink=true`, a bearer token the mock issued and the body
 * `{ payloadHex: '03670110', targetPorts: '2' }`, nothing more. The consumers' local misuse
 * check (FPort 0) must not have reached the network. Works on the mock's request records,
 * whether the runner's mock kept them or a consumer ran its own mock and printed them.
 */
import { isDeepStrictEqual } from 'node:util';
import type { DxRequestRecord } from '@dx/mock';

export const CLIENT_ID = 'tenant/login';
export const CLIENT_SECRET = 'secret';
export const DEVICE = '0018B20000000B20';
export const EXPECTED_BODY = { payloadHex: '03670110', targetPorts: '2' };
const DOWNLINK_PATH = `/core/latest/api/devices/${DEVICE}/downlinkMessages`;

function mediaType(r: DxRequestRecord): string {
  return (r.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function show(r: DxRequestRecord): string {
  const q = new URLSearchParams(r.query as Record<string, string>).toString();
  return `${r.method} ${r.path}${q ? `?${q}` : ''} -> ${r.status ?? r.outcome}`;
}

/** Returns the problems found (empty when everything arrived as expected). */
export function checkArrivals(all: DxRequestRecord[], options: { browser: boolean }): string[] {
  const problems: string[] = [];
  const preflights = all.filter((r) => r.endpoint === 'preflight');
  const tokens = all.filter((r) => r.endpoint === 'token');
  const downlinks = all.filter((r) => r.operationId === 'sendDownlinkMessage');
  const others = all.filter(
    (r) => !preflights.includes(r) && !tokens.includes(r) && !downlinks.includes(r),
  );

  for (const r of others) problems.push(`unexpected request ${show(r)}`);

  if (tokens.length === 0)
    problems.push('no token request reached POST /admin/latest/api/oauth/token');
  for (const r of tokens) {
    const form = (r.body ?? {}) as Record<string, string>;
    if (r.method !== 'POST') problems.push(`token request used ${r.method}`);
    if (mediaType(r) !== 'application/x-www-form-urlencoded') {
      problems.push(`token request content-type is ${JSON.stringify(r.headers['content-type'])}`);
    }
    if (form['grant_type'] !== 'client_credentials')
      problems.push(`grant_type was ${form['grant_type']}`);
    if (form['client_id'] !== CLIENT_ID)
      problems.push(`client_id was ${JSON.stringify(form['client_id'])}`);
    // The mock redacts the secret in its records; a 200 means it matched the configured one.
    if (r.status !== 200)
      problems.push(`token request answered ${r.status}: ${JSON.stringify(r.error)}`);
  }

  if (downlinks.length !== 1) {
    problems.push(
      `expected exactly 1 downlink POST, got ${downlinks.length}: ${downlinks.map(show).join('; ')}`,
    );
  }
  const d = downlinks[0];
  if (d) {
    if (d.method !== 'POST') problems.push(`downlink used ${d.method}`);
    if (d.path !== DOWNLINK_PATH)
      problems.push(`downlink path ${d.path}, expected ${DOWNLINK_PATH}`);
    const { confirmDownlink, flushDownlinkQueue, ...restQuery } = d.query;
    if (confirmDownlink !== 'true')
      problems.push(`confirmDownlink=${String(confirmDownlink)}, expected true`);
    if (flushDownlinkQueue !== undefined && flushDownlinkQueue !== 'false') {
      problems.push(`flushDownlinkQueue=${String(flushDownlinkQueue)}, expected absent or false`);
    }
    if (Object.keys(restQuery).length > 0)
      problems.push(`unexpected query ${JSON.stringify(restQuery)}`);
    if (d.auth !== 'valid') problems.push(`bearer token was ${d.auth}, expected an issued one`);
    if (mediaType(d) !== 'application/json') {
      problems.push(`downlink content-type is ${JSON.stringify(d.headers['content-type'])}`);
    }
    if (!isDeepStrictEqual(d.body, EXPECTED_BODY)) {
      problems.push(
        `downlink body ${JSON.stringify(d.body)}, expected exactly ${JSON.stringify(EXPECTED_BODY)}`,
      );
    }
    if (d.status !== 200 || !d.queued)
      problems.push(`downlink answered ${d.status}: ${JSON.stringify(d.error)}`);
  }

  if (options.browser) {
    // Authorization + JSON make the downlink a non-simple request: Chromium must have preflighted it.
    const pre = preflights.find((r) => r.path === DOWNLINK_PATH);
    if (!pre) problems.push('the browser sent no CORS preflight for the downlink');
    else if (!/authorization/i.test(pre.headers['access-control-request-headers'] ?? '')) {
      problems.push('the downlink preflight did not announce the Authorization header');
    }
  } else if (preflights.length > 0) {
    problems.push(`unexpected OPTIONS from a Node consumer: ${preflights.map(show).join('; ')}`);
  }
  return problems;
}

/** Summary of the traffic for the log. */
export function describeArrivals(all: DxRequestRecord[]): string {
  return all.map(show).join('\n      ');
}
