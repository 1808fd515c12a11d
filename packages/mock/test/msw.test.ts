import { createDxClient, type DxCoreClient } from '@dx/core-client';
import { sendDownlink } from '@dx/downlink-helpers';
import { setupServer } from 'msw/node';
import { describe, expect, it } from 'vitest';
import {
  startDxMock,
  type DxDownlinkRecord,
  type DxMockControls,
  type DxRequestRecord,
} from '../src/index.js';
import { dxHandlers } from '../src/msw.js';
import { DEVICE } from './support.js';

/**
 * One scenario, two transports: the HTTP server and the msw handlers share one core, so the
 * records must be the same (transport headers such as host and connection aside).
 */
async function scenario(
  mock: DxMockControls & { url: string; tokenUrl: string },
  client: DxCoreClient,
): Promise<string[]> {
  const events: string[] = [];
  const send = (confirm: boolean) =>
    sendDownlink(client, {
      device: DEVICE,
      payload: new Uint8Array([1, 2]),
      fPort: 5,
      confirm,
    }).then(
      (r) => events.push(`sent ${r.status} ${String((r as { id?: unknown }).id)}`),
      (e: unknown) => events.push(`failed ${(e as Error).name}`),
    );
  mock.failNext(1, 'unavailable', { retryAfterSeconds: 0 });
  await send(true);
  mock.failNext(1, 'token-expired');
  await send(false);
  const bad = await fetch(`${mock.url}/devices/${DEVICE}/downlinkMessages`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'hello',
  });
  events.push(`raw ${bad.status}`);
  // A valid login but for one byte that no UTF-8 text contains: refused, not read as U+FFFD.
  const form = `grant_type=client_credentials&client_id=${mock.clientId}&client_secret=${mock.clientSecret}&x=`;
  const broken = await fetch(mock.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new Uint8Array([...new TextEncoder().encode(form), 0xff]),
  });
  events.push(`raw ${broken.status}`);
  mock.failNext(1, 'reset-after');
  await send(true);
  return events;
}

const comparable = ({ headers: _headers, ...rest }: DxRequestRecord) => rest;
// Accepted at another moment through each transport.
const timeless = ({ receivedAt: _at, ...rest }: DxDownlinkRecord) => rest;

describe('startDxMock and dxHandlers give the same records', () => {
  it('for the same scenario through the real client', async () => {
    const server = await startDxMock();
    let overHttp: { events: string[]; requests: unknown[]; downlinks: unknown[] };
    try {
      const client = createDxClient({
        baseUrl: server.url,
        auth: {
          clientId: server.clientId,
          clientSecret: server.clientSecret,
          tokenUrl: server.tokenUrl,
        },
        retry: { baseDelayMs: 1 },
      });
      const events = await scenario(server, client);
      overHttp = {
        events,
        requests: server.requests.map(comparable),
        downlinks: server.downlinks.map(timeless),
      };
    } finally {
      await server.close();
    }

    const dx = dxHandlers();
    const msw = setupServer(...dx.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      // No baseUrl or tokenUrl: the handlers answer at createDxClient's defaults.
      const client = createDxClient({
        auth: { clientId: dx.clientId, clientSecret: dx.clientSecret },
        retry: { baseDelayMs: 1 },
      });
      const events = await scenario(dx, client);
      expect({
        events,
        requests: dx.requests.map(comparable),
        downlinks: dx.downlinks.map(timeless),
      }).toEqual(overHttp);
    } finally {
      msw.close();
    }

    expect(overHttp.events).toEqual([
      'sent QUEUED dl-1',
      'sent QUEUED dl-2',
      'raw 401',
      'raw 400',
      'failed NetworkError',
    ]);
    expect(overHttp.downlinks).toHaveLength(3);
  });

  it('a timeout fault through msw never answers, until the client gives up', async () => {
    const dx = dxHandlers();
    const msw = setupServer(...dx.handlers);
    msw.listen({ onUnhandledRequest: 'error' });
    try {
      dx.failNext(1, 'timeout', { target: 'token' });
      const result = await fetch(dx.tokenUrl, {
        method: 'POST',
        signal: AbortSignal.timeout(200),
      }).catch((e: unknown) => (e as Error).name);
      expect(result).toMatch(/TimeoutError|AbortError/);
      expect(dx.requests[0]).toMatchObject({ endpoint: 'token', outcome: 'no-answer' });
    } finally {
      msw.close();
    }
  });
});
