import { createDxClient } from '@dx/core-client';
import { describe, expect, it } from 'vitest';
import { fleetLink } from '../src/sending/fleet-transport.js';
import type { DownlinkClient } from '../src/sending/downlink-client.js';

// The link is built without a request: no server is needed, and none is called.
const auth = { token: 'fleet-transport-test-token' };
const BASE_URL = 'http://127.0.0.1:9/api';

describe('fleetLink: the pace a run keeps is its client’s', () => {
  it('keeps the retry settings a client of @dx/core-client was given', () => {
    const client = createDxClient({
      baseUrl: BASE_URL,
      auth,
      retry: { baseDelayMs: 40, maxDelayMs: 900 },
    });
    const link = fleetLink(client);
    expect([link.baseDelayMs, link.maxDelayMs]).toEqual([40, 900]);
    expect(typeof link.getToken).toBe('function');
  });

  it('uses the client’s documented defaults (250 ms, 10 s) for any other client', () => {
    const other = { downlink: { sendDownlinkMessage: () => Promise.resolve({}) } };
    const link = fleetLink(other as unknown as DownlinkClient);
    expect([link.baseDelayMs, link.maxDelayMs]).toEqual([250, 10_000]);
    expect(link.getToken).toBeUndefined();
  });

  it('uses the same defaults for a client created with retry: false', () => {
    const link = fleetLink(createDxClient({ baseUrl: BASE_URL, auth, retry: false }));
    expect([link.baseDelayMs, link.maxDelayMs]).toEqual([250, 10_000]);
  });
});
