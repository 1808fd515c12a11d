import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mockServer, postDownlink, tokenFor, VALID_BODY, DEVICE } from './support.js';

/**
 * Whatever arrives, the mock answers with a status the spec (or HTTP) gives for it and an
 * ErrorResponse; it never fails itself (500) and keeps serving. Bounded in runs and time.
 */
const ALLOWED = new Set([200, 204, 400, 401, 404, 405, 413]);

const segment = fc.oneof(
  fc.constantFrom('core', 'latest', 'api', 'devices', DEVICE, 'downlinkMessages', '..', '%', '%E0'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const path = fc.oneof(
  fc.constant(`/core/latest/api/devices/${DEVICE}/downlinkMessages`),
  fc.constant('/admin/latest/api/oauth/token'),
  fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join('/')}`),
  fc.array(segment, { maxLength: 3 }).map((parts) => `/core/latest/api/devices/${parts.join('/')}`),
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .dictionary(
      fc.constantFrom('confirmDownlink', 'flushDownlinkQueue', 'x', 'grant_type'),
      fc.oneof(fc.constantFrom('true', 'false', '', '1', 'TRUE'), fc.string({ maxLength: 8 })),
    )
    .map((q) => `?${new URLSearchParams(q)}`),
);
const body = fc.oneof(
  fc.constant(undefined),
  fc.json().map(String),
  fc.string({ maxLength: 64 }),
  fc
    .record(
      {
        payloadHex: fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.constant('0A0B')),
        targetPorts: fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.constant('2')),
        securityParams: fc.anything({ maxDepth: 2 }),
      },
      { requiredKeys: [] },
    )
    .map((o) => JSON.stringify(o)),
  fc.constant('grant_type=client_credentials&client_id=x&client_secret=y'),
);
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/x-www-form-urlencoded',
  'text/plain',
  'multipart/form-data; boundary=x',
  'application/json;;;',
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');

describe('fuzzing the server', () => {
  it('answers every request with an allowed status and an ErrorResponse, and keeps serving', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    const auth = fc.constantFrom(
      undefined,
      `Bearer ${token}`,
      'Bearer nope',
      'Basic Og==',
      'Bearer',
    );
    await fc.assert(
      fc.asyncProperty(method, path, query, body, contentType, auth, async (m, p, q, b, ct, a) => {
        const headers: Record<string, string> = {};
        if (ct) headers['content-type'] = ct;
        if (a) headers['authorization'] = a;
        const res = await fetch(`${mock.origin}${p}${q}`, {
          method: m,
          headers,
          redirect: 'manual',
          ...(b === undefined || m === 'GET' ? {} : { body: b }),
        });
        const text = await res.text();
        expect(ALLOWED, `${m} ${p}${q} -> ${res.status} ${text}`).toContain(res.status);
        if (res.status >= 400) {
          const error = JSON.parse(text) as Record<string, unknown>;
          const message = error['message'] ?? error['error_description'];
          expect(typeof message).toBe('string');
        }
      }),
      { numRuns: 300, interruptAfterTimeLimit: 20_000, seed: 20261204 },
    );
    expect(mock.requests.every((r) => r.outcome === 'answered')).toBe(true);
    expect((await postDownlink(mock, token, VALID_BODY)).status).toBe(200);
  }, 60_000);
});
