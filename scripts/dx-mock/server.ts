/**
 * A local stand-in for the two ThingPark DX endpoints a downlink needs:
 *
 * - `POST /admin/latest/api/oauth/token`: OAuth 2 client credentials (form-encoded), answers
 *   `{ access_token, expires_in, token_type: 'Bearer' }` or a 401 JSON error;
 * - `POST /core/latest/api/devices/{device}/downlinkMessages?confirmDownlink=&flushDownlinkQueue=`:
 *   requires `Authorization: Bearer <token>`, validates the `DownlinkMessage` body strictly and
 *   answers `{ id, status: 'QUEUED', device, payloadHex, targetPorts }`.
 *
 * It is strict on purpose (unknown query parameters or body fields are a 400): it is the
 * place where the e2e proof sees what a consumer of the published packages really sends.
 * Every request, preflights included, is recorded in `requests` in arrival order.
 *
 * CORS is open (`Access-Control-Allow-Origin: *`) so a page served from another local origin
 * can call it from a browser. It listens on a loopback address only (127.0.0.1 by default);
 * any other host is refused before a socket is opened.
 *
 * Used by `scripts/e2e/run.ts` and meant for a `pnpm demo` command (see `cli.ts`).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DxMockOptions {
  /** Loopback address to listen on. Only 127.0.0.0/8 is accepted. Default `127.0.0.1`. */
  host?: string;
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** When set, the token endpoint answers 401 unless `client_id` equals it. */
  expectedClientId?: string;
  /** When set, the token endpoint answers 401 unless `client_secret` equals it. */
  expectedClientSecret?: string;
  /** The access token handed out (and the only one accepted). Default: a random one. */
  accessToken?: string;
  /** `expires_in` of the token response, in seconds. Default 3600. */
  expiresIn?: number;
  /** Called with one line per request (method, path, status), e.g. `console.log`. */
  log?: (line: string) => void;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string, as received (still percent-encoded). */
  path: string;
  /** Query parameters; a repeated name keeps its last value. */
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  /** The raw request body. */
  bodyText: string;
  /** The body parsed as JSON or as a form, depending on the route; `undefined` if it did not parse. */
  body: unknown;
  /** The status code the mock answered with. */
  status: number;
}

export interface DxMock {
  /** `http://127.0.0.1:PORT/core/latest/api` */
  baseUrl: string;
  /** `http://127.0.0.1:PORT/admin/latest/api/oauth/token` */
  tokenUrl: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  /** The access token this mock issues and accepts. */
  accessToken: string;
  /** Every request received so far, in arrival order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const CORE_PREFIX = '/core/latest/api';
export const TOKEN_PATH = '/admin/latest/api/oauth/token';
const DOWNLINK_PATH = /^\/core\/latest\/api\/devices\/([^/]+)\/downlinkMessages$/;
const PAYLOAD_HEX = /^([0-9A-F]{2})*$/;
const TARGET_PORTS = /^\d+$/;
const MAX_BODY_BYTES = 1024 * 1024;

const CORS_HEADERS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type',
  'Access-Control-Max-Age': '600',
};

function isLoopback(host: string): boolean {
  const parts = host.split('.');
  return (
    parts.length === 4 &&
    parts[0] === '127' &&
    parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)
  );
}

class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(
          new HttpProblem(413, 'payload_too_large', `body larger than ${MAX_BODY_BYTES} bytes`),
        );
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateDownlinkBody(body: unknown): { payloadHex: string; targetPorts: string } {
  if (!isPlainObject(body)) {
    throw new HttpProblem(400, 'invalid_body', 'body must be a JSON object');
  }
  const allowed = new Set(['payloadHex', 'targetPorts', 'securityParams']);
  const unknown = Object.keys(body).filter((k) => !allowed.has(k));
  if (unknown.length > 0) {
    throw new HttpProblem(400, 'invalid_body', `unknown field(s): ${unknown.join(', ')}`);
  }
  const { payloadHex, targetPorts, securityParams } = body;
  if (typeof payloadHex !== 'string' || !PAYLOAD_HEX.test(payloadHex)) {
    throw new HttpProblem(
      400,
      'invalid_body',
      'payloadHex must be a string of upper-case hex digit pairs (/^([0-9A-F]{2})*$/)',
    );
  }
  if (typeof targetPorts !== 'string' || !TARGET_PORTS.test(targetPorts)) {
    throw new HttpProblem(400, 'invalid_body', 'targetPorts must be a decimal string such as "2"');
  }
  if (securityParams !== undefined) {
    if (
      !isPlainObject(securityParams) ||
      typeof securityParams['asId'] !== 'string' ||
      typeof securityParams['asKey'] !== 'string'
    ) {
      throw new HttpProblem(
        400,
        'invalid_body',
        'securityParams must be { asId: string, asKey: string }',
      );
    }
  }
  return { payloadHex, targetPorts };
}

function validateDownlinkQuery(query: Record<string, string>): void {
  for (const [name, value] of Object.entries(query)) {
    if (name !== 'confirmDownlink' && name !== 'flushDownlinkQueue') {
      throw new HttpProblem(400, 'invalid_query', `unknown query parameter ${name}`);
    }
    if (value !== 'true' && value !== 'false') {
      throw new HttpProblem(
        400,
        'invalid_query',
        `${name} must be true or false, got ${JSON.stringify(value)}`,
      );
    }
  }
}

export async function startDxMock(options: DxMockOptions = {}): Promise<DxMock> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new Error(`dx-mock listens on a 127.0.0.0/8 address only, not ${JSON.stringify(host)}`);
  }
  const accessToken = options.accessToken ?? `mock-token-${randomBytes(12).toString('hex')}`;
  const expiresIn = options.expiresIn ?? 3600;
  const requests: RecordedRequest[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://mock.invalid');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      headers: req.headers,
      bodyText: '',
      body: undefined,
      status: 0,
    };
    requests.push(record);

    const send = (status: number, payload: unknown, extra: Record<string, string> = {}): void => {
      record.status = status;
      const text = payload === undefined ? '' : JSON.stringify(payload);
      res.writeHead(status, {
        ...CORS_HEADERS,
        ...(payload === undefined ? {} : { 'Content-Type': 'application/json' }),
        'Cache-Control': 'no-store',
        ...extra,
      });
      res.end(text);
      options.log?.(`${record.method} ${req.url ?? ''} -> ${status}`);
    };

    try {
      record.bodyText = await readBody(req);

      if (record.method === 'OPTIONS') {
        send(204, undefined);
        return;
      }

      if (url.pathname === TOKEN_PATH) {
        if (record.method !== 'POST') throw new HttpProblem(405, 'method_not_allowed', 'use POST');
        if (mediaType(req.headers) !== 'application/x-www-form-urlencoded') {
          throw new HttpProblem(
            400,
            'invalid_request',
            'body must be application/x-www-form-urlencoded',
          );
        }
        const form = Object.fromEntries(new URLSearchParams(record.bodyText));
        record.body = form;
        if (form['grant_type'] !== 'client_credentials') {
          throw new HttpProblem(
            400,
            'unsupported_grant_type',
            'grant_type must be client_credentials',
          );
        }
        const clientId = form['client_id'] ?? '';
        const clientSecret = form['client_secret'] ?? '';
        if (
          clientId === '' ||
          clientSecret === '' ||
          (options.expectedClientId !== undefined && clientId !== options.expectedClientId) ||
          (options.expectedClientSecret !== undefined &&
            clientSecret !== options.expectedClientSecret)
        ) {
          throw new HttpProblem(401, 'invalid_client', 'client authentication failed');
        }
        send(200, { access_token: accessToken, expires_in: expiresIn, token_type: 'Bearer' });
        return;
      }

      const match = DOWNLINK_PATH.exec(url.pathname);
      if (match) {
        if (record.method !== 'POST') throw new HttpProblem(405, 'method_not_allowed', 'use POST');
        if (req.headers.authorization !== `Bearer ${accessToken}`) {
          send(
            401,
            { error: 'unauthorized', message: 'missing or invalid bearer token' },
            { 'WWW-Authenticate': 'Bearer' },
          );
          return;
        }
        let device: string;
        try {
          device = decodeURIComponent(match[1]!);
        } catch {
          throw new HttpProblem(400, 'invalid_path', 'device is not valid percent-encoding');
        }
        validateDownlinkQuery(query);
        if (mediaType(req.headers) !== 'application/json') {
          throw new HttpProblem(400, 'invalid_body', 'body must be application/json');
        }
        try {
          record.body = JSON.parse(record.bodyText) as unknown;
        } catch {
          throw new HttpProblem(400, 'invalid_body', 'body is not valid JSON');
        }
        const { payloadHex, targetPorts } = validateDownlinkBody(record.body);
        send(200, { id: randomUUID(), status: 'QUEUED', device, payloadHex, targetPorts });
        return;
      }

      throw new HttpProblem(404, 'not_found', `no route for ${record.method} ${url.pathname}`);
    } catch (err) {
      if (err instanceof HttpProblem) {
        send(err.status, { error: err.error, message: err.message });
      } else {
        send(500, { error: 'internal', message: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://${host}:${port}`;

  let closed: Promise<void> | undefined;
  return {
    baseUrl: `${origin}${CORE_PREFIX}`,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    origin,
    accessToken,
    requests,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
