import { describe, expect, it } from 'vitest';
import { FAULTS, type DxFault } from '../src/index.js';
import { mockServer, postDownlink, tokenFor, VALID_BODY, DEVICE } from './support.js';

/** A raw downlink POST that reports how the transport failed instead of throwing. */
async function attempt(
  mock: { url: string },
  token: string,
  timeoutMs = 2000,
): Promise<{ status: number; headers: Headers; body: string } | { failed: string }> {
  try {
    const res = await fetch(`${mock.url}/devices/${DEVICE}/downlinkMessages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(VALID_BODY),
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, headers: res.headers, body: await res.text() };
  } catch (error) {
    return { failed: (error as Error).name };
  }
}

/** Each fault, how its attempt fails, and whether the downlink still counts as queued. */
const CASES: [DxFault, (r: Awaited<ReturnType<typeof attempt>>) => void, boolean][] = [
  [
    'too-many-requests',
    (r) => {
      expect(r).toMatchObject({ status: 429 });
      expect('headers' in r && r.headers.get('retry-after')).toBe('1');
    },
    false,
  ],
  [
    'unavailable',
    (r) => {
      expect(r).toMatchObject({ status: 503 });
      expect('headers' in r && r.headers.get('retry-after')).toBe('1');
    },
    false,
  ],
  ['server-error', (r) => expect(r).toMatchObject({ status: 500 }), false],
  ['server-error-after', (r) => expect(r).toMatchObject({ status: 500 }), true],
  ['timeout', (r) => expect(r).toEqual({ failed: 'TimeoutError' }), false],
  ['reset-before', (r) => expect(r).toEqual({ failed: 'TypeError' }), false],
  ['reset-after', (r) => expect(r).toEqual({ failed: 'TypeError' }), true],
  ['token-expired', (r) => expect(r).toMatchObject({ status: 401 }), false],
  [
    'redirect',
    (r) => {
      expect(r).toMatchObject({ status: 307 });
      expect('headers' in r && r.headers.get('location')).toMatch(/\/downlinkMessages$/);
    },
    false,
  ],
];

describe('each fault, once, then a normal answer', () => {
  it.each(CASES)('%s', async (fault, check, queued) => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    mock.failNext(1, fault);
    check(await attempt(mock, token, fault === 'timeout' ? 300 : 2000));
    const faulted = mock.requests[1]!;
    expect(faulted.fault).toBe(fault);
    expect(faulted.queued).toBe(queued);
    expect(mock.downlinks).toHaveLength(queued ? 1 : 0);
    // Only the next request was hit: the one after is answered normally.
    const fresh = fault === 'token-expired' ? await tokenFor(mock) : token;
    expect(await attempt(mock, fresh)).toMatchObject({ status: 200 });
    expect(mock.downlinks).toHaveLength(queued ? 2 : 1);
  });

  it('has a case for every fault the package lists', () => {
    expect(CASES.map(([fault]) => fault).sort()).toEqual([...FAULTS].sort());
  });

  it('records what no answer and a reset look like', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    mock.failNext(1, 'timeout');
    mock.failNext(1, 'reset-after');
    await attempt(mock, token, 300);
    await attempt(mock, token);
    expect(
      mock.requests.slice(1).map(({ outcome, status, queued }) => ({ outcome, status, queued })),
    ).toEqual([
      { outcome: 'no-answer', status: undefined, queued: false },
      { outcome: 'reset', status: undefined, queued: true },
    ]);
  });

  it('token-expired makes the presented token stop working', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    mock.failNext(1, 'token-expired');
    await attempt(mock, token);
    const again = await postDownlink(mock, token);
    expect(again.status).toBe(401);
    expect(again.body['code']).toBe('token_expired');
  });

  it('a token past its lifetime is refused as expired', async () => {
    let now = 1_000_000;
    const mock = await mockServer({ tokenLifetimeSeconds: 60, now: () => now });
    const token = await tokenFor(mock);
    expect((await postDownlink(mock, token)).status).toBe(200);
    now += 60_000;
    const late = await postDownlink(mock, token);
    expect(late.status).toBe(401);
    expect(late.body['code']).toBe('token_expired');
  });

  it('options: Retry-After, redirect target and status', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    mock.failNext(1, 'unavailable', { retryAfterSeconds: 7 });
    mock.failNext(1, 'redirect', { location: 'http://127.0.0.1:9/x', redirectStatus: 308 });
    const first = await attempt(mock, token);
    expect('headers' in first && first.headers.get('retry-after')).toBe('7');
    const second = await attempt(mock, token);
    expect(second).toMatchObject({ status: 308 });
    expect('headers' in second && second.headers.get('location')).toBe('http://127.0.0.1:9/x');
  });

  it('failNext(n) hits exactly n requests, in the order the rules were given', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    mock.failNext(2, 'unavailable');
    mock.failNext(1, 'server-error');
    const statuses = [];
    for (let i = 0; i < 4; i++)
      statuses.push(((await attempt(mock, token)) as { status: number }).status);
    expect(statuses).toEqual([503, 503, 500, 200]);
  });

  it('faults hit DX Core requests by default, the token endpoint only when targeted', async () => {
    const mock = await mockServer();
    mock.failNext(1, 'unavailable');
    const token = await tokenFor(mock);
    expect(mock.requests[0]!.fault).toBeUndefined();
    mock.failNext(1, 'unavailable', { target: 'token' });
    await expect(tokenFor(mock)).rejects.toThrow('token: 503');
    expect((await attempt(mock, token)) as { status: number }).toMatchObject({ status: 503 });
  });

  it('faults given at start apply from the first request', async () => {
    const mock = await mockServer({ faults: [{ fault: 'server-error', next: 1 }] });
    const token = await tokenFor(mock);
    expect(await attempt(mock, token)).toMatchObject({ status: 500 });
    expect(await attempt(mock, token)).toMatchObject({ status: 200 });
  });

  it('failShare with a seed hits the same requests every run, about the share asked', async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      const mock = await mockServer();
      const token = await tokenFor(mock);
      mock.failShare(0.3, 'unavailable', { seed });
      const out: number[] = [];
      for (let i = 0; i < 40; i++)
        out.push(((await attempt(mock, token)) as { status: number }).status);
      return out;
    };
    const a = await pattern(42);
    expect(await pattern(42)).toEqual(a);
    expect(await pattern(43)).not.toEqual(a);
    const hits = a.filter((s) => s === 503).length;
    expect(hits).toBeGreaterThan(4);
    expect(hits).toBeLessThan(24);
  });

  it('clearFaults removes every rule', async () => {
    const mock = await mockServer();
    const token = await tokenFor(mock);
    mock.failShare(1, 'server-error');
    expect(await attempt(mock, token)).toMatchObject({ status: 500 });
    mock.clearFaults();
    expect(await attempt(mock, token)).toMatchObject({ status: 200 });
  });

  it('latency holds every answer back (seen through a short client timeout)', async () => {
    const mock = await mockServer({ latencyMs: 5000 });
    const slowToken = fetch(mock.tokenUrl, { method: 'POST', signal: AbortSignal.timeout(200) });
    await expect(slowToken).rejects.toThrow(/timeout|aborted/i);
    mock.setLatency(0);
    const token = await tokenFor(mock);
    mock.setLatency(5000);
    expect(await attempt(mock, token, 200)).toEqual({ failed: 'TimeoutError' });
    mock.setLatency(0);
    expect(await attempt(mock, token)).toMatchObject({ status: 200 });
  });

  it.each([
    [
      (m: { failNext: (n: number, f: DxFault) => void }) => m.failNext(0, 'timeout'),
      'count must be a positive integer',
    ],
    [
      (m: { failShare: (r: number, f: DxFault) => void }) => m.failShare(-0.1, 'timeout'),
      'ratio must be a number from 0 to 1',
    ],
    [
      (m: { failNext: (n: number, f: DxFault) => void }) => m.failNext(1, 'boom' as DxFault),
      'fault must be one of',
    ],
  ])('refuses a bad control call (%#)', async (call, message) => {
    const mock = await mockServer();
    expect(() => call(mock as never)).toThrow(message);
  });
});
