import { ApiError, createDxClient, NetworkError, type DxCoreClient } from '@dx/core-client';
import { sendDownlink } from '@dx/downlink-helpers';
import { describe, expect, it } from 'vitest';
import type { DxMock } from '../src/index.js';
import { DEVICE, mockServer } from './support.js';

/** The real client, configured from nothing but what the mock hands out. */
function clientFor(mock: DxMock, retry?: { baseDelayMs: number }): DxCoreClient {
  return createDxClient({
    baseUrl: mock.url,
    auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
    ...(retry ? { retry } : {}),
  });
}

const send = (client: DxCoreClient) =>
  sendDownlink(client, {
    device: DEVICE,
    payload: new Uint8Array([3, 0x67, 1, 0x10]),
    fPort: 2,
    confirm: true,
  });

describe('the real createDxClient + sendDownlink against startDxMock', () => {
  it('works out of the box and the downlink is recorded', async () => {
    const mock = await mockServer();
    const result = await send(clientFor(mock));
    expect(result).toMatchObject({ status: 'QUEUED', id: 'dl-1' });
    expect(mock.downlinks).toMatchObject([
      { device: DEVICE, payloadHex: '03670110', fPort: 2, confirm: true, flush: false },
    ]);
    expect(mock.requests.map((r) => [r.endpoint, r.status])).toEqual([
      ['token', 200],
      ['api', 200],
    ]);
  });

  it('retries a 503 that asked to, and the downlink is queued once', async () => {
    const mock = await mockServer();
    mock.failNext(1, 'unavailable', { retryAfterSeconds: 0 });
    await expect(send(clientFor(mock, { baseDelayMs: 1 }))).resolves.toMatchObject({
      status: 'QUEUED',
    });
    expect(mock.requests.filter((r) => r.endpoint === 'api').map((r) => r.status)).toEqual([
      503, 200,
    ]);
    expect(mock.downlinks).toHaveLength(1);
  });

  it('gets a new token after token-expired and succeeds', async () => {
    const mock = await mockServer();
    const client = clientFor(mock);
    await send(client);
    mock.failNext(1, 'token-expired');
    await expect(send(client)).resolves.toMatchObject({ status: 'QUEUED' });
    expect(mock.requests.map((r) => [r.endpoint, r.status])).toEqual([
      ['token', 200],
      ['api', 200],
      ['api', 401],
      ['token', 200],
      ['api', 200],
    ]);
  });

  it('reset-after: the client sees a network error, but the downlink was queued', async () => {
    const mock = await mockServer();
    mock.failNext(1, 'reset-after');
    const error = await send(clientFor(mock)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(mock.downlinks).toHaveLength(1);
    expect(mock.requests.at(-1)).toMatchObject({ outcome: 'reset', queued: true });
  });

  it('wrong credentials fail at the token endpoint; a 400 from the spec reaches ApiError', async () => {
    const mock = await mockServer();
    const wrong = createDxClient({
      baseUrl: mock.url,
      auth: { clientId: mock.clientId, clientSecret: 'not-it', tokenUrl: mock.tokenUrl },
    });
    await expect(send(wrong)).rejects.toMatchObject({ name: 'AuthError' });
    const raw = clientFor(mock).downlink.sendDownlinkMessage({
      device: DEVICE,
      requestBody: { payloadHex: 'XYZ', targetPorts: '2' },
    });
    const error = await raw.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(400);
    expect((error as ApiError).body).toMatchObject({ field: 'requestBody.payloadHex' });
  });
});
