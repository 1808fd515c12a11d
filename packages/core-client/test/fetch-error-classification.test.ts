import dns from 'node:dns';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { classifyFetchError } from '../src/classify-fetch-error.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Listening {
  url: string;
  /** Connections accepted, and requests (HTTP servers) or data events (raw servers) seen. */
  counts: { connections: number; requests: number };
}

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return `http://127.0.0.1:${port}/downlink`;
}

async function httpServer(handler: http.RequestListener): Promise<Listening> {
  const counts = { connections: 0, requests: 0 };
  const server = http.createServer((req, res) => {
    counts.requests++;
    handler(req, res);
  });
  server.on('connection', () => counts.connections++);
  const url = await listen(server);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { url, counts };
}

async function rawServer(onSocket: (socket: net.Socket) => void): Promise<Listening> {
  const counts = { connections: 0, requests: 0 };
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    counts.connections++;
    sockets.add(socket);
    socket.on('data', () => counts.requests++);
    socket.on('error', () => undefined);
    onSocket(socket);
  });
  const url = await listen(server);
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  );
  return { url, counts };
}

async function closedPortUrl(): Promise<string> {
  const probe = net.createServer();
  const url = await listen(probe);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return url;
}

async function fetchError(url: string, init: RequestInit = {}): Promise<unknown> {
  try {
    const response = await fetch(url, { method: 'POST', body: '{"payloadHex":"01"}', ...init });
    await response.text();
  } catch (err) {
    return err;
  }
  throw new Error('expected fetch or reading the body to fail');
}

function causeOf(err: unknown): Record<string, unknown> {
  return (err as { cause?: Record<string, unknown> }).cause ?? {};
}

describe('classifyFetchError against Node fetch (undici) on 127.0.0.1', () => {
  it('connection refused: ECONNREFUSED, before the request was sent', async () => {
    const err = await fetchError(await closedPortUrl());

    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('fetch failed');
    expect(causeOf(err)).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' });
    expect(classifyFetchError(err)).toEqual({ code: 'ECONNREFUSED', beforeRequestSent: true });
  });

  it.each(['ENOTFOUND', 'EAI_AGAIN'])(
    'name not resolved (%s, with dns.lookup stubbed): before the request was sent',
    async (code) => {
      // net looks up dns.lookup on the shared CJS module at call time; stubbing it keeps the
      // test off the network. Guard that the stub is what net will see before fetching.
      const original = dns.lookup;
      let lookups = 0;
      const stub = (hostname: string, ...rest: unknown[]): void => {
        lookups++;
        const callback = rest[rest.length - 1] as (err: Error) => void;
        const err = Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), {
          code,
          syscall: 'getaddrinfo',
          hostname,
        });
        process.nextTick(callback, err);
      };
      (dns as { lookup: unknown }).lookup = stub;
      cleanups.push(() => {
        (dns as { lookup: unknown }).lookup = original;
      });
      expect(createRequire(import.meta.url)('node:dns').lookup).toBe(stub);

      const err = await fetchError('http://dx-api.example.invalid/core/latest/api');

      expect(lookups).toBeGreaterThan(0);
      expect(causeOf(err)).toMatchObject({ code, syscall: 'getaddrinfo' });
      expect(classifyFetchError(err)).toEqual({ code, beforeRequestSent: true });
    },
  );

  it('socket destroyed after the request arrived, before any answer: possibly sent', async () => {
    const server = await httpServer((req) => req.socket.destroy());
    const err = await fetchError(server.url);

    expect(causeOf(err)).toMatchObject({ code: 'UND_ERR_SOCKET' });
    expect(classifyFetchError(err)).toEqual({ code: 'UND_ERR_SOCKET', beforeRequestSent: false });
    expect(server.counts.requests).toBe(1);
  });

  it('socket destroyed mid-response: fetch resolves, reading the body fails, possibly sent', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(202, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"status":"QUE');
      setTimeout(() => res.socket?.destroy(), 20);
    });
    const response = await fetch(server.url, { method: 'POST', body: '{}' });
    expect(response.status).toBe(202);
    const err = await response.text().then(
      () => undefined,
      (e: unknown) => e,
    );

    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toBe('terminated');
    expect(classifyFetchError(err)).toEqual({ code: 'UND_ERR_SOCKET', beforeRequestSent: false });
    expect(server.counts.requests).toBe(1);
  });

  it('TCP reset after the request was read: ECONNRESET, possibly sent', async () => {
    const server = await rawServer((socket) => socket.once('data', () => socket.resetAndDestroy()));
    const err = await fetchError(server.url);

    expect(causeOf(err)).toMatchObject({ code: 'ECONNRESET', syscall: 'read' });
    expect(classifyFetchError(err)).toEqual({ code: 'ECONNRESET', beforeRequestSent: false });
    expect(server.counts.requests).toBe(1);
  });

  it('TCP reset right on accept: classified by the syscall that failed', async () => {
    const server = await rawServer((socket) => socket.resetAndDestroy());
    const err = await fetchError(server.url);
    const cause = causeOf(err);

    // Observed as syscall 'connect' on Linux; only that proves nothing was written.
    expect(cause['code']).toBe('ECONNRESET');
    expect(classifyFetchError(err)).toEqual({
      code: 'ECONNRESET',
      beforeRequestSent: cause['syscall'] === 'connect',
    });
    expect(server.counts.requests).toBe(0);
  });

  it('a non-HTTP answer: parser error, possibly sent', async () => {
    const server = await rawServer((socket) =>
      socket.once('data', () => socket.end('NOT HTTP AT ALL\r\n\r\n')),
    );
    const err = await fetchError(server.url);
    const { code, beforeRequestSent } = classifyFetchError(err);

    expect(code).toMatch(/^HPE_/);
    expect(beforeRequestSent).toBe(false);
    expect(server.counts.requests).toBe(1);
  });

  it('a refused redirect: no code, possibly sent', async () => {
    const server = await httpServer((_req, res) => {
      res.writeHead(307, { location: '/elsewhere' });
      res.end();
    });
    const err = await fetchError(server.url, { redirect: 'error' });

    expect(classifyFetchError(err)).toEqual({ code: undefined, beforeRequestSent: false });
    expect(server.counts.requests).toBe(1);
  });

  it('an aborted request: no string code, possibly sent', async () => {
    const controller = new AbortController();
    const server = await httpServer(() => controller.abort());
    const err = await fetchError(server.url, { signal: controller.signal });

    expect((err as Error).name).toBe('AbortError');
    expect(classifyFetchError(err)).toEqual({ code: undefined, beforeRequestSent: false });
    expect(server.counts.requests).toBe(1);
  });
});

describe('classifyFetchError on synthetic shapes', () => {
  const sysError = (code: string, syscall?: string): Error =>
    Object.assign(new Error(`${syscall ?? ''} ${code}`), { code, syscall });
  const fetchFailed = (cause: unknown): TypeError => new TypeError('fetch failed', { cause });

  it.each<[string, unknown, string | undefined, boolean]>([
    ["a browser's bare TypeError", new TypeError('Failed to fetch'), undefined, false],
    ['Safari-style TypeError', new TypeError('Load failed'), undefined, false],
    ['undefined', undefined, undefined, false],
    ['a string', 'ECONNREFUSED', undefined, false],
    [
      'undici connect timeout',
      fetchFailed(sysError('UND_ERR_CONNECT_TIMEOUT')),
      'UND_ERR_CONNECT_TIMEOUT',
      true,
    ],
    [
      'EHOSTUNREACH on connect',
      fetchFailed(sysError('EHOSTUNREACH', 'connect')),
      'EHOSTUNREACH',
      true,
    ],
    ['ETIMEDOUT on connect', fetchFailed(sysError('ETIMEDOUT', 'connect')), 'ETIMEDOUT', true],
    ['ETIMEDOUT on read', fetchFailed(sysError('ETIMEDOUT', 'read')), 'ETIMEDOUT', false],
    ['EPIPE on write', fetchFailed(sysError('EPIPE', 'write')), 'EPIPE', false],
    ['ECONNRESET without syscall', fetchFailed(sysError('ECONNRESET')), 'ECONNRESET', false],
    ['an invalid URL', fetchFailed(sysError('ERR_INVALID_URL')), 'ERR_INVALID_URL', false],
    [
      'a code two causes deep',
      fetchFailed(new Error('wrapper', { cause: sysError('ECONNREFUSED', 'connect') })),
      'ECONNREFUSED',
      true,
    ],
  ])('%s', (_label, error, code, beforeRequestSent) => {
    expect(classifyFetchError(error)).toEqual({ code, beforeRequestSent });
  });

  it('happy-eyeballs AggregateError: before-sent only if every address failed to connect', () => {
    const refusedBoth = Object.assign(
      new AggregateError([sysError('ECONNREFUSED', 'connect'), sysError('ETIMEDOUT', 'connect')]),
      { code: 'ECONNREFUSED' },
    );
    expect(classifyFetchError(fetchFailed(refusedBoth))).toEqual({
      code: 'ECONNREFUSED',
      beforeRequestSent: true,
    });

    // Node's NodeAggregateError copies the first error's code, so the code alone would mislead.
    const mixed = Object.assign(
      new AggregateError([sysError('ECONNREFUSED', 'connect'), sysError('EPIPE', 'write')]),
      { code: 'ECONNREFUSED' },
    );
    expect(classifyFetchError(fetchFailed(mixed))).toEqual({
      code: 'ECONNREFUSED',
      beforeRequestSent: false,
    });
  });

  it('takes the code from the nested errors when the AggregateError has none', () => {
    const codeless = new AggregateError([sysError('ECONNREFUSED', 'connect')]);
    expect(classifyFetchError(fetchFailed(codeless))).toEqual({
      code: 'ECONNREFUSED',
      beforeRequestSent: true,
    });
  });

  it('terminates on a cyclic cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    (a as { cause?: unknown }).cause = b;
    expect(classifyFetchError(a)).toEqual({ code: undefined, beforeRequestSent: false });
  });

  it('ignores the numeric code of a DOMException', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(abort.code).toBe(20);
    expect(classifyFetchError(abort)).toEqual({ code: undefined, beforeRequestSent: false });
  });
});
