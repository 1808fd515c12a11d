/**
 * The transport a fleet run (`@dx/downlink-helpers`' sendDownlinks) takes from a client:
 * the same transport without retries, the client's retry rule, and its cached token.
 */
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  createDxClient,
  createDxRequest,
  DownlinkService,
  FLEET_TRANSPORT,
  type BaseHttpRequest,
  type FleetTransport,
} from '../src/index.js';
import { json, useTestServers } from '../../../scripts/test-support/http-server.js';

const serve = useTestServers();
const MESSAGE = { payloadHex: '01', targetPorts: '2' };

const fleetOf = (transport: BaseHttpRequest): FleetTransport =>
  (transport as unknown as Record<symbol, () => FleetTransport>)[FLEET_TRANSPORT]!();

describe('FLEET_TRANSPORT', () => {
  it('gives the same transport without retries, the retry rule, and the cached token', async () => {
    let tokenRequests = 0;
    let downlinks = 0;
    const server = await serve((req, res) => {
      if (req.url?.startsWith('/oauth')) {
        tokenRequests++;
        return json(res, 200, { access_token: 'tok-1', expires_in: 3600 });
      }
      // Every other downlink answers 503: the client's own retry gets through, the fleet's
      // transport reports it.
      if (downlinks++ % 2 === 0) return json(res, 503, {}, { 'Retry-After': '0' });
      json(res, 200, { status: 'QUEUED' });
    });
    const client = createDxClient({
      baseUrl: `${server.url}/core/latest/api`,
      auth: { clientId: 'tp/login', clientSecret: 'secret', tokenUrl: `${server.url}/oauth/token` },
      retry: { maxDelayMs: 4000 },
    });
    const fleet = fleetOf(client.request);
    expect(fleet.retry.maxDelayMs).toBe(4000);
    expect(await fleet.getToken()).toBe('tok-1');
    await expect(
      client.downlink.sendDownlinkMessage({ device: 'd1', requestBody: MESSAGE }),
    ).resolves.toMatchObject({ status: 'QUEUED' });
    const bare = new DownlinkService(fleet.withoutRetry());
    const error = await bare
      .sendDownlinkMessage({ device: 'd1', requestBody: MESSAGE })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    // One token for all of it: the fleet's getToken and both transports share the cache.
    expect(tokenRequests).toBe(1);
    const authorizations = server.requests
      .filter((r) => !r.url.startsWith('/oauth'))
      .map((r) => r.headers.authorization);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer tok-1']));
  });

  it('a client made with retry: false still says the default rule', () => {
    const transport = createDxRequest({ auth: { token: 't' }, retry: false });
    expect(fleetOf(transport).retry.maxDelayMs).toBe(10_000);
  });
});
