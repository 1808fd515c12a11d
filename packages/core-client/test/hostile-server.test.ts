/**
 * Issue 12, items 1-7: the built package, through its public entry, against real `node:http`
 * servers on 127.0.0.1 that misbehave on purpose (redirects, echoed secrets, huge bodies,
 * header injection, overflowing timers, odd base URLs, cancellation during a retry wait).
 */
import { Buffer } from 'node:buffer';
import type { ServerResponse } from 'node:http';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthError,
  CancelError,
  CancelablePromise,
  createDxClient,
  createTokenProvider,
  DxCoreClient,
  DxError,
  InvalidRequestError,
  ResponseParseError,
  type DownlinkMessage,
  type DxClientOptions,
} from '@dx/core-client';
import { json, useTestServers, type Handler } from '../../../scripts/test-support/http-server.js';

const serve = useTestServers();

const AS_KEY = 'as+KEY/0123=SECRET';
const MESSAGE: DownlinkMessage = {
  payloadHex: '03670110',
  targetPorts: '2',
  securityParams: { asId: 'as-1', asKey: AS_KEY },
};

/** Every view of an error a user might log, the `cause` chain included. */
function views(error: unknown): string[] {
  const err = error as Error;
  const causes: string[] = [];
  for (let c: unknown = err.cause, depth = 0; c && depth < 5; c = (c as Error).cause, depth++) {
    causes.push(String((c as Error).message), (c as Error).stack ?? '', inspect(c, { depth: 8 }));
  }
  return [
    err.message,
    err.stack ?? '',
    JSON.stringify(err),
    inspect(err, { depth: 8 }),
    String(err),
    ...causes,
  ];
}

function expectNone(error: unknown, secrets: string[]): void {
  for (const view of views(error)) {
    for (const secret of secrets) expect(view).not.toContain(secret);
  }
}

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

/** A DX stand-in driven by `handler` and a client with a fixed token. */
async function dxWith(handler: Handler, options: Partial<DxClientOptions> = {}) {
  const dx = await serve(handler);
  const client = createDxClient({
    baseUrl: `${dx.url}/core/latest/api`,
    auth: { token: 'tok-SECRET-1' },
    retry: { baseDelayMs: 5, maxDelayMs: 2_000 },
    ...options,
  });
  const send = () => client.downlink.sendDownlinkMessage({ device: 'dev-1', requestBody: MESSAGE });
  return { dx, client, send };
}

describe('1. redirects are never followed', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} to the same origin: ApiError, nothing re-sent, not "accepted"`, async () => {
      const { dx, send } = await dxWith((req, res) => {
        if (req.url?.startsWith('/login')) {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ status: 'QUEUED' }));
          return;
        }
        res.writeHead(status, { location: '/login?next=%2Fcore' });
        res.end('<html>moved</html>');
      });
      const error = await failure(send());
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(DxError);
      expect((error as ApiError).status).toBe(status);
      expect((error as ApiError).message).toMatch(/redirect/i);
      expect((error as ApiError).message).toMatch(/not followed/);
      expect((error as ApiError).message).toMatch(/not processed/);
      expect(dx.requests).toHaveLength(1);
      expectNone(error, ['/login', 'next=']);
    });

    it(`${status} to another origin with credentials in Location: nothing reaches it`, async () => {
      const other = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
      const port = new URL(other.url).port;
      const { dx, send } = await dxWith((_req, res) => {
        res.writeHead(status, {
          location: `http://evil:pa55@127.0.0.1:${port}/steal?token=QUERYSECRET`,
        });
        res.end();
      });
      const error = await failure(send());
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(status);
      expect((error as ApiError).attempts).toBe(1);
      expect(dx.requests).toHaveLength(1);
      expect(other.requests).toHaveLength(0);
      expectNone(error, ['pa55', 'QUERYSECRET', 'steal', AS_KEY, 'tok-SECRET-1']);
    });
  }

  it("a browser's opaque redirect (status 0, type opaqueredirect) is refused the same way", async () => {
    const seen: RequestInit[] = [];
    const browserLike: typeof fetch = (_input, init) => {
      seen.push(init ?? {});
      // What a browser's fetch resolves with for a redirect under `redirect: 'manual'`.
      const response = new Response(null, { status: 200 });
      Object.defineProperties(response, {
        type: { value: 'opaqueredirect' },
        status: { value: 0 },
        ok: { value: false },
        statusText: { value: '' },
      });
      return Promise.resolve(response);
    };
    const client = createDxClient({ auth: { token: 't' }, fetch: browserLike });
    const error = await failure(
      client.downlink.sendDownlinkMessage({ device: 'd', requestBody: MESSAGE }),
    );
    expect(seen.map((init) => init.redirect)).toEqual(['manual']);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(0);
    expect((error as ApiError).message).toMatch(/redirect \(opaque\), which was not followed/);
  });

  it('a redirecting token endpoint: AuthError that says so, nothing sent elsewhere', async () => {
    const other = await serve((_req, res) => json(res, 200, { access_token: 'x' }));
    const tokens = await serve((_req, res) => {
      res.writeHead(307, { location: `${other.url}/token?secret=LOCSECRET` });
      res.end();
    });
    const provider = createTokenProvider({
      clientId: 'a/b',
      clientSecret: 'client-SECRET',
      tokenUrl: tokens.url,
    });
    const error = await failure(provider.getToken());
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).status).toBe(307);
    expect((error as AuthError).message).toMatch(/redirect.*not followed/);
    expect(other.requests).toHaveLength(0);
    expectNone(error, ['LOCSECRET', 'client-SECRET']);
  });
});

/** Every encoding a careless server could echo a secret in. */
function echoes(secret: string, formBody: string): Record<string, string> {
  const bytes = Buffer.from(secret, 'utf8');
  return {
    form: formBody,
    raw: secret,
    uri: encodeURIComponent(secret),
    uriLower: encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
    plus: new URLSearchParams({ s: secret }).toString().slice(2),
    json: JSON.stringify({ s: secret }),
    jsonAscii: JSON.stringify(secret).replace(
      /[\u007f-\uffff]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
    ),
    base64: bytes.toString('base64'),
    base64url: bytes.toString('base64url'),
    basic: Buffer.from(`a/b:${secret}`).toString('base64'),
  };
}

describe('2. the client secret never leaks from a token endpoint that echoes', () => {
  const special = 'p! a+s/s=w@rd "q" \\ é€ 🙂';

  it('every encoding of the echoed form body is scrubbed from every error view', async () => {
    const tokens = await serve((_req, res, body) =>
      json(res, 400, {
        error: 'invalid_client',
        error_description: Object.values(echoes(special, body)).join(' | '),
      }),
    );
    const provider = createTokenProvider({
      clientId: 'a/b',
      clientSecret: special,
      tokenUrl: tokens.url,
    });
    const error = await failure(provider.getToken());
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toContain('invalid_client');
    expectNone(error, Object.values(echoes(special, tokens.requests[0]!.body)));
  });

  it('property: no secret of ! + / = @ space " \\ or unicode survives any echo', async () => {
    const tokens = await serve((_req, res, body) => {
      const secret = new URLSearchParams(body).get('client_secret') ?? '';
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(Object.values(echoes(secret, body)).join('\n'));
    });
    const alphabet = fc.constantFrom(...Array.from('!+/=@ "\\aZ09é€🙂-_.~%xQ'));
    await fc.assert(
      fc.asyncProperty(fc.array(alphabet, { minLength: 8, maxLength: 24 }), async (chars) => {
        const secret = chars.join('');
        const provider = createTokenProvider({
          clientId: 'a/b',
          clientSecret: secret,
          tokenUrl: tokens.url,
        });
        const error = await failure(provider.getToken());
        const body = tokens.requests.at(-1)!.body;
        expectNone(error, Object.values(echoes(secret, body)));
      }),
      { numRuns: 40 },
    );
  });
});

describe('3. API error bodies: redacted and bounded; oversized success bodies refused', () => {
  it('a 400 echoing the request (JSON and headers) keeps neither asKey nor the token', async () => {
    const { send } = await dxWith((req, res, body) =>
      json(res, 400, {
        message: 'bad request',
        echo: JSON.parse(body) as unknown,
        raw: body,
        auth: req.headers.authorization,
        b64: Buffer.from(AS_KEY).toString('base64'),
        form: new URLSearchParams({ k: AS_KEY }).toString(),
      }),
    );
    const error = await failure(send());
    expect(error).toBeInstanceOf(ApiError);
    expect(JSON.stringify((error as ApiError).body)).toContain('bad request');
    expectNone(error, [
      AS_KEY,
      JSON.stringify(AS_KEY).slice(1, -1),
      encodeURIComponent(AS_KEY),
      Buffer.from(AS_KEY).toString('base64'),
      'tok-SECRET-1',
    ]);
  });

  it('a token from the token endpoint is scrubbed when the API echoes it', async () => {
    const tokens = await serve((_req, res) =>
      json(res, 200, { access_token: 'issued/tok+SECRET=', expires_in: 3600 }),
    );
    const dx = await serve((req, res) =>
      json(res, 403, {
        seen: req.headers.authorization,
        enc: encodeURIComponent('issued/tok+SECRET='),
      }),
    );
    const client = createDxClient({
      baseUrl: dx.url,
      auth: { clientId: 'a/b', clientSecret: 'cs-SECRET', tokenUrl: tokens.url },
    });
    const error = await failure(
      client.downlink.sendDownlinkMessage({ device: 'd', requestBody: MESSAGE }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expectNone(error, ['tok+SECRET', encodeURIComponent('issued/tok+SECRET='), AS_KEY]);
  });

  it('a 20 MB error page makes a small error that says it was truncated', async () => {
    const { send } = await dxWith((_req, res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<p>' + 'x'.repeat(20 * 1024 * 1024) + '</p>');
    });
    const error = await failure(send());
    expect(error).toBeInstanceOf(ApiError);
    expect(JSON.stringify(error).length).toBeLessThan(16 * 1024);
    expect(inspect(error).length).toBeLessThan(32 * 1024);
    expect(String((error as ApiError).body)).toMatch(/truncated/);
  });

  /** Streams `total` bytes of a JSON string, counting what the socket really took. */
  function endless(res: ServerResponse, total: number, sent: { bytes: number }): void {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('{"status":"QUEUED","pad":"');
    const pump = (): void => {
      while (sent.bytes < total) {
        sent.bytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end('"}');
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  }

  it('a 50 MB success body is refused without being read whole, and says do not resend', async () => {
    const sent = { bytes: 0 };
    const { dx, send } = await dxWith((_req, res) => endless(res, 50 * 1024 * 1024, sent));
    const error = await failure(send());
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).message).toMatch(/accepted/);
    expect((error as ResponseParseError).message).toMatch(/do not resend/);
    expect(dx.requests).toHaveLength(1);
    // Stopped reading long before the end: socket buffers hold a few MB at most.
    expect(sent.bytes).toBeLessThan(20 * 1024 * 1024);
  });

  it('a Content-Length over the limit fails at once, before the body arrives', async () => {
    // The body never ends and the client's timeout is beyond the test's: only the header can
    // end the call, so a ResponseParseError at all (not a timeout) proves it failed at once.
    const { send } = await dxWith(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 50_000_000 });
        res.write('{"status":"QUEUED"');
      },
      { timeoutMs: 120_000 },
    );
    const error = await failure(send());
    expect(error).toBeInstanceOf(ResponseParseError);
  });
});

describe('4. invalid header bytes are refused before sending, never quoted', () => {
  for (const bad of ['tok\r\nX-Injected: 1', 'tok\nINJ', 'tok\0NUL', 'tok\u20acEURO']) {
    it(`a token function returning ${JSON.stringify(bad)}`, async () => {
      const { dx, send } = await dxWith(() => undefined, { auth: { token: () => bad } });
      const error = await failure(send());
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).field).toMatch(/authorization/i);
      expect(dx.requests).toHaveLength(0);
      expectNone(error, ['tok', 'INJ', 'NUL', 'EURO', 'X-Injected']);
    });
  }

  it('a token endpoint handing out a token with CR/LF', async () => {
    const tokens = await serve((_req, res) =>
      json(res, 200, { access_token: 'good\r\nX-Evil: SECRETTOK', expires_in: 60 }),
    );
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const client = createDxClient({
      baseUrl: dx.url,
      auth: { clientId: 'a/b', clientSecret: 'cs', tokenUrl: tokens.url },
    });
    const error = await failure(
      client.downlink.sendDownlinkMessage({ device: 'd', requestBody: MESSAGE }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(dx.requests).toHaveLength(0);
    expectNone(error, ['SECRETTOK', 'X-Evil']);
  });

  it('a static token with CR/LF is refused when the client is created', () => {
    expect(() => createDxClient({ auth: { token: 'a\r\nSTATIC' } })).toThrow(InvalidRequestError);
  });

  it('a headers option value with CR/LF is refused at creation, naming the header', () => {
    const create = () =>
      createDxClient({ auth: { token: 't' }, headers: { 'X-Tenant': 'acme\r\nX-Admin: HDRVAL' } });
    expect(create).toThrow(InvalidRequestError);
    expect(create).toThrow(/X-Tenant/i);
    try {
      create();
    } catch (error) {
      expectNone(error, ['acme', 'HDRVAL']);
    }
  });

  it('a header name that is not a token is refused at creation', () => {
    expect(() => createDxClient({ auth: { token: 't' }, headers: { 'Bad Name': 'v' } })).toThrow(
      InvalidRequestError,
    );
  });
});

describe('5. timer values beyond what setTimeout holds', () => {
  it('timeoutMs: 1e10 is refused at creation rather than timing out at once', () => {
    expect(() => createDxClient({ auth: { token: 't' }, timeoutMs: 1e10 })).toThrow(RangeError);
    expect(() => createDxClient({ auth: { token: 't' }, timeoutMs: 1e10 })).toThrow(
      /options\.timeoutMs/,
    );
  });

  it('retry delays beyond 2^31-1 ms are refused at creation', () => {
    for (const retry of [{ maxDelayMs: 1e11 }, { baseDelayMs: 3e9 }]) {
      expect(() => createDxClient({ auth: { token: 't' }, retry })).toThrow(RangeError);
    }
    expect(() =>
      createTokenProvider({ clientId: 'a', clientSecret: 'b', timeoutMs: 1e10 }),
    ).toThrow(RangeError);
  });

  it('the largest timer accepted works, and a 30-day Retry-After is never an immediate resend', async () => {
    const { dx, send } = await dxWith(
      (_req, res) => json(res, 503, { message: 'later' }, { 'retry-after': String(30 * 86_400) }),
      { timeoutMs: 2 ** 31 - 1, retry: { maxDelayMs: 2 ** 31 - 1, baseDelayMs: 5 } },
    );
    const error = await failure(send());
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).retryAfterMs).toBe(30 * 86_400_000);
    expect(dx.requests).toHaveLength(1);
  });
});

describe('6. base URLs', () => {
  it('a baseUrl with user:password is refused, naming the option, never the password', () => {
    const create = () =>
      createDxClient({ baseUrl: 'https://user:Pa55w0rd@dx.example/api', auth: { token: 't' } });
    expect(create).toThrow(TypeError);
    expect(create).toThrow(/options\.baseUrl/);
    try {
      create();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('Pa55w0rd');
    }
  });

  for (const baseUrl of ['https://dx.example/api?tenant=x', 'https://dx.example/api#frag']) {
    it(`${baseUrl} is refused rather than corrupting the path`, () => {
      expect(() => createDxClient({ baseUrl, auth: { token: 't' } })).toThrow(/options\.baseUrl/);
    });
  }

  it('a tokenUrl with credentials is refused too', () => {
    expect(() =>
      createTokenProvider({
        clientId: 'a',
        clientSecret: 'b',
        tokenUrl: 'https://u:TokPa55@dx.example/token',
      }),
    ).toThrow(/tokenUrl/);
  });
});

describe('7. cancellation', () => {
  it('CancelError is a DxError and still the generated class', async () => {
    const { send } = await dxWith(() => undefined);
    const pending = send();
    setTimeout(() => pending.cancel(), 50);
    const error = await failure(pending);
    expect(error).toBeInstanceOf(CancelError);
    expect(error).toBeInstanceOf(DxError);
    expect((error as CancelError).isCancelled).toBe(true);
    // The generated CancelablePromise still rejects with a CancelError of its own.
    const generated = new CancelablePromise<void>(() => undefined);
    generated.cancel();
    await expect(generated).rejects.toBeInstanceOf(CancelError);
  });

  it('a cancel during a retry wait reports the one attempt really made', async () => {
    const { dx, send } = await dxWith(
      (_req, res) => json(res, 503, { message: 'busy' }, { 'retry-after': '1' }),
      { retry: { maxDelayMs: 5_000 } },
    );
    const pending = send();
    while (dx.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    pending.cancel();
    const error = await failure(pending);
    expect(error).toBeInstanceOf(CancelError);
    expect((error as CancelError).attempts).toBe(1);
    expect(dx.requests).toHaveLength(1);
  });
});

describe('6. base URLs of the bare generated client', () => {
  for (const base of [
    'http://user:BarePa55@127.0.0.1:{port}/api',
    'http://127.0.0.1:{port}/api?t=x',
  ]) {
    it(`BASE ${base.replace('{port}', 'PORT')} is refused before sending, never quoted`, async () => {
      const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
      const client = new DxCoreClient({
        BASE: base.replace('{port}', new URL(dx.url).port),
        TOKEN: 't',
      });
      const error = await failure(
        client.downlink.sendDownlinkMessage({ device: 'd', requestBody: MESSAGE }),
      );
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).field).toBe('BASE');
      expect(dx.requests).toHaveLength(0);
      expectNone(error, ['BarePa55']);
    });
  }
});
