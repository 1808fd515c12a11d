/**
 * Red-team findings about the request runtime, each against a real `node:http` server on
 * 127.0.0.1; every test here failed on the code before its fix.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthError,
  CancelError,
  createDxClient,
  createDxRequest,
  DownlinkService,
  InvalidRequestError,
  ResponseParseError,
  type DxClientOptions,
} from '../src/index.js';
import { json, useTestServers, type Handler } from '../../../scripts/test-support/http-server.js';

const SECRET = 'cl13nt-S3CRET-value';
const serve = useTestServers();

async function failure(promise: PromiseLike<unknown>): Promise<unknown> {
  return Promise.resolve(promise).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error,
  );
}

function views(error: unknown): string[] {
  const err = error as Error;
  const cause = err.cause as Error | undefined;
  return [
    err.message,
    err.stack ?? '',
    JSON.stringify(err),
    inspect(err, { depth: 8 }),
    String(cause?.message),
    cause?.stack ?? '',
  ];
}

/** A token endpoint issuing tok-1, tok-2, … (or whatever `answer` does) and a DX driven by `api`. */
async function setup(api: Handler, answer?: Handler, options: Partial<DxClientOptions> = {}) {
  const issued: string[] = [];
  const tokens = await serve(
    answer ??
      ((_req, res) => {
        issued.push(`tok-${issued.length + 1}-x`);
        json(res, 200, { access_token: issued.at(-1), expires_in: 3600 });
      }),
  );
  const dx = await serve(api);
  const auth = { clientId: 'tpk/login', clientSecret: SECRET, tokenUrl: tokens.url };
  const client = createDxClient({ baseUrl: dx.url, auth, retry: false, ...options });
  const send = (device = 'dev-1') =>
    client.downlink.sendDownlinkMessage({
      device,
      requestBody: { payloadHex: '01', targetPorts: '2' },
    });
  return { dx, tokens, issued, client, send };
}

describe('the client secret is scrubbed for the life of the client', () => {
  it('still scrubbed after the client has sent more than 32 access tokens', async () => {
    let echo = false;
    const issued: string[] = [];
    const { send } = await setup(
      (_req, res) => json(res, 401, { message: 'token revoked' }),
      (_req, res, body) => {
        // An endpoint that echoes its form body in its error: the secret, form-encoded.
        if (echo) return json(res, 400, { error: 'invalid_client', error_description: body });
        issued.push(`tok-${issued.length + 1}-x`);
        json(res, 200, { access_token: issued.at(-1), expires_in: 3600 });
      },
    );
    // Each call: the cached token, a 401, a fresh token (cached for the next call), a 401.
    for (let i = 0; i < 40; i++) await failure(send());
    expect(issued).toHaveLength(41);
    echo = true;
    const error = await failure(send());
    expect(error).toBeInstanceOf(AuthError);
    expect((error as AuthError).message).toContain('invalid_client');
    for (const view of views(error)) {
      expect(view).not.toContain(SECRET);
      expect(view).not.toContain(encodeURIComponent(SECRET));
    }
  });
});

describe('path parameters that no URL can carry', () => {
  it.each([
    ['a lone high surrogate', 'dev-\uD800'],
    ['a lone low surrogate', '\uDC00dev'],
  ])('a device with %s is an InvalidRequestError naming it; nothing is sent', async (_, device) => {
    const { dx, send } = await setup((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const error = await failure(send(device));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe('device');
    expect(dx.requests).toHaveLength(0);
  });

  it('the same through createDxRequest and a lone service', async () => {
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const downlink = new DownlinkService(
      createDxRequest({ baseUrl: dx.url, auth: { token: 'tok' } }),
    );
    const error = await failure(
      downlink.sendDownlinkMessage({
        device: '\uD83D',
        requestBody: { payloadHex: '01', targetPorts: '2' },
      }),
    );
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(dx.requests).toHaveLength(0);
  });
});

describe('cancel() while the token is fetched', () => {
  it('rejects with a CancelError even when the token request then fails', async () => {
    let answerToken: (() => void) | undefined;
    const { dx, send } = await setup(
      (_req, res) => json(res, 200, { status: 'QUEUED' }),
      (_req, res) => {
        answerToken = () => json(res, 500, { error: 'down' });
      },
    );
    const pending = send();
    while (!answerToken) await new Promise((resolve) => setTimeout(resolve, 5));
    pending.cancel();
    answerToken();
    const error = await failure(pending);
    expect(error).toBeInstanceOf(CancelError);
    expect((error as CancelError).attempts).toBe(0);
    expect(dx.requests).toHaveLength(0);
  });
});

describe("headers that frame the message are the client's own", () => {
  it.each([
    'content-length',
    'Content-Length',
    'transfer-encoding',
    'connection',
    'keep-alive',
    'upgrade',
    'expect',
  ])('%s in options.headers is refused at creation, naming it; nothing is sent', async (name) => {
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    for (const factory of [createDxClient, createDxRequest]) {
      let error: unknown;
      try {
        factory({ baseUrl: dx.url, auth: { token: 'tok' }, headers: { [name]: '1' } });
      } catch (thrown) {
        error = thrown;
      }
      expect(error).toBeInstanceOf(InvalidRequestError);
      expect((error as InvalidRequestError).field).toBe(`header ${name}`);
    }
    expect(dx.requests).toHaveLength(0);
  });

  it('other headers of the caller still go out', async () => {
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const client = createDxClient({
      baseUrl: dx.url,
      auth: { token: 'tok' },
      headers: { 'x-trace': 'abc' },
    });
    await client.downlink.sendDownlinkMessage({
      device: 'd',
      requestBody: { payloadHex: '01', targetPorts: '2' },
    });
    expect(dx.requests[0]?.headers['x-trace']).toBe('abc');
  });
});

describe('a body that breaks off after the status line', () => {
  /** Answers `status` with half a JSON body, then resets the connection. */
  const brokenOff =
    (status: number): Handler =>
    (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"status":"QUE');
      setTimeout(() => res.socket?.destroy(), 20);
    };

  it('after a 2xx: accepted, a ResponseParseError, never sent again even with retryOnReset', async () => {
    const { dx, send } = await setup(brokenOff(200), undefined, {
      retry: { maxAttempts: 3, baseDelayMs: 1, retryOnReset: true },
    });
    const error = await failure(send());
    expect(error).toBeInstanceOf(ResponseParseError);
    expect((error as ResponseParseError).status).toBe(200);
    expect((error as Error).message).toMatch(/accepted: do not resend/);
    expect(dx.requests).toHaveLength(1);
  });

  it.each([
    [400, 1],
    [500, 1],
    [429, 3],
  ])(
    'after a %i: an ApiError of that status, sent %i time(s) as that status allows',
    async (status, sent) => {
      const { dx, send } = await setup(brokenOff(status), undefined, {
        retry: { maxAttempts: 3, baseDelayMs: 1 },
      });
      const error = await failure(send());
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(status);
      expect(dx.requests).toHaveLength(sent);
    },
  );
});
