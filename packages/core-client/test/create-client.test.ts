import { inspect } from 'node:util';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  ApiError,
  AuthError,
  CancelError,
  createDxClient,
  createDxRequest,
  DownlinkService,
  InvalidRequestError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
  type DownlinkMessage,
  type DxClientOptions,
} from '../src/index.js';
import {
  json,
  unusedPort,
  useTestServers,
  type Handler,
  type TestServer,
} from '../../../scripts/test-support/http-server.js';

const SECRET = 's3cr3t-CLIENT-secret-xyz';
const AS_KEY = 'asKEY-0123-SECRET';
const MESSAGE: DownlinkMessage = {
  payloadHex: '03670110',
  targetPorts: '2',
  securityParams: { asId: 'as-1', asKey: AS_KEY },
};
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 2_000 };

const serve = useTestServers();

interface Setup {
  dx: TestServer;
  tokens: TestServer;
  client: ReturnType<typeof createDxClient>;
  issued: string[];
}

/** A token endpoint that issues tok-1, tok-2, … and a DX endpoint driven by `handler`. */
async function setup(
  handler: Handler,
  options: Partial<DxClientOptions> = {},
  expiresIn = 3600,
): Promise<Setup> {
  const issued: string[] = [];
  const tokens = await serve((_req, res) => {
    const token = `tok-${issued.length + 1}-SECRET`;
    issued.push(token);
    json(res, 200, { access_token: token, expires_in: expiresIn, token_type: 'Bearer' });
  });
  const dx = await serve(handler);
  const client = createDxClient({
    baseUrl: `${dx.url}/core/latest/api`,
    auth: {
      clientId: 'tpk/login',
      clientSecret: SECRET,
      tokenUrl: `${tokens.url}/admin/latest/api/oauth/token`,
    },
    retry: FAST_RETRY,
    ...options,
  });
  return { dx, tokens, client, issued };
}

function send(client: Setup['client'], device = '0018B20000000B20') {
  return client.downlink.sendDownlinkMessage({
    device,
    requestBody: MESSAGE,
    confirmDownlink: true,
  });
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

function expectNoSecrets(error: unknown, extra: string[] = []): void {
  const err = error as Error;
  for (const rendered of [
    err.message,
    JSON.stringify(err),
    inspect(err, { depth: 10 }),
    err.stack ?? '',
  ]) {
    for (const secret of [SECRET, AS_KEY, 'SECRET', ...extra])
      expect(rendered).not.toContain(secret);
  }
}

const queued: Handler = (_req, res) => json(res, 200, { status: 'QUEUED' });

describe('createDxClient: auth', () => {
  it('fetches a token with client credentials and sends it as a bearer token', async () => {
    const { dx, tokens, client } = await setup(queued);
    await expect(send(client)).resolves.toEqual({ status: 'QUEUED' });
    expect(tokens.requests).toHaveLength(1);
    const form = new URLSearchParams(tokens.requests[0]?.body);
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('client_id')).toBe('tpk/login');
    expect(form.get('client_secret')).toBe(SECRET);
    expect(tokens.requests[0]?.headers['content-type']).toMatch(
      /^application\/x-www-form-urlencoded/,
    );
    expect(dx.requests[0]?.headers.authorization).toBe('Bearer tok-1-SECRET');
    expect(dx.requests[0]?.url).toBe(
      '/core/latest/api/devices/0018B20000000B20/downlinkMessages?confirmDownlink=true',
    );
    expect(dx.requests[0]?.headers['user-agent']).toMatch(/^@dx\/core-client\/\S+$/);
  });

  it('makes exactly one token request for 100 concurrent calls on a cold client', async () => {
    const { dx, tokens, client } = await setup(queued);
    await Promise.all(Array.from({ length: 100 }, () => send(client)));
    expect(tokens.requests).toHaveLength(1);
    expect(dx.requests).toHaveLength(100);
    expect(new Set(dx.requests.map((r) => r.headers.authorization))).toEqual(
      new Set(['Bearer tok-1-SECRET']),
    );
  });

  it('reuses the cached token, then refreshes it ahead of expiry', async () => {
    // Only Date is faked (sockets and timers stay real): the token's age is what the test says,
    // however slowly the machine runs.
    vi.useFakeTimers({ toFake: ['Date'] });
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { dx, tokens, client } = await setup(queued, {}, 1);
    await send(client);
    vi.setSystemTime(Date.now() + 400);
    await send(client);
    expect(tokens.requests).toHaveLength(1);
    // Lifetime 1 s: the refresh margin is capped at half of it, so 600 ms on a new token is due.
    vi.setSystemTime(Date.now() + 200);
    await send(client);
    expect(tokens.requests).toHaveLength(2);
    expect(dx.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1-SECRET',
      'Bearer tok-1-SECRET',
      'Bearer tok-2-SECRET',
    ]);
  });

  it('on 401 drops the token, fetches a new one and retries the call once', async () => {
    const { dx, tokens, client } = await setup((_req, res, _body, index) =>
      index === 0 ? json(res, 401, { message: 'expired' }) : json(res, 200, { status: 'QUEUED' }),
    );
    await expect(send(client)).resolves.toEqual({ status: 'QUEUED' });
    expect(tokens.requests).toHaveLength(2);
    expect(dx.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer tok-1-SECRET',
      'Bearer tok-2-SECRET',
    ]);
  });

  it('gives up after the single 401 retry', async () => {
    const { dx, tokens, client } = await setup((_req, res) => json(res, 401, { message: 'no' }));
    const error = await failure(send(client));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).attempts).toBe(2);
    expect(dx.requests).toHaveLength(2);
    expect(tokens.requests).toHaveLength(2);
    expectNoSecrets(error);
  });

  it('turns a failing token endpoint into an AuthError without the secret', async () => {
    const tokens = await serve((_req, res) =>
      json(res, 401, { error: 'invalid_client', error_description: `bad ${SECRET}` }),
    );
    const dx = await serve(queued);
    const client = createDxClient({
      baseUrl: dx.url,
      auth: { clientId: 'tpk/login', clientSecret: SECRET, tokenUrl: tokens.url },
    });
    const error = await failure(send(client));
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).step).toBe('token-request');
    expect((error as AuthError).status).toBe(401);
    expect(dx.requests).toHaveLength(0);
    expectNoSecrets(error);
  });

  it('accepts a static token or a token function', async () => {
    const dx = await serve(queued);
    await send(createDxClient({ baseUrl: dx.url, auth: { token: 'static-tok' } }));
    await send(createDxClient({ baseUrl: dx.url, auth: { token: async () => 'fn-tok' } }));
    expect(dx.requests.map((r) => r.headers.authorization)).toEqual([
      'Bearer static-tok',
      'Bearer fn-tok',
    ]);
  });

  it('keeps two tenants apart in one process', async () => {
    const a = await setup(queued);
    const b = await setup(queued);
    await Promise.all([send(a.client), send(b.client), send(a.client)]);
    expect(a.tokens.requests).toHaveLength(1);
    expect(b.tokens.requests).toHaveLength(1);
    expect(a.dx.requests).toHaveLength(2);
    expect(b.dx.requests).toHaveLength(1);
  });

  it.each([
    [{ auth: undefined }, /auth must be/],
    [{ auth: { clientId: '', clientSecret: 'x' } }, /auth\.clientId must be a non-empty string/],
    [{ auth: { token: '' } }, /auth\.token must be a non-empty string/],
    [{ auth: { token: 'x' }, baseUrl: 'not a url' }, /baseUrl must be an http\(s\) URL/],
    [{ auth: { token: 'x' }, timeoutMs: -1 }, /timeoutMs must be a positive delay/],
    [{ auth: { token: 'x' }, retry: { maxAttempts: 0 } }, /maxAttempts/],
  ])('refuses bad options %#', (options, message) => {
    expect(() => createDxClient(options as unknown as DxClientOptions)).toThrow(message);
  });
});

describe('createDxClient: retries never send a downlink twice', () => {
  it('retries 429, honouring Retry-After in seconds', async () => {
    const { dx, client } = await setup((_req, res, _body, index) =>
      index === 0
        ? json(res, 429, {}, { 'Retry-After': '1' })
        : json(res, 200, { status: 'QUEUED' }),
    );
    await expect(send(client)).resolves.toEqual({ status: 'QUEUED' });
    expect(dx.requests).toHaveLength(2);
  });

  it('retries 429 with Retry-After as an HTTP date', async () => {
    const { dx, client } = await setup((_req, res, _body, index) =>
      index === 0
        ? json(res, 429, {}, { 'Retry-After': new Date(Date.now() + 1000).toUTCString() })
        : json(res, 200, { status: 'QUEUED' }),
    );
    await expect(send(client)).resolves.toEqual({ status: 'QUEUED' });
    expect(dx.requests).toHaveLength(2);
  });

  it('does not wait longer than the cap: a Retry-After beyond it is returned to the caller', async () => {
    const { dx, client } = await setup((_req, res) => json(res, 429, {}, { 'Retry-After': '120' }));
    const error = await failure(send(client));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).retryAfterMs).toBe(120_000);
    expect(dx.requests).toHaveLength(1);
  });

  it('retries 503 up to maxAttempts and reports the attempts', async () => {
    const { dx, client } = await setup((_req, res) => json(res, 503, { message: 'down' }));
    const error = await failure(send(client));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(503);
    expect((error as ApiError).attempts).toBe(3);
    expect(dx.requests).toHaveLength(3);
  });

  it('never retries a 500: the message may have been queued', async () => {
    const { dx, client } = await setup((_req, res) => json(res, 500, { message: 'boom' }));
    const error = await failure(send(client));
    expect((error as ApiError).status).toBe(500);
    expect((error as ApiError).attempts).toBe(1);
    expect(dx.requests).toHaveLength(1);
  });

  it('never retries after a timeout: exactly one request reaches the server', async () => {
    const { dx, client } = await setup(() => undefined, { timeoutMs: 300 });
    const error = await failure(send(client));
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(300);
    expect((error as TimeoutError).attempts).toBe(1);
    expect(dx.requests).toHaveLength(1);
    expectNoSecrets(error);
  });

  it('times out a body that stalls after the headers', async () => {
    const { dx, client } = await setup(
      (_req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.write('{"status":');
      },
      { timeoutMs: 300 },
    );
    expect(await failure(send(client))).toBeInstanceOf(TimeoutError);
    expect(dx.requests).toHaveLength(1);
  });

  it('retries after the timeout only when the caller opts in', async () => {
    const { dx, client } = await setup(
      (_req, res, _body, index) => (index === 0 ? undefined : json(res, 200, { status: 'QUEUED' })),
      { timeoutMs: 300, retry: { ...FAST_RETRY, retryOnTimeout: true } },
    );
    await expect(send(client)).resolves.toEqual({ status: 'QUEUED' });
    expect(dx.requests).toHaveLength(2);
  });

  it('retries a refused connection (the request never left) and reports the attempts', async () => {
    const port = await unusedPort();
    const tokens = await serve((_req, res) =>
      json(res, 200, { access_token: 'tok-SECRET', expires_in: 3600 }),
    );
    let calls = 0;
    const client = createDxClient({
      baseUrl: `http://127.0.0.1:${port}`,
      auth: { clientId: 'tpk/login', clientSecret: SECRET, tokenUrl: tokens.url },
      retry: FAST_RETRY,
      fetch: (input, init) => {
        if (String(input).includes(`:${port}/`)) calls += 1;
        return fetch(input, init);
      },
    });
    const error = await failure(send(client));
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('ECONNREFUSED');
    expect((error as NetworkError).beforeRequestSent).toBe(true);
    expect((error as NetworkError).attempts).toBe(3);
    expect(calls).toBe(3);
    expectNoSecrets(error, ['tok-SECRET']);
  });

  it('never retries a socket reset in the body of a 2xx: it was accepted', async () => {
    const { dx, client } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' });
      res.write('{"status":"QUE');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const error = await failure(send(client));
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).status).toBe(200);
    expect(dx.requests).toHaveLength(1);
  });

  it('never retries a connection closed before the response', async () => {
    const { dx, client } = await setup((req) => {
      req.socket.destroy();
    });
    expect(await failure(send(client))).toBeInstanceOf(NetworkError);
    expect(dx.requests).toHaveLength(1);
  });

  it('retries a connection closed before the response when retryOnReset is on', async () => {
    const { dx, client } = await setup(
      (req, res, _body, index) => {
        if (index === 0) req.socket.destroy();
        else json(res, 200, { status: 'QUEUED' });
      },
      { retry: { ...FAST_RETRY, retryOnReset: true } },
    );
    await expect(send(client)).resolves.toEqual({ status: 'QUEUED' });
    expect(dx.requests).toHaveLength(2);
  });
});

describe('createDxClient: odd responses', () => {
  it('HTML error page: ApiError with the text body, one request', async () => {
    const { dx, client } = await setup((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/html' });
      res.end('<html><h1>Not found</h1></html>');
    });
    const error = await failure(send(client));
    expect((error as ApiError).body).toBe('<html><h1>Not found</h1></html>');
    expect(dx.requests).toHaveLength(1);
  });

  it('empty 200: ResponseParseError, one request, not retried', async () => {
    const { dx, client } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end();
    });
    expect(await failure(send(client))).toBeInstanceOf(ResponseParseError);
    expect(dx.requests).toHaveLength(1);
  });

  it('invalid JSON: ResponseParseError, one request', async () => {
    const { dx, client } = await setup((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"status": QUEUED}');
    });
    expect(await failure(send(client))).toBeInstanceOf(ResponseParseError);
    expect(dx.requests).toHaveLength(1);
  });

  it('a body just under the 1 MiB limit is read whole, in many chunks', async () => {
    const filler = 'x'.repeat(1024 * 1024 - 100);
    const { dx, client } = await setup((_req, res) => json(res, 200, { status: 'QUEUED', filler }));
    const result = (await send(client)) as { status: string; filler: string };
    expect(result.status).toBe('QUEUED');
    expect(result.filler).toHaveLength(filler.length);
    expect(dx.requests).toHaveLength(1);
  });

  it('cancel() aborts an attempt, and a pending retry wait', async () => {
    const { dx, client } = await setup((_req, res) => json(res, 503, {}, { 'Retry-After': '1' }));
    const pending = send(client);
    while (dx.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 50));
    pending.cancel();
    await expect(pending).rejects.toThrow(/aborted/i);
    await new Promise((r) => setTimeout(r, 1200));
    expect(dx.requests).toHaveLength(1);
  });

  it('cancel() marks the call cancelled and rejects with a CancelError', async () => {
    const { dx, client } = await setup(() => undefined);
    const pending = send(client);
    expect(pending.isCancelled).toBe(false);
    while (dx.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    pending.cancel();
    expect(pending.isCancelled).toBe(true);
    const error = await pending.then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(CancelError);
    expect(dx.requests).toHaveLength(1);
  });

  it('cancel() after the call settled changes nothing', async () => {
    const { client } = await setup((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const pending = send(client);
    await expect(pending).resolves.toEqual({ status: 'QUEUED' });
    pending.cancel();
    expect(pending.isCancelled).toBe(false);
    await expect(pending).resolves.toEqual({ status: 'QUEUED' });
  });

  it('cancel() right after the call, with a cached token, sends nothing', async () => {
    const { dx, client } = await setup(queued);
    await send(client);
    for (let i = 0; i < 20; i++) {
      const pending = send(client);
      pending.cancel();
      await expect(pending).rejects.toBeInstanceOf(CancelError);
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(dx.requests).toHaveLength(1);
  });

  it('cancel() while the token is fetched sends nothing once it arrives', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const tokens = await serve(async (_req, res) => {
      await gate;
      json(res, 200, { access_token: 'tok-SECRET', expires_in: 3600 });
    });
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const client = createDxClient({
      baseUrl: dx.url,
      auth: { clientId: 'tpk/login', clientSecret: SECRET, tokenUrl: tokens.url },
    });
    const pending = send(client);
    while (tokens.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    pending.cancel();
    release();
    await expect(pending).rejects.toBeInstanceOf(CancelError);
    expect(dx.requests).toHaveLength(0);
  });
});

describe('createDxRequest: the same transport, one service at a time', () => {
  it("sends through a lone service with the client's auth, retry policy and typed errors", async () => {
    let calls = 0;
    const dx = await serve((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 503, { message: 'busy' });
      if (calls === 2) return json(res, 200, { status: 'QUEUED' });
      return json(res, 500, { message: 'boom' });
    });
    const tokens = await serve((_req, res) =>
      json(res, 200, { access_token: 'tok-A-SECRET', expires_in: 3600 }),
    );
    const downlink = new DownlinkService(
      createDxRequest({
        baseUrl: `${dx.url}/core/latest/api`,
        auth: { clientId: 'tpk/login', clientSecret: SECRET, tokenUrl: tokens.url },
        retry: FAST_RETRY,
      }),
    );
    const request = { device: '0018B20000000B20', requestBody: MESSAGE };
    await expect(downlink.sendDownlinkMessage(request)).resolves.toEqual({ status: 'QUEUED' });
    expect(dx.requests.map((r) => [r.url, r.headers.authorization])).toEqual([
      ['/core/latest/api/devices/0018B20000000B20/downlinkMessages', 'Bearer tok-A-SECRET'],
      ['/core/latest/api/devices/0018B20000000B20/downlinkMessages', 'Bearer tok-A-SECRET'],
    ]);
    const error = await failure(downlink.sendDownlinkMessage(request));
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(500);
    expect(dx.requests).toHaveLength(3);
    expect(tokens.requests).toHaveLength(1);
    expectNoSecrets(error, ['tok-A-SECRET', AS_KEY]);
  });

  it('checks its options as createDxClient does, naming the field', () => {
    for (const factory of [createDxRequest, createDxClient]) {
      expect(() => factory({ auth: { token: 't' }, baseUrl: 'ftp://x' })).toThrow(/baseUrl/);
      expect(() => factory({ auth: { token: 't' }, timeoutMs: -1 })).toThrow(/timeoutMs/);
      expect(() => factory({ auth: { token: 'a\r\nX-Evil: 1' } })).toThrow(InvalidRequestError);
    }
  });

  it('gives each call its own state: two transports never share a token', async () => {
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const downlinkA = new DownlinkService(
      createDxRequest({ baseUrl: dx.url, auth: { token: 'A' } }),
    );
    const downlinkB = new DownlinkService(
      createDxRequest({ baseUrl: dx.url, auth: { token: 'B' } }),
    );
    await downlinkA.sendDownlinkMessage({ device: 'ref-1', requestBody: MESSAGE });
    await downlinkB.sendDownlinkMessage({ device: 'ref-1', requestBody: MESSAGE });
    expect(dx.requests.map((r) => r.headers.authorization)).toEqual(['Bearer A', 'Bearer B']);
  });
});
