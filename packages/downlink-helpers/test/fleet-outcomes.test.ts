/**
 * Issue 21, items 1-4: outcomes that say what DX did, a plain resume that sends everything DX
 * certainly did not process, and a run that notices an outage. Each test failed on the code
 * before the change (items journaled `failed` for good, or 2,000 of 2,000 `unknown`).
 */
import { createDxClient } from '@dx/core-client';
import { describe, expect, it } from 'vitest';
import { json, unusedPort, useTestServers } from '../../../scripts/test-support/http-server.js';
import { createMemoryJournal, sendDownlinks, type JournalRecord } from '../src/index.js';
import { byOutcome, collect, fleetClient, items, useFleetServers } from './support/fleet.js';

const serveFleet = useFleetServers();
const serve = useTestServers();

/** A token endpoint: `answer(n)` decides the status of its n-th request (0-based). */
async function tokenEndpoint(answer: (request: number) => number) {
  let count = 0;
  const server = await serve((_req, res) => {
    const status = answer(count++);
    if (status === 200) return json(res, 200, { access_token: 'tok', expires_in: 3600 });
    json(res, status, { error: status === 401 ? 'invalid_client' : 'unavailable' });
  });
  return { tokenUrl: `${server.url}/oauth/token`, requests: () => count };
}

const credentialsClient = (baseUrl: string, tokenUrl: string, clientSecret = 'secret') =>
  createDxClient({ baseUrl, auth: { clientId: 'tp/login', clientSecret, tokenUrl } });

const processedOnce = (processed: Map<string, number>, count: number): void => {
  expect(processed.size).toBe(count);
  expect([...processed.values()].every((n) => n === 1)).toBe(true);
};

describe('sendDownlinks: what DX certainly did not process stays sendable', () => {
  it('rides out one 503 of the token endpoint: every item is queued once', async () => {
    const dx = await serveFleet();
    const tokens = await tokenEndpoint((n) => (n === 0 ? 503 : 200));
    const run = sendDownlinks(credentialsClient(dx.baseUrl, tokens.tokenUrl), items(5));
    expect(byOutcome(await collect(run))).toEqual({ queued: 5 });
    processedOnce(dx.processed, 5);
  });

  it('refused credentials: the run stops, nothing is failed for good, a plain resume sends all', async () => {
    const dx = await serveFleet();
    const tokens = await tokenEndpoint(() => 401);
    const journal = createMemoryJournal();
    const run = sendDownlinks(credentialsClient(dx.baseUrl, tokens.tokenUrl), items(20), {
      journal,
      concurrency: 4,
    });
    const first = await collect(run);
    expect(first.every((r) => r.outcome === 'not-sent')).toBe(true);
    expect((await run.summary).outage?.reason).toBe('credentials');
    expect(dx.requests).toBe(0);
    // The secret corrected: a plain resume (no --resend-unknown) sends every item, once.
    const good = await tokenEndpoint(() => 200);
    const resumed = sendDownlinks(credentialsClient(dx.baseUrl, good.tokenUrl), items(20), {
      journal,
    });
    expect(byOutcome(await collect(resumed))).toEqual({ queued: 20 });
    processedOnce(dx.processed, 20);
  });

  it('503s that ran out are not-sent, and a plain resume sends them', async () => {
    let down = true;
    const dx = await serveFleet({ fault: () => (down ? 'unavailable' : 'ok') });
    const journal = createMemoryJournal();
    const first = await collect(
      sendDownlinks(fleetClient(dx.baseUrl), items(3), { journal, maxAttempts: 2 }),
    );
    expect(byOutcome(first)).toEqual({ 'not-sent': 3 });
    down = false;
    const resumed = await collect(sendDownlinks(fleetClient(dx.baseUrl), items(3), { journal }));
    expect(byOutcome(resumed)).toEqual({ queued: 3 });
    processedOnce(dx.processed, 3);
  });

  it('DX unreachable: the run stops itself, and a resume sends everything once DX is back', async () => {
    const port = await unusedPort();
    const journal = createMemoryJournal();
    const input = items(50);
    const run = sendDownlinks(fleetClient(`http://127.0.0.1:${port}/core/latest/api`), input, {
      journal,
      concurrency: 4,
      outageMs: 300,
    });
    const first = await collect(run);
    const summary = await run.summary;
    expect(summary.outage?.reason).toBe('unreachable');
    expect(summary.outage?.message).toMatch(/^DX unreachable since \d\d:\d\d:\d\d UTC$/);
    // Stopped early: most of the input was never even taken.
    expect(first.length + summary.stopped).toBeLessThan(50);
    expect(first.every((r) => r.outcome === 'not-sent')).toBe(true);
    const dx = await serveFleet();
    const resumed = await collect(sendDownlinks(fleetClient(dx.baseUrl), input, { journal }));
    expect(byOutcome(resumed)).toEqual({ queued: 50 });
    processedOnce(dx.processed, 50);
  });

  it('a wrong base URL (404 to everything) stops the run without burning the input', async () => {
    const dx = await serveFleet();
    const journal = createMemoryJournal();
    const wrong = dx.baseUrl.replace('/core/latest/api', '/core/wrong/api');
    const run = sendDownlinks(fleetClient(wrong), items(200), { journal, concurrency: 4 });
    const first = await collect(run);
    expect((await run.summary).outage?.reason).toBe('not-found');
    expect(first.length).toBeLessThan(20);
    expect(first.every((r) => r.outcome === 'not-sent')).toBe(true);
    const resumed = await collect(sendDownlinks(fleetClient(dx.baseUrl), items(200), { journal }));
    expect(byOutcome(resumed)).toEqual({ queued: 200 });
    processedOnce(dx.processed, 200);
  });

  it('a 404 after DX answered other items is DX refusing that item: failed', async () => {
    const dx = await serve((req, res) =>
      req.url?.includes('/devices/dev-3/')
        ? json(res, 404, { message: 'no such device' })
        : json(res, 200, { status: 'QUEUED' }),
    );
    const results = await collect(
      sendDownlinks(fleetClient(`${dx.url}/core/latest/api`), items(5), { concurrency: 1 }),
    );
    expect(results.map((r) => r.outcome)).toEqual([
      'queued',
      'queued',
      'queued',
      'failed',
      'queued',
    ]);
  });
});

describe('sendDownlinks: a token endpoint that is down', () => {
  it('stops the run as an outage of the token endpoint, nothing started, a resume sends all', async () => {
    const dx = await serveFleet();
    const down = await tokenEndpoint(() => 503);
    const journal = createMemoryJournal();
    const run = sendDownlinks(credentialsClient(dx.baseUrl, down.tokenUrl), items(30), {
      journal,
      concurrency: 4,
      outageMs: 300,
    });
    const first = await collect(run);
    const summary = await run.summary;
    expect(summary.outage?.message).toMatch(/^the token endpoint unreachable since /);
    expect(first.every((r) => r.outcome === 'not-sent')).toBe(true);
    // No request left, so no start record: nothing a resume would call unknown.
    expect(journal.records.filter((r) => r.event === 'start')).toEqual([]);
    const up = await tokenEndpoint(() => 200);
    const resumed = await collect(
      sendDownlinks(credentialsClient(dx.baseUrl, up.tokenUrl), items(30), { journal }),
    );
    expect(byOutcome(resumed)).toEqual({ queued: 30 });
    processedOnce(dx.processed, 30);
  });
});

describe('sendDownlinks: a 404 before DX answered anything else', () => {
  it("waits for the next answer: DX answering others makes it that item's refusal, failed", async () => {
    const dx = await serve((req, res) =>
      req.url?.includes('/devices/dev-0/')
        ? json(res, 404, { message: 'no such device' })
        : json(res, 200, { status: 'QUEUED' }),
    );
    const journal = createMemoryJournal();
    const results = await collect(
      sendDownlinks(fleetClient(`${dx.url}/core/latest/api`), items(3), {
        concurrency: 1,
        journal,
      }),
    );
    const byIndex = results
      .map((r) => [r.index, r.outcome])
      .sort(([a], [b]) => Number(a) - Number(b));
    expect(byIndex).toEqual([
      [0, 'failed'],
      [1, 'queued'],
      [2, 'queued'],
    ]);
    // Journaled as still to send until DX's other answer said the base URL is right.
    expect(journal.records.filter((r) => r.key === '#0').map((r) => r.event)).toEqual([
      'start',
      'retry',
      'failed',
    ]);
  });
});

describe('sendDownlinks: the start record leaves with the request', () => {
  it('no start record while the token is being fetched', async () => {
    const journal = createMemoryJournal();
    const dx = await serveFleet();
    const atTokenRequest: JournalRecord[][] = [];
    const server = await serve((_req, res) => {
      atTokenRequest.push(journal.records.slice());
      json(res, 200, { access_token: 'tok', expires_in: 3600 });
    });
    const client = credentialsClient(dx.baseUrl, `${server.url}/oauth/token`);
    await collect(sendDownlinks(client, items(2), { journal, concurrency: 1 }));
    expect(atTokenRequest).toEqual([[]]);
    expect(journal.records.map((r) => `${r.key} ${r.event}`)).toEqual([
      '#0 start',
      '#0 queued',
      '#1 start',
      '#1 queued',
    ]);
  });
});

describe('sendDownlinks: a run that notices an outage', () => {
  it('DX answering 500 to everything: the run stops after a few unknowns, not 2,000', async () => {
    const dx = await serve((_req, res) => json(res, 500, { message: 'internal' }));
    const run = sendDownlinks(fleetClient(`${dx.url}/core/latest/api`), items(2000), {
      concurrency: 8,
    });
    const results = await collect(run);
    const summary = await run.summary;
    expect(summary.outage?.reason).toBe('server-error');
    // The breaker's 10 in a row, plus what was in flight when it tripped.
    expect(summary.unknown).toBeLessThanOrEqual(10 + 8);
    expect(results.length).toBe(summary.unknown);
    expect(dx.requests.length).toBe(summary.unknown);
  });

  it('while it waits for a retry, the progress says for what', async () => {
    const port = await unusedPort();
    const waits: string[] = [];
    const run = sendDownlinks(fleetClient(`http://127.0.0.1:${port}/core/latest/api`), items(1), {
      maxAttempts: 3,
      onProgress: (p) => {
        if (p.waiting) waits.push(p.waiting.reason);
      },
    });
    await collect(run);
    expect(waits.length).toBeGreaterThan(0);
    expect(new Set(waits)).toEqual(new Set(['DX refused the connection']));
  });

  it('the spacing of a ratePerSecond run that DX never throttles is no wait to report', async () => {
    const dx = await serveFleet();
    const waits: string[] = [];
    const run = sendDownlinks(fleetClient(dx.baseUrl), items(8), {
      ratePerSecond: 20,
      onProgress: (p) => {
        if (p.waiting) waits.push(p.waiting.reason);
      },
    });
    expect(byOutcome(await collect(run))).toEqual({ queued: 8 });
    expect(waits).toEqual([]);
  });
});

describe('sendDownlinks: the run sets the pace whatever the client retries', () => {
  it("with the app's default client (retries on), the run sees every 429 itself", async () => {
    let answered429 = 0;
    const dx = await serve((_req, res) => {
      if (answered429 < 6) {
        answered429++;
        return json(res, 429, {}, { 'Retry-After': '0' });
      }
      json(res, 200, { status: 'QUEUED' });
    });
    // The default client: retries 429 up to 3 times on its own.
    const client = createDxClient({ baseUrl: `${dx.url}/core/latest/api`, auth: { token: 't' } });
    const run = sendDownlinks(client, items(4), { concurrency: 2 });
    expect(byOutcome(await collect(run))).toEqual({ queued: 4 });
    // Every 429 reached the run (which slowed down for it), none was hidden in the client.
    expect((await run.summary).throttled).toBe(6);
  });
});
