import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  CancelError,
  DxCoreClient,
  DxError,
  InvalidRequestError,
  ResponseParseError,
  type DownlinkMessage,
} from '../src/index.js';
import { json, useTestServers } from '../../../scripts/test-support/http-server.js';

const serve = useTestServers();

const MESSAGE: DownlinkMessage = { payloadHex: '03670110', targetPorts: '2' };

describe('DxCoreClient with the package request runtime', () => {
  it('sends method, path, query, JSON body and headers exactly', async () => {
    const server = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const client = new DxCoreClient({ BASE: `${server.url}/core/latest/api`, TOKEN: 'tok-123' });
    const result = await client.downlink.sendDownlinkMessage({
      device: '0018B20000000B20',
      requestBody: MESSAGE,
      confirmDownlink: true,
      flushDownlinkQueue: false,
    });
    expect(result).toEqual({ status: 'QUEUED' });
    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe(
      '/core/latest/api/devices/0018B20000000B20/downlinkMessages?confirmDownlink=true&flushDownlinkQueue=false',
    );
    expect(JSON.parse(req?.body ?? '')).toEqual(MESSAGE);
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers.authorization).toBe('Bearer tok-123');
  });

  it('omits query parameters that are not given and resolves an async TOKEN per request', async () => {
    const server = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    let calls = 0;
    const client = new DxCoreClient({ BASE: server.url, TOKEN: async () => `tok-${++calls}` });
    await client.downlink.sendDownlinkMessage({ device: 'ref-1', requestBody: MESSAGE });
    await client.downlink.sendDownlinkMessage({ device: 'ref-1', requestBody: MESSAGE });
    expect(server.requests.map((r) => r.url)).toEqual([
      '/devices/ref-1/downlinkMessages',
      '/devices/ref-1/downlinkMessages',
    ]);
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1',
      'Bearer tok-2',
    ]);
  });

  it.each([
    ['a/../../x', '/devices/a%2F..%2F..%2Fx/downlinkMessages'],
    ['dev?admin=1#frag', '/devices/dev%3Fadmin%3D1%23frag/downlinkMessages'],
    ['100%', '/devices/100%25/downlinkMessages'],
    ['ünï cøde', '/devices/%C3%BCn%C3%AF%20c%C3%B8de/downlinkMessages'],
  ])('keeps device %j one path segment', async (device, expected) => {
    const server = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const client = new DxCoreClient({ BASE: server.url });
    await client.downlink.sendDownlinkMessage({ device, requestBody: MESSAGE });
    expect(server.requests[0]?.url).toBe(expected);
  });

  it.each([
    ['', /device: must not be empty/],
    ['..', /device: must not be "\.\."/],
    [undefined, /device: must be a string, got undefined/],
    [{ id: 1 }, /device: must be a string, got object/],
  ])('refuses device %j before sending anything', async (device, message) => {
    const server = await serve((_req, res) => json(res, 200, {}));
    const client = new DxCoreClient({ BASE: server.url });
    const error = await client.downlink
      .sendDownlinkMessage({ device: device as string, requestBody: MESSAGE })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('device');
    expect((error as Error).message).toMatch(message);
    expect(server.requests).toHaveLength(0);
  });

  it.each([400, 401, 403, 404, 429, 500, 503])(
    'turns %i into an ApiError with status, URL, method and parsed body',
    async (status) => {
      const server = await serve((_req, res) =>
        json(res, status, { code: 'E', message: 'nope' }, { 'X-Request-Id': 'req-42' }),
      );
      const client = new DxCoreClient({ BASE: server.url, TOKEN: 'tok-SECRET-abc' });
      const error = await client.downlink
        .sendDownlinkMessage({
          device: 'd1',
          requestBody: { ...MESSAGE, securityParams: { asId: 'as', asKey: 'asKEY-SECRET' } },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(DxError);
      const apiError = error as ApiError;
      expect(apiError.status).toBe(status);
      expect(apiError.method).toBe('POST');
      expect(apiError.url).toBe(`${server.url}/devices/d1/downlinkMessages`);
      expect(apiError.body).toEqual({ code: 'E', message: 'nope' });
      expect(apiError.requestId).toBe('req-42');
      expect(apiError.attempts).toBe(1);
      for (const rendered of [
        apiError.message,
        JSON.stringify(apiError),
        inspect(apiError, { depth: 10 }),
        apiError.stack ?? '',
      ]) {
        expect(rendered).not.toContain('tok-SECRET-abc');
        expect(rendered).not.toContain('asKEY-SECRET');
        expect(rendered).not.toContain('03670110');
      }
    },
  );

  it('keeps a non-JSON error body as text (an HTML error page from a proxy)', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html><body>Bad gateway</body></html>');
    });
    const error = await new DxCoreClient({ BASE: server.url }).downlink
      .sendDownlinkMessage({ device: 'd1', requestBody: MESSAGE })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).body).toBe('<html><body>Bad gateway</body></html>');
  });

  it.each([
    ['malformed JSON', 'application/json', '{"status": "QUE', /the JSON is malformed/],
    ['an empty body', 'application/json', '', /the body is empty/],
    ['an HTML page', 'text/html', '<html>ok</html>', /the body is not JSON/],
  ])(
    'turns a 200 with %s into a ResponseParseError, not undefined',
    async (_name, type, body, reason) => {
      const server = await serve((_req, res) => {
        res.writeHead(200, { 'Content-Type': type });
        res.end(body);
      });
      const error = await new DxCoreClient({ BASE: server.url }).downlink
        .sendDownlinkMessage({ device: 'd1', requestBody: MESSAGE })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ResponseParseError);
      expect((error as ResponseParseError).status).toBe(200);
      expect((error as Error).message).toMatch(reason);
      expect((error as Error).message).toMatch(/do not resend/);
    },
  );

  it('aborts an in-flight request with cancel(): the server sees the connection close', async () => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const server = await serve((req) => {
      req.socket.on('close', () => closed());
    });
    const pending = new DxCoreClient({ BASE: server.url }).downlink.sendDownlinkMessage({
      device: 'd1',
      requestBody: MESSAGE,
    });
    while (server.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    pending.cancel();
    await expect(pending).rejects.toBeInstanceOf(CancelError);
    await connectionClosed;
    expect(server.requests).toHaveLength(1);
  });

  it('keeps two clients apart: no shared configuration', async () => {
    const server = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const a = new DxCoreClient({ BASE: server.url, TOKEN: 'tenant-a' });
    const b = new DxCoreClient({ BASE: server.url, TOKEN: 'tenant-b' });
    await a.downlink.sendDownlinkMessage({ device: 'd', requestBody: MESSAGE });
    await b.downlink.sendDownlinkMessage({ device: 'd', requestBody: MESSAGE });
    await a.downlink.sendDownlinkMessage({ device: 'd', requestBody: MESSAGE });
    expect(server.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tenant-a',
      'Bearer tenant-b',
      'Bearer tenant-a',
    ]);
  });
});
