import http from 'node:http';
import net from 'node:net';
import util from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AuthError } from '../src/errors.js';
import {
  createTokenProvider,
  DEFAULT_TOKEN_URL,
  staticTokenProvider,
  type TokenProviderOptions,
} from '../src/token-provider.js';

const SECRET = 's3cr3t-CLIENT-secret-xyz';
const TOKEN = 'tok-SECRET-abc';
const CLIENT_ID = 'tpk-profile/dx-login';
const TOKEN_PATH = '/admin/latest/api/oauth/token';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: string;
}

type Handler = (req: Seen, res: http.ServerResponse, index: number) => void;

interface TestServer {
  tokenUrl: string;
  requests: Seen[];
  close(): Promise<void>;
}

const servers: TestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** Records every request (once its body has arrived) and hands it to `handler`. */
async function startServer(handler: Handler): Promise<TestServer> {
  const requests: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(seen);
      handler(seen, res, requests.length - 1);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const result: TestServer = {
    tokenUrl: `http://127.0.0.1:${port}${TOKEN_PATH}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  servers.push(result);
  return result;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** Serves `tok-1`, `tok-2`, ... so each token request is distinguishable. */
function countingTokens(expiresIn: unknown = 3600): Handler {
  return (_req, res, index) =>
    json(res, 200, { access_token: `tok-${index + 1}`, expires_in: expiresIn });
}

function provider(server: TestServer, extra: Partial<TokenProviderOptions> = {}) {
  return createTokenProvider({
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    tokenUrl: server.tokenUrl,
    ...extra,
  });
}

async function closedPortUrl(): Promise<string> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}${TOKEN_PATH}`;
}

async function rejection(promise: Promise<unknown>): Promise<AuthError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AuthError);
  return err as AuthError;
}

/** Every rendering of the error a logger might use must be free of both secrets. */
function expectNoSecrets(err: AuthError): void {
  const renderings = [
    err.message,
    JSON.stringify(err),
    util.inspect(err, { depth: Infinity, showHidden: true }),
    err.stack ?? '',
  ];
  for (const text of renderings) {
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(TOKEN);
  }
}

describe('createTokenProvider: request shape', () => {
  it('POSTs the exact form body and headers to the token URL', async () => {
    const server = await startServer(countingTokens());
    await provider(server, { userAgent: 'dx-sdk-test/1.0' }).getToken();

    expect(server.requests).toHaveLength(1);
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe(TOKEN_PATH);
    expect(req?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(req?.headers['accept']).toBe('application/json');
    expect(req?.headers['user-agent']).toBe('dx-sdk-test/1.0');
    expect(req?.headers['authorization']).toBeUndefined();
    expect(req?.body).toBe(
      `grant_type=client_credentials&client_id=tpk-profile%2Fdx-login&client_secret=${SECRET}`,
    );
  });

  it('adds renewToken and validityPeriod only when given', async () => {
    const server = await startServer(countingTokens());
    await provider(server, { renewToken: true, validityPeriod: 'infinite' }).getToken();
    await provider(server, { renewToken: false }).getToken();

    expect(server.requests.map((r) => r.body)).toEqual([
      `grant_type=client_credentials&client_id=tpk-profile%2Fdx-login&client_secret=${SECRET}&renewToken=true&validityPeriod=infinite`,
      `grant_type=client_credentials&client_id=tpk-profile%2Fdx-login&client_secret=${SECRET}&renewToken=false`,
    ]);
  });

  it('form-encodes a secret with reserved characters so the server decodes it intact', async () => {
    const server = await startServer(countingTokens());
    const tricky = 'a&b=c+d %/é';
    await createTokenProvider({
      clientId: CLIENT_ID,
      clientSecret: tricky,
      tokenUrl: server.tokenUrl,
    }).getToken();

    const form = new URLSearchParams(server.requests[0]?.body);
    expect(form.get('client_secret')).toBe(tricky);
    expect(form.get('client_id')).toBe(CLIENT_ID);
    expect([...form.keys()]).toEqual(['grant_type', 'client_id', 'client_secret']);
  });

  it('uses the injected fetch and defaults to the DX Admin token URL', async () => {
    const calls: { url: string; init: RequestInit | undefined }[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      calls.push({ url: String(input), init });
      return new Response(JSON.stringify({ access_token: 'tok-x', expires_in: 60 }), {
        status: 200,
      });
    };
    const tokens = createTokenProvider({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      fetch: fakeFetch,
    });

    expect(await tokens.getToken()).toBe('tok-x');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe(DEFAULT_TOKEN_URL);
    expect(DEFAULT_TOKEN_URL).toBe('https://dx-api.thingpark.com/admin/latest/api/oauth/token');
    expect(calls[0]?.init?.method).toBe('POST');
    expect(calls[0]?.init?.redirect).toBe('manual');
  });
});

describe('createTokenProvider: caching', () => {
  it('makes exactly one token request for 100 concurrent cold getToken() calls', async () => {
    const server = await startServer((req, res, index) =>
      setTimeout(() => countingTokens()(req, res, index), 20),
    );
    const tokens = provider(server);

    const results = await Promise.all(Array.from({ length: 100 }, () => tokens.getToken()));

    expect(server.requests).toHaveLength(1);
    expect(new Set(results)).toEqual(new Set(['tok-1']));
  });

  it('reuses the cached token for later calls', async () => {
    const server = await startServer(countingTokens());
    const tokens = provider(server);

    expect(await tokens.getToken()).toBe('tok-1');
    expect(await tokens.getToken()).toBe('tok-1');
    expect(await tokens.getToken()).toBe('tok-1');
    expect(server.requests).toHaveLength(1);
  });

  it('refreshes refreshMarginMs (default 60 s) before expires_in runs out', async () => {
    const server = await startServer(countingTokens(3600));
    let now = 1_000_000;
    const tokens = provider(server, { now: () => now });

    expect(await tokens.getToken()).toBe('tok-1');
    now = 1_000_000 + 3_600_000 - 60_000 - 1;
    expect(await tokens.getToken()).toBe('tok-1');
    expect(server.requests).toHaveLength(1);
    now += 1;
    expect(await tokens.getToken()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);
  });

  it('honours a custom refreshMarginMs', async () => {
    const server = await startServer(countingTokens(3600));
    let now = 0;
    const tokens = provider(server, { now: () => now, refreshMarginMs: 5_000 });

    await tokens.getToken();
    now = 3_595_000 - 1;
    expect(await tokens.getToken()).toBe('tok-1');
    now = 3_595_000;
    expect(await tokens.getToken()).toBe('tok-2');
  });

  it('never uses a margin of more than half the token lifetime', async () => {
    const server = await startServer(countingTokens(60));
    let now = 0;
    const tokens = provider(server, { now: () => now });

    await tokens.getToken();
    now = 29_999;
    expect(await tokens.getToken()).toBe('tok-1');
    now = 30_000;
    expect(await tokens.getToken()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);
  });

  it.each([
    ['a numeric string', '120', 60_000],
    ['missing (defaults to 3600 s)', undefined, 3_540_000],
    ['garbage (defaults to 3600 s)', 'soon', 3_540_000],
    ['zero (defaults to 3600 s)', 0, 3_540_000],
    ['negative (defaults to 3600 s)', -5, 3_540_000],
    ['huge, as for validityPeriod=infinite (capped at 24 h)', 1e300, 86_340_000],
    ['a huge string (capped at 24 h)', '99999999999999999999', 86_340_000],
  ])('treats expires_in that is %s correctly', async (_label, expiresIn, refreshAt) => {
    const server = await startServer(countingTokens(expiresIn));
    let now = 0;
    const tokens = provider(server, { now: () => now });

    await tokens.getToken();
    now = refreshAt - 1;
    expect(await tokens.getToken()).toBe('tok-1');
    now = refreshAt;
    expect(await tokens.getToken()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);
  });

  it('invalidate(token) only drops the cache while it still holds that token', async () => {
    const server = await startServer(countingTokens());
    const tokens = provider(server);

    expect(await tokens.getToken()).toBe('tok-1');
    tokens.invalidate('some-other-token');
    expect(await tokens.getToken()).toBe('tok-1');
    expect(server.requests).toHaveLength(1);

    tokens.invalidate('tok-1');
    expect(await tokens.getToken()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);

    // A late 401 for the replaced token must not evict its successor.
    tokens.invalidate('tok-1');
    expect(await tokens.getToken()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);

    tokens.invalidate();
    expect(await tokens.getToken()).toBe('tok-3');
    expect(server.requests).toHaveLength(3);
  });

  it('does not cache a failure: all concurrent waiters share it, the next call retries', async () => {
    const server = await startServer((req, res, index) =>
      index === 0
        ? json(res, 500, { error: 'temporarily_unavailable' })
        : countingTokens()(req, res, index),
    );
    const tokens = provider(server);

    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => tokens.getToken()));
    const reasons = settled.map((s) => (s.status === 'rejected' ? s.reason : undefined));
    expect(reasons[0]).toBeInstanceOf(AuthError);
    for (const reason of reasons) expect(reason).toBe(reasons[0]);
    expect(server.requests).toHaveLength(1);

    expect(await tokens.getToken()).toBe('tok-2');
    expect(server.requests).toHaveLength(2);
  });
});

describe('createTokenProvider: failures', () => {
  it('401 with a JSON error: token-request with status and the endpoint fields, secret scrubbed', async () => {
    const server = await startServer((_req, res) =>
      json(res, 401, {
        error: 'invalid_client',
        error_description: `Bad client credentials: ${SECRET}`,
        echoed_token: TOKEN,
      }),
    );
    const err = await rejection(provider(server).getToken());

    expect(err.step).toBe('token-request');
    expect(err.status).toBe(401);
    expect(err.message).toContain('401');
    expect(err.message).toContain('invalid_client');
    expect(err.message).toContain('Bad client credentials: [redacted]');
    expect(JSON.parse(JSON.stringify(err))).toMatchObject({ step: 'token-request', status: 401 });
    expectNoSecrets(err);
    expect(server.requests).toHaveLength(1);
  });

  it('500 with a JSON message field: token-request with status 500', async () => {
    const server = await startServer((_req, res) =>
      json(res, 500, { message: 'internal failure', request: `client_secret=${SECRET}` }),
    );
    const err = await rejection(provider(server).getToken());

    expect(err.step).toBe('token-request');
    expect(err.status).toBe(500);
    expect(err.message).toContain('internal failure');
    expectNoSecrets(err);
  });

  it('HTML error page: token-request with the status and none of the page', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end(`<html><body>Bad Gateway for ${SECRET} ${TOKEN}</body></html>`);
    });
    const err = await rejection(provider(server).getToken());

    expect(err.step).toBe('token-request');
    expect(err.status).toBe(502);
    expect(err.message).not.toContain('<html>');
    expectNoSecrets(err);
  });

  it('200 with broken JSON: token-response', async () => {
    const server = await startServer((_req, res) =>
      json(res, 200, `{"access_token":"${TOKEN}","expires_in":`),
    );
    const err = await rejection(provider(server).getToken());

    expect(err.step).toBe('token-response');
    expectNoSecrets(err);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['missing', { token: TOKEN, client_secret: SECRET, expires_in: 3600 }],
    ['empty', { access_token: '', expires_in: 3600 }],
    ['not a string', { access_token: 12345, expires_in: 3600 }],
    ['in a JSON array', [{ access_token: TOKEN }]],
  ])('200 with access_token %s: token-response', async (_label, body) => {
    const server = await startServer((_req, res) => json(res, 200, body));
    const err = await rejection(provider(server).getToken());

    expect(err.step).toBe('token-response');
    expectNoSecrets(err);
  });

  it('connection refused: token-request naming ECONNREFUSED', async () => {
    const tokens = createTokenProvider({
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      tokenUrl: await closedPortUrl(),
    });
    const err = await rejection(tokens.getToken());

    expect(err.step).toBe('token-request');
    expect(err.status).toBeUndefined();
    expect(err.message).toContain('ECONNREFUSED');
    expect((err.cause as { code?: string } | undefined)?.code).toBe('ECONNREFUSED');
    expectNoSecrets(err);
  });

  it('server never answers: token-request timeout after exactly one request', async () => {
    const server = await startServer(() => undefined);
    const err = await rejection(provider(server, { timeoutMs: 300 }).getToken());

    expect(err.step).toBe('token-request');
    expect(err.message).toContain('timed out after 300 ms');
    expect(server.requests).toHaveLength(1);
    expectNoSecrets(err);
  });

  it('body stalls after the headers: the timeout covers reading it', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write(`{"access_token":"${TOKEN}"`);
    });
    const err = await rejection(provider(server, { timeoutMs: 300 }).getToken());

    expect(err.step).toBe('token-request');
    expect(err.message).toContain('timed out');
    expect(server.requests).toHaveLength(1);
    expectNoSecrets(err);
  });

  it('refuses to follow a redirect, so the secret is not resent elsewhere', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const err = await rejection(provider(server).getToken());

    expect(err.step).toBe('token-request');
    expect(server.requests.map((r) => r.url)).toEqual([TOKEN_PATH]);
    expectNoSecrets(err);
  });

  it('keeps a secret carried in the token URL query out of messages', async () => {
    const server = await startServer((_req, res) => json(res, 500, { error: 'nope' }));
    const err = await rejection(
      createTokenProvider({
        clientId: CLIENT_ID,
        clientSecret: 'other',
        tokenUrl: `${server.tokenUrl}?key=${SECRET}`,
      }).getToken(),
    );

    expect(err.message).toContain(TOKEN_PATH);
    expectNoSecrets(err);
  });

  it.each([
    ['empty clientSecret', { clientSecret: '' }, TypeError],
    ['missing clientId', { clientId: undefined }, TypeError],
    ['relative tokenUrl', { tokenUrl: '/oauth/token' }, TypeError],
    ['zero timeoutMs', { timeoutMs: 0 }, RangeError],
    ['negative refreshMarginMs', { refreshMarginMs: -1 }, RangeError],
    ['non-boolean renewToken', { renewToken: 'yes' }, TypeError],
    ['empty validityPeriod', { validityPeriod: '' }, TypeError],
  ])('rejects %s at construction', (_label, override, ErrorClass) => {
    const options = {
      clientId: CLIENT_ID,
      clientSecret: SECRET,
      ...override,
    } as TokenProviderOptions;
    let thrown: unknown;
    try {
      createTokenProvider(options);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ErrorClass);
    expect(String(thrown)).not.toContain(SECRET);
  });
});

describe('staticTokenProvider', () => {
  it('returns a fixed string token and ignores invalidate', async () => {
    const tokens = staticTokenProvider(TOKEN);
    expect(await tokens.getToken()).toBe(TOKEN);
    tokens.invalidate(TOKEN);
    expect(await tokens.getToken()).toBe(TOKEN);
  });

  it('calls a token function on every getToken()', async () => {
    let calls = 0;
    const tokens = staticTokenProvider(async () => `tok-${++calls}`);
    expect(await tokens.getToken()).toBe('tok-1');
    expect(await tokens.getToken()).toBe('tok-2');
    expect(calls).toBe(2);
  });

  it('accepts a synchronous token function', async () => {
    expect(await staticTokenProvider(() => TOKEN).getToken()).toBe(TOKEN);
  });

  it.each([
    ['undefined', () => undefined],
    ['a number', () => 42],
    ['an empty string', () => ''],
    ['an object', async () => ({ token: TOKEN })],
  ])('rejects with AuthError token-provider when the function returns %s', async (_l, fn) => {
    const err = await rejection(staticTokenProvider(fn as unknown as () => string).getToken());
    expect(err.step).toBe('token-provider');
    expectNoSecrets(err);
  });

  it('wraps an error thrown by the token function as token-provider', async () => {
    const original = new Error('vault unreachable');
    const err = await rejection(
      staticTokenProvider(() => {
        throw original;
      }).getToken(),
    );
    expect(err.step).toBe('token-provider');
    expect(err.cause).toBe(original);
  });

  it('passes an AuthError from the token function through unchanged', async () => {
    const original = new AuthError('token-request', 'upstream provider failed', { status: 401 });
    const err = await rejection(staticTokenProvider(() => Promise.reject(original)).getToken());
    expect(err).toBe(original);
  });

  it.each([
    ['an empty string', ''],
    ['undefined', undefined],
    ['a number', 7],
  ])('throws TypeError at construction for %s', (_label, value) => {
    expect(() => staticTokenProvider(value as unknown as string)).toThrow(TypeError);
  });
});
