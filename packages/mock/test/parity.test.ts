/**
 * One core, one answer: the same table of requests through the HTTP server and through the
 * msw handlers gives the same status, body and records. A row the msw handlers do not take
 * shows as `unhandled`, and fails the comparison.
 */
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, type DxRequestRecord } from '../src/index.js';
import { dxHandlers } from '../src/msw.js';
import { DEVICE, mockServer, tokenFor, VALID_BODY } from './support.js';

interface Row {
  name: string;
  method?: string;
  /** Under the base URL (`''` is the base URL itself), or `token` for the token endpoint. */
  path: string;
  query?: string;
  /** `none` sends no Authorization header, `bad` a token the mock did not issue. */
  auth?: 'valid' | 'none' | 'bad';
  contentType?: string;
  body?: string | Uint8Array<ArrayBuffer>;
  headers?: Record<string, string>;
}

const downlinkPath = `/devices/${DEVICE}/downlinkMessages`;
const valid = JSON.stringify(VALID_BODY);
/** Valid JSON of exactly `size` bytes: the downlink padded with spaces. */
const paddedTo = (size: number) => valid + ' '.repeat(size - valid.length);

const TABLE: Row[] = [
  { name: 'a valid downlink', path: downlinkPath, body: valid },
  { name: 'a body of 2 MiB', path: downlinkPath, body: paddedTo(2 * 1024 * 1024) },
  {
    name: 'a body one byte over the limit',
    path: downlinkPath,
    body: paddedTo(MAX_BODY_BYTES + 1),
  },
  { name: 'a body exactly at the limit', path: downlinkPath, body: paddedTo(MAX_BODY_BYTES) },
  { name: 'the bare base URL', method: 'GET', path: '' },
  { name: 'the base URL with a slash', method: 'GET', path: '/' },
  { name: 'a POST to the bare base URL', path: '', body: valid },
  { name: 'a path with no operation', method: 'GET', path: '/devices' },
  { name: 'another method on a known path', method: 'GET', path: downlinkPath },
  { name: 'no token', path: downlinkPath, auth: 'none', body: valid },
  { name: 'a token not issued here', path: downlinkPath, auth: 'bad', body: valid },
  {
    name: 'a content type not accepted',
    path: downlinkPath,
    contentType: 'text/plain',
    body: valid,
  },
  {
    name: 'a scalar query parameter twice',
    path: downlinkPath,
    query: '?confirmDownlink=true&confirmDownlink=false',
    body: valid,
  },
  {
    name: 'a query flag that is no boolean',
    path: downlinkPath,
    query: '?confirmDownlink=yes',
    body: valid,
  },
  { name: 'odd-length hex', path: downlinkPath, body: '{"payloadHex":"012","targetPorts":"2"}' },
  { name: 'a body that is not JSON', path: downlinkPath, body: '{"payloadHex":' },
  { name: 'no body', path: downlinkPath },
  {
    name: 'a body that is not UTF-8',
    path: downlinkPath,
    body: new Uint8Array([0x7b, 0xff, 0x7d]),
  },
  { name: 'the token endpoint with GET', method: 'GET', path: 'token', auth: 'none' },
  {
    name: 'the token endpoint with a wrong secret',
    path: 'token',
    auth: 'none',
    contentType: 'application/x-www-form-urlencoded',
    body: 'grant_type=client_credentials&client_id=dx-mock%2Ftester&client_secret=wrong',
  },
  {
    name: 'a CORS preflight',
    method: 'OPTIONS',
    path: downlinkPath,
    auth: 'none',
    headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST' },
  },
  {
    name: 'a confirmed downlink',
    path: downlinkPath,
    query: '?confirmDownlink=true&flushDownlinkQueue=false',
    body: valid,
  },
];

interface Outcome {
  name: string;
  status: number | 'unhandled';
  body: unknown;
}

type Target = { url: string; tokenUrl: string; clientId: string; clientSecret: string };

async function runTable(target: Target): Promise<Outcome[]> {
  const token = await tokenFor(target);
  const outcomes: Outcome[] = [];
  for (const row of TABLE) {
    const url =
      row.path === 'token' ? target.tokenUrl : `${target.url}${row.path}${row.query ?? ''}`;
    const headers: Record<string, string> = { ...row.headers };
    const auth = row.auth ?? 'valid';
    if (auth === 'valid') headers['authorization'] = `Bearer ${token}`;
    if (auth === 'bad') headers['authorization'] = 'Bearer not-issued-here';
    if (row.body !== undefined) headers['content-type'] = row.contentType ?? 'application/json';
    try {
      const res = await fetch(url, {
        method: row.method ?? 'POST',
        headers,
        redirect: 'manual',
        ...(row.body === undefined ? {} : { body: row.body }),
      });
      const text = await res.text();
      outcomes.push({
        name: row.name,
        status: res.status,
        body: text === '' ? '' : JSON.parse(text),
      });
    } catch {
      outcomes.push({ name: row.name, status: 'unhandled', body: undefined });
    }
  }
  return outcomes;
}

// Transport headers (host, connection, user agent) differ; everything else must not.
const comparable = ({ headers: _headers, ...rest }: DxRequestRecord) => rest;

describe('startDxMock and dxHandlers answer every request alike', () => {
  it('the same status and body for each row of the table, and the same records', async () => {
    const server = await mockServer();
    const overHttp = await runTable(server);

    const dx = dxHandlers();
    const msw = setupServer(...dx.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
    let overMsw: Outcome[];
    try {
      overMsw = await runTable(dx);
    } finally {
      msw.close();
    }

    expect(overMsw).toEqual(overHttp);
    expect(dx.requests.map(comparable)).toEqual(server.requests.map(comparable));
    expect(dx.downlinks.map((d) => d.id)).toEqual(server.downlinks.map((d) => d.id));

    // What each transport answers, spelled out for the rows the two used to disagree on.
    const status = (name: string) => overMsw.find((o) => o.name === name)?.status;
    expect(status('a body of 2 MiB')).toBe(413);
    expect(status('a body one byte over the limit')).toBe(413);
    expect(status('a body exactly at the limit')).toBe(200);
    expect(status('the bare base URL')).toBe(404);
    expect(status('a POST to the bare base URL')).toBe(404);
    expect(status('a scalar query parameter twice')).toBe(400);
    expect(status('a content type not accepted')).toBe(400);
    expect(overMsw.find((o) => o.name === 'a body of 2 MiB')?.body).toMatchObject({
      code: 'payload_too_large',
    });
    expect(server.downlinks.map((d) => d.confirm)).toEqual([false, false, true]);
  });
});
