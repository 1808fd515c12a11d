/**
 * `startDxMock`: the mock core behind a real `node:http` server on a loopback address, at the
 * spec's own paths (`/core/latest/api/...` and `/admin/latest/api/oauth/token`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jsonAnswer, type Answer } from './answers.js';
import { aFunction, check, integerFrom, object, type Rule } from './checks.js';
import type { DxMockControls } from './controls.js';
import { createMockCore, type MockCore } from './core.js';
import { MAX_BODY_BYTES } from './exchange.js';
import { MOCK_DOWNLINKS_PATH, mockDownlinkList } from './inspect.js';
import type { DxMockOptions } from './options.js';
import { redactedSearch } from './records.js';
import { serverUrlOf, specOf, tokenUrlOf } from './spec/spec.js';

/**
 * Settings of {@link startDxMock}.
 *
 * @example
 * ```ts
 * const lines: string[] = [];
 * const options: StartDxMockOptions = { port: 4010, latencyMs: 50, log: (line) => lines.push(line) };
 * ```
 */
export interface StartDxMockOptions extends DxMockOptions {
  /** Loopback address to listen on; only 127.0.0.0/8 is accepted. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Called with one line per answered request (`POST /path -> 200`), for your own log. */
  log?: (line: string) => void;
}

/**
 * A running mock: where it is, how to log in, what it saw, and its controls.
 *
 * @example
 * ```ts
 * const mock: DxMock = await startDxMock();
 * const auth = { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl };
 * await mock.close();
 * ```
 */
export interface DxMock extends DxMockControls {
  /** Base URL for `createDxClient({ baseUrl })`, e.g. `http://127.0.0.1:PORT/core/latest/api`. */
  readonly url: string;
  /** Token URL for `auth.tokenUrl`, e.g. `http://127.0.0.1:PORT/admin/latest/api/oauth/token`. */
  readonly tokenUrl: string;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** Stops the server and drops open connections (held `timeout` requests included). */
  close(): Promise<void>;
}

const loopback: Rule<string> = {
  test(host): host is string {
    const parts = typeof host === 'string' ? host.split('.') : [];
    return (
      parts.length === 4 &&
      parts[0] === '127' &&
      parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
    );
  },
  must: 'a 127.0.0.0/8 address (the mock never listens beyond this machine)',
};

const portRule = integerFrom(0, 65535);

function readBody(req: IncomingMessage): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function headersOf(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function write(res: ServerResponse, answer: Extract<Answer, { kind: 'respond' }>): void {
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}

async function listening(host: string, port: number): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return server;
}

/** The mock's own window, not a DX request: not recorded, not rate-limited, no faults. */
function listDownlinks(res: ServerResponse, method: string, core: MockCore): void {
  if (method === 'GET') {
    write(res, jsonAnswer(200, mockDownlinkList(core)));
    return;
  }
  const message = `${method} is not allowed on ${MOCK_DOWNLINKS_PATH}; use GET`;
  write(res, jsonAnswer(405, { code: 'method_not_allowed', message }, { allow: 'GET' }));
}

/** Carries a `node:http` request to the core and its answer back, then logs one line. */
function requestHandler(
  core: MockCore,
  origin: string,
  log: ((line: string) => void) | undefined,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    // undefined past MAX_BODY_BYTES: the core answers 413, as through msw.
    const body = await readBody(req);
    let url: URL;
    try {
      // Concatenated, not resolved: a target like `//host/x` must stay a path on this server.
      url = new URL(origin + (req.url ?? '/'));
    } catch {
      const message = 'the request target is not a valid path';
      write(res, jsonAnswer(400, { code: 'invalid_request', message }));
      return;
    }
    const method = req.method ?? 'GET';
    if (url.pathname === MOCK_DOWNLINKS_PATH) {
      listDownlinks(res, method, core);
      return;
    }
    const answer = await core.handle({ method, url, headers: headersOf(req), body });
    if (answer.kind === 'no-answer') return;
    if (answer.kind === 'reset') {
      req.socket.resetAndDestroy();
      return;
    }
    write(res, answer);
    log?.(`${method} ${url.pathname}${redactedSearch(url.searchParams)} -> ${answer.status}`);
  };
}

/**
 * Starts a fake DX (every operation of the DX Core spec plus the OAuth2 token endpoint) on
 * 127.0.0.1. Its `url`, `tokenUrl`, `clientId` and `clientSecret` work with `createDxClient`
 * as they are.
 *
 * @example
 * ```ts
 * const mock = await startDxMock();
 * const client = createDxClient({
 *   baseUrl: mock.url,
 *   auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
 * });
 * await client.downlink.sendDownlinkMessage({ device: 'd1', requestBody: { payloadHex: '01', targetPorts: '2' } });
 * mock.downlinks[0]?.fPort; // 2
 * await mock.close();
 * ```
 */
export async function startDxMock(options: StartDxMockOptions = {}): Promise<DxMock> {
  check('options', options, object);
  const host = check('options.host', options.host ?? '127.0.0.1', loopback);
  const port = check('options.port', options.port ?? 0, portRule);
  const { log } = options;
  if (log !== undefined) check('options.log', log, aFunction);
  const spec = specOf(options);
  const basePath = new URL(serverUrlOf(spec)).pathname.replace(/\/$/, '');
  const tokenPath = new URL(tokenUrlOf(spec)).pathname;

  const server = await listening(host, port);
  const origin = `http://${host}:${(server.address() as AddressInfo).port}`;
  let core: MockCore;
  try {
    core = createMockCore(options, { baseUrl: origin + basePath, tokenUrl: origin + tokenPath });
  } catch (error) {
    server.close();
    throw error;
  }
  const handle = requestHandler(core, origin, log);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => req.socket.destroy());
  });

  let closed: Promise<void> | undefined;
  return Object.assign(core, {
    url: origin + basePath,
    tokenUrl: origin + tokenPath,
    origin,
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  });
}
