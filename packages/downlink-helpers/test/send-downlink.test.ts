import { inspect } from 'node:util';
import { ApiError, createDxClient, createDxRequest, DownlinkService } from '@dx/core-client';
import { describe, expect, it } from 'vitest';
import {
  DownlinkError,
  encodeCayenneLpp,
  sendDownlink,
  type SendDownlinkOptions,
} from '../src/index.js';
import { json, useTestServers, type Handler } from '../../../scripts/test-support/http-server.js';

const serve = useTestServers();

async function setup(handler: Handler = (_req, res) => json(res, 200, { status: 'QUEUED' })) {
  const tokens = await serve((_req, res) =>
    json(res, 200, { access_token: 'tok-SECRET-1', expires_in: 3600 }),
  );
  const dx = await serve(handler);
  const client = createDxClient({
    baseUrl: `${dx.url}/core/latest/api`,
    auth: { clientId: 'tpk/login', clientSecret: 'client-SECRET', tokenUrl: tokens.url },
    retry: false,
  });
  return { client, dx, tokens };
}

describe('sendDownlink against a real server', () => {
  it('sends exactly the right request', async () => {
    const { client, dx } = await setup();
    const result = await sendDownlink(client, {
      device: '00-18-b2-00-00-00-0b-20',
      payload: encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]),
      fPort: 2,
      region: 'EU868',
      dataRate: 0,
      confirm: true,
      flushQueue: false,
      securityParams: { asId: 'as-1', asKey: 'asKEY-SECRET' },
    });
    expect(result).toEqual({ status: 'QUEUED' });
    expect(dx.requests).toHaveLength(1);
    const [req] = dx.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe(
      '/core/latest/api/devices/0018B20000000B20/downlinkMessages?confirmDownlink=true&flushDownlinkQueue=false',
    );
    expect(req?.headers.authorization).toBe('Bearer tok-SECRET-1');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(req?.body ?? '')).toEqual({
      payloadHex: '03670110',
      targetPorts: '2',
      securityParams: { asId: 'as-1', asKey: 'asKEY-SECRET' },
    });
  });

  it('sends a device ref unchanged and leaves out flags that were not given', async () => {
    const { client, dx } = await setup();
    await sendDownlink(client, { device: 'ref-42.a', payload: { hex: '0x01 02' }, fPort: 10 });
    expect(dx.requests[0]?.url).toBe('/core/latest/api/devices/ref-42.a/downlinkMessages');
    expect(JSON.parse(dx.requests[0]?.body ?? '')).toEqual({
      payloadHex: '0102',
      targetPorts: '10',
    });
  });

  const bad: [string, Partial<SendDownlinkOptions> | Record<string, unknown>, string, string][] = [
    ['a DevEUI with 15 digits', { device: '00-18-B2-00-00-00-0B-2' }, 'INVALID_DEVEUI', 'device'],
    ['an empty device', { device: '' }, 'INVALID_DEVICE', 'device'],
    ['a device with a slash', { device: 'a/../x' }, 'INVALID_DEVICE', 'device'],
    ['a numeric device', { device: 42 }, 'INVALID_DEVICE', 'device'],
    ['FPort 0', { fPort: 0 }, 'INVALID_FPORT', 'fPort'],
    ['FPort 224 without opt-in', { fPort: 224 }, 'INVALID_FPORT', 'fPort'],
    ['a string FPort', { fPort: '2' }, 'INVALID_FPORT', 'fPort'],
    ['bad hex', { payload: { hex: '01 0g' } }, 'INVALID_HEX', 'payload'],
    [
      'a payload too large for EU868 DR0',
      { payload: new Uint8Array(52), region: 'EU868', dataRate: 0 },
      'PAYLOAD_TOO_LARGE',
      'payload',
    ],
    ['an unknown region', { region: 'XX999', dataRate: 0 }, 'UNKNOWN_REGION', 'region'],
    ['a non-boolean confirm', { confirm: 'yes' }, 'INVALID_ARGUMENT', 'confirm'],
    ['a non-boolean flushQueue', { flushQueue: 1 }, 'INVALID_ARGUMENT', 'flushQueue'],
    ['a signal that is not one', { signal: {} }, 'INVALID_ARGUMENT', 'signal'],
    [
      'a signal look-alike without throwIfAborted',
      { signal: { aborted: false, addEventListener() {} } },
      'INVALID_ARGUMENT',
      'signal',
    ],
  ];

  it.each(bad)('refuses %s before sending anything', async (_name, override, code, field) => {
    const { client, dx, tokens } = await setup();
    const options = {
      device: '0018B20000000B20',
      payload: [1, 2],
      fPort: 2,
      ...override,
    } as SendDownlinkOptions;
    const error = await sendDownlink(client, options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownlinkError);
    expect((error as DownlinkError).code).toBe(code);
    expect((error as DownlinkError).field).toBe(field);
    expect(dx.requests).toHaveLength(0);
    expect(tokens.requests).toHaveLength(0);
  });

  it('words the device refusal', async () => {
    const { client } = await setup();
    const error = await sendDownlink(client, { device: 'a/../x', payload: [1], fPort: 1 }).catch(
      (e: unknown) => e,
    );
    expect((error as DownlinkError).message).toBe(
      'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got "a/../x"',
    );
  });

  it('sends through a lone DownlinkService built on createDxRequest, with the same auth', async () => {
    const tokens = await serve((_req, res) =>
      json(res, 200, { access_token: 'tok-SECRET-2', expires_in: 3600 }),
    );
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const request = createDxRequest({
      baseUrl: `${dx.url}/core/latest/api`,
      auth: { clientId: 'tpk/login', clientSecret: 'client-SECRET', tokenUrl: tokens.url },
      retry: false,
    });
    const client = { downlink: new DownlinkService(request) };
    const result = await sendDownlink(client, { device: 'ref-7', payload: [1, 2], fPort: 3 });
    expect(result).toEqual({ status: 'QUEUED' });
    expect(dx.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['POST', '/core/latest/api/devices/ref-7/downlinkMessages', 'Bearer tok-SECRET-2'],
    ]);
    expect(JSON.parse(dx.requests[0]?.body ?? '')).toEqual({
      payloadHex: '0102',
      targetPorts: '3',
    });
  });

  it('refuses a client whose downlink service cannot send, before any request', async () => {
    for (const client of [null, { downlink: null }, { downlink: { sendDownlinkMessage: 'x' } }]) {
      const error = await sendDownlink(client as never, {
        device: 'd',
        payload: [1],
        fPort: 1,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DownlinkError);
      expect((error as DownlinkError).message).toMatch(
        /^client: expected a DxCoreClient or \{ downlink: DownlinkService \}/,
      );
    }
  });

  it('refuses something that is not a client', async () => {
    const error = await sendDownlink({} as never, { device: 'd', payload: [1], fPort: 1 }).catch(
      (e: unknown) => e,
    );
    expect((error as DownlinkError).field).toBe('client');
  });

  it('sends nothing when the signal is already aborted', async () => {
    const { client, dx, tokens } = await setup();
    const controller = new AbortController();
    controller.abort(new Error('user gave up'));
    await expect(
      sendDownlink(client, { device: 'd1', payload: [1], fPort: 1, signal: controller.signal }),
    ).rejects.toThrow('user gave up');
    expect(dx.requests).toHaveLength(0);
    expect(tokens.requests).toHaveLength(0);
  });

  it('an abort cancels the call in flight: the server sees the connection close', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const { client, dx } = await setup((req) => {
      req.socket.on('close', () => closed());
    });
    const controller = new AbortController();
    const pending = sendDownlink(client, {
      device: 'd1',
      payload: [1],
      fPort: 1,
      signal: controller.signal,
    });
    while (dx.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const error = await pending.catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    await connectionClosed;
    expect(dx.requests).toHaveLength(1);
  });

  it('passes API errors through as the client typed them, without the AS key', async () => {
    const { client } = await setup((_req, res) => json(res, 404, { message: 'no such device' }));
    const error = await sendDownlink(client, {
      device: 'd1',
      payload: [1],
      fPort: 1,
      securityParams: { asId: 'as', asKey: 'asKEY-SECRET' },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
    for (const text of [
      (error as Error).message,
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      (error as Error).stack,
    ]) {
      expect(text).not.toContain('asKEY-SECRET');
      expect(text).not.toContain('client-SECRET');
      expect(text).not.toContain('tok-SECRET');
    }
  });
});
