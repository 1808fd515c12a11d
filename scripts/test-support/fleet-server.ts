/**
 * A small stand-in for DX's downlink endpoint, for the fleet tests and the fleet benchmark
 * (until `@dx/mock` lands): a real `node:http` server on 127.0.0.1 with a leaky-bucket rate
 * limit (NGINX `limit_req` with `burst`, `nodelay`), a latency, and faults decided per request.
 * It counts what it processed per device, which is what "never twice" is checked against.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the server does with one request:
 * - `ok`: processes it, answers 200 QUEUED;
 * - `unavailable`: answers 503 before processing it;
 * - `reset`: processes it, then drops the connection without an answer;
 * - `bad-request`: refuses it with 400 (not processed);
 * - `unreadable`: processes it, answers 200 with a body that is not JSON.
 */
export type Fault = 'ok' | 'unavailable' | 'reset' | 'bad-request' | 'unreadable';

export interface FleetServerOptions {
  /** Leaky bucket: requests per second it serves; beyond `burst` it answers 429. */
  ratePerSecond?: number;
  burst?: number;
  /** Delay before answering, in ms. */
  latencyMs?: number;
  /** Decides the fault of each request (device as in the URL, 0-based request number). */
  fault?: (device: string, request: number) => Fault;
}

export interface FleetServer {
  /** Base URL for `createDxClient`. */
  baseUrl: string;
  /** Downlinks processed, per device. */
  processed: Map<string, number>;
  /** Answers per status (0 for a dropped connection). */
  answers: Map<number, number>;
  requests: number;
  /** Requests being handled right now, and the highest it reached. */
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

const PATH = /^\/core\/latest\/api\/devices\/([^/?]+)\/downlinkMessages(?:\?|$)/;

export async function startFleetServer(options: FleetServerOptions = {}): Promise<FleetServer> {
  const { ratePerSecond, burst = 20, latencyMs = 0, fault = () => 'ok' } = options;
  let excess = 0;
  let lastLeak = performance.now();
  /** NGINX's rule: accept while the bucket (draining at the rate) holds at most `burst`. */
  const admit = (): boolean => {
    if (ratePerSecond === undefined) return true;
    const now = performance.now();
    excess = Math.max(0, excess - ((now - lastLeak) / 1000) * ratePerSecond);
    lastLeak = now;
    if (excess + 1 > burst) return false;
    excess += 1;
    return true;
  };

  const state: FleetServer = {
    baseUrl: '',
    processed: new Map(),
    answers: new Map(),
    requests: 0,
    inFlight: 0,
    maxInFlight: 0,
    close: async () => undefined,
  };
  const answer = (res: ServerResponse, status: number, body: string, type = 'application/json') => {
    state.answers.set(status, (state.answers.get(status) ?? 0) + 1);
    const headers: Record<string, string> = { 'Content-Type': type };
    if (status === 429) headers['Retry-After'] = '1';
    res.writeHead(status, headers);
    res.end(body);
  };
  const process = (device: string) =>
    state.processed.set(device, (state.processed.get(device) ?? 0) + 1);

  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const request = state.requests++;
      state.maxInFlight = Math.max(state.maxInFlight, ++state.inFlight);
      res.on('close', () => state.inFlight--);
      const match = PATH.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) return answer(res, 404, '{"message":"not found"}');
      const device = decodeURIComponent(match[1]!);
      // The limit is checked on arrival, as NGINX does, before the latency of the backend.
      if (!admit()) return answer(res, 429, '{"message":"too many requests"}');
      setTimeout(() => {
        const what = fault(device, request);
        if (what === 'unavailable') return answer(res, 503, '{"message":"unavailable"}');
        if (what === 'bad-request') return answer(res, 400, '{"message":"refused"}');
        process(device);
        if (what === 'reset') {
          state.answers.set(0, (state.answers.get(0) ?? 0) + 1);
          res.socket?.destroy();
          return;
        }
        if (what === 'unreadable') return answer(res, 200, 'not json', 'text/plain');
        answer(res, 200, '{"status":"QUEUED"}');
      }, latencyMs);
    });
  });
  // Idle keep-alive sockets must not be closed under the client: a POST on a socket the
  // server is closing fails in a way that looks like "maybe sent".
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  state.baseUrl = `http://127.0.0.1:${port}/core/latest/api`;
  state.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return state;
}

/** A deterministic pseudo-random number generator (mulberry32), so fault mixes repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
