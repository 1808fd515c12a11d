import { describe, expect, it } from 'vitest';
import { LeakyBucket } from '../src/behaviour/rate-limit.js';
import { mockServer, postDownlink, tokenFor } from './support.js';

describe('LeakyBucket (NGINX limit_req with nodelay)', () => {
  it('lets burst + 1 through at once, then one per 1/perSecond', () => {
    let now = 0;
    const bucket = new LeakyBucket({ perSecond: 2, burst: 3 }, () => now);
    const first = Array.from({ length: 5 }, () => bucket.take().ok);
    expect(first).toEqual([true, true, true, true, false]);
    now += 499;
    expect(bucket.take().ok).toBe(false);
    now += 1;
    expect(bucket.take().ok).toBe(true);
    expect(bucket.take().ok).toBe(false);
  });

  it('says how long to wait, in whole seconds, at least 1', () => {
    let now = 0;
    const slow = new LeakyBucket({ perSecond: 0.2 }, () => now);
    expect(slow.take()).toEqual({ ok: true });
    expect(slow.take()).toEqual({ ok: false, retryAfterSeconds: 5 });
    now += 4000;
    expect(slow.take()).toEqual({ ok: false, retryAfterSeconds: 1 });
    now += 1000;
    expect(slow.take()).toEqual({ ok: true });
  });

  it('refused requests do not fill the bucket', () => {
    let now = 0;
    const bucket = new LeakyBucket({ perSecond: 1 }, () => now);
    bucket.take();
    for (let i = 0; i < 50; i++) bucket.take();
    now += 1000;
    expect(bucket.take().ok).toBe(true);
  });
});

describe('rate limit on the server', () => {
  it('answers the excess 429 with Retry-After and records it; the token endpoint is not limited', async () => {
    let now = 0;
    const mock = await mockServer({ rateLimit: { perSecond: 1, burst: 1 }, now: () => now });
    const token = await tokenFor(mock);
    await tokenFor(mock);
    await tokenFor(mock);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await postDownlink(mock, token)).status);
    expect(statuses).toEqual([200, 200, 429]);
    const limited = await postDownlink(mock, token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.body['code']).toBe('rate_limited');
    expect(mock.requests.at(-1)).toMatchObject({ fault: 'rate-limit', status: 429, queued: false });
    expect(mock.downlinks).toHaveLength(2);
    now += 1000;
    expect((await postDownlink(mock, token)).status).toBe(200);
  });

  it('Retry-After is the wait rounded up: a client that obeys it is not refused again', async () => {
    let now = 0;
    // One every 2.5 s: after the first, the next passes 2.5 s later, so Retry-After is 3, not 2.
    const mock = await mockServer({ rateLimit: { perSecond: 0.4 }, now: () => now });
    const token = await tokenFor(mock);
    expect((await postDownlink(mock, token)).status).toBe(200);
    const waits: (string | null)[] = [];
    for (const step of [0, 600, 1000, 850]) {
      now += step;
      const limited = await postDownlink(mock, token);
      expect(limited.status).toBe(429);
      waits.push(limited.headers.get('retry-after'));
    }
    // 2.5 s, 1.9 s, 0.9 s and 0.05 s left.
    expect(waits).toEqual(['3', '2', '1', '1']);
    // Obeying the last one is enough.
    now += 1000;
    expect((await postDownlink(mock, token)).status).toBe(200);
  });

  it('can be set, changed and removed while running', async () => {
    const now = 0;
    const mock = await mockServer({ now: () => now });
    const token = await tokenFor(mock);
    expect((await postDownlink(mock, token)).status).toBe(200);
    mock.setRateLimit({ perSecond: 1 });
    expect((await postDownlink(mock, token)).status).toBe(200);
    expect((await postDownlink(mock, token)).status).toBe(429);
    mock.setRateLimit(undefined);
    expect((await postDownlink(mock, token)).status).toBe(200);
    expect(() => mock.setRateLimit({ perSecond: -1 })).toThrow('rateLimit.perSecond');
  });
});
