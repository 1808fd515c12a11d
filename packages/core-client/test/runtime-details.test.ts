import { describe, expect, it } from 'vitest';
import { ApiError, createDxClient, DxError, parseRetryAfter, TimeoutError } from '../src/index.js';
import { json, useTestServers } from '../../../scripts/test-support/http-server.js';

const serve = useTestServers();

const MESSAGE = { payloadHex: '03670110', targetPorts: '2' };

describe('runtime details kept while slimming the client', () => {
  it("keeps the client's own Authorization whatever the case of a caller's header", async () => {
    const server = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const client = createDxClient({
      baseUrl: server.url,
      auth: { token: 'own-token' },
      headers: { authorization: 'Bearer someone-else', 'X-Tenant': 't1' },
    });
    await client.downlink.sendDownlinkMessage({ device: 'd1', requestBody: MESSAGE });
    expect(server.requests[0]?.headers.authorization).toBe('Bearer own-token');
    expect(server.requests[0]?.headers['x-tenant']).toBe('t1');
  });

  it('gives errors a name that survives minification and a toJSON of their own fields', () => {
    const error = new ApiError(
      { method: 'POST', url: 'https://h/devices/d1' },
      { status: 404, statusText: 'Not Found', body: { message: 'no' }, requestId: 'r-1' },
      { attempts: 2 },
    );
    expect(error.name).toBe(ApiError.brand);
    expect(error).toBeInstanceOf(DxError);
    expect(error).not.toBeInstanceOf(TimeoutError);
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ApiError',
      message: 'POST https://h/devices/d1 failed with 404 Not Found',
      attempts: 2,
      status: 404,
      statusText: 'Not Found',
      body: { message: 'no' },
      requestId: 'r-1',
      method: 'POST',
      url: 'https://h/devices/d1',
    });
    expect(Object.getOwnPropertySymbols(error.toJSON())).toEqual([]);
  });

  it('reads an asctime Retry-After as GMT whatever the local time zone', () => {
    const zone = process.env['TZ'];
    process.env['TZ'] = 'America/New_York';
    try {
      const now = Date.parse('2015-10-21T07:27:00Z');
      expect(parseRetryAfter('Wed Oct 21 07:28:00 2015', now)).toBe(60_000);
    } finally {
      if (zone === undefined) delete process.env['TZ'];
      else process.env['TZ'] = zone;
    }
  });
});
