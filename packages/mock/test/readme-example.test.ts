import { createDxClient } from '@dx/core-client';
import { sendDownlink } from '@dx/downlink-helpers';
import { startDxMock, type DxMock } from '@dx/mock';
import { afterEach, beforeEach, expect, it } from 'vitest';

let mock: DxMock;
beforeEach(async () => {
  mock = await startDxMock(); // 127.0.0.1, a free port
});
afterEach(() => mock.close());

it('queues the downlink my code sends', async () => {
  const client = createDxClient({
    baseUrl: mock.url,
    auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
  });

  await sendDownlink(client, {
    device: '0018B20000000B20',
    payload: new Uint8Array([0x03, 0x67, 0x01, 0x10]),
    fPort: 2,
    confirm: true,
  });

  expect(mock.downlinks).toMatchObject([
    { device: '0018B20000000B20', payloadHex: '03670110', fPort: 2, confirm: true },
  ]);
});

it('survives DX being briefly unavailable', async () => {
  mock.failNext(1, 'unavailable', { retryAfterSeconds: 0 });
  const client = createDxClient({
    baseUrl: mock.url,
    auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
  });
  await sendDownlink(client, { device: 'dev-1', payload: new Uint8Array([1]), fPort: 2 });
  expect(mock.requests.filter((r) => r.endpoint === 'api').map((r) => r.status)).toEqual([
    503, 200,
  ]);
  expect(mock.downlinks).toHaveLength(1);
});
