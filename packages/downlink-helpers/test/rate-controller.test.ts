import { describe, expect, it, vi } from 'vitest';
import { RateController } from '../src/sending/rate-controller.js';

/** A controller on a clock the test moves by hand: counts and order, never real time. */
function controlled(ratePerSecond?: number) {
  let now = 1_000_000;
  const rate = new RateController({ ratePerSecond, now: () => now });
  return {
    rate,
    advance: (ms: number) => (now += ms),
    now: () => now,
    /** How many sends `take` allows within the next `ms`, stepping 1 ms at a time. */
    sendsWithin(ms: number): number {
      let sends = 0;
      for (const end = now + ms; now < end; now++) while (rate.take() === 0) sends++;
      return sends;
    },
    serve(count: number, overMs: number) {
      for (let i = 0; i < count; i++) {
        now += overMs / count;
        rate.onServed();
      }
    },
  };
}

describe('RateController', () => {
  it('does not limit anything before the first throttle when no rate is set', () => {
    const c = controlled();
    for (let i = 0; i < 1000; i++) expect(c.rate.take()).toBe(0);
  });

  it('keeps a configured rate, never above it', () => {
    const c = controlled(50);
    expect(c.sendsWithin(10_000)).toBeLessThanOrEqual(50 * 10 + 3);
    expect(c.sendsWithin(10_000)).toBeGreaterThanOrEqual(50 * 10 - 1);
  });

  it('slows every send after a throttle, then doubles back (slow start)', () => {
    const c = controlled();
    c.serve(20, 200);
    c.rate.onThrottled(c.now() - 5);
    const first = c.sendsWithin(200);
    const second = c.sendsWithin(200);
    const third = c.sendsWithin(200);
    expect(first).toBeGreaterThan(0);
    expect(second).toBeGreaterThan(first);
    expect(third).toBeGreaterThan(second);
    expect(c.rate.rate()).toBeLessThan(Infinity);
  });

  it('cuts to 0.7 of the served rate on the next throttle, once per round trip', () => {
    const c = controlled();
    c.rate.onThrottled(c.now());
    c.advance(400); // the slow start is beyond 100/s after 1.4 s
    c.serve(100, 1000); // while the server serves 100/s
    const sentBeforeCut = c.now() - 1;
    c.rate.onThrottled(c.now());
    const afterCut = c.rate.rate();
    expect(afterCut).toBeCloseTo(70, 0);
    // A throttle answering a request sent before the cut says nothing new.
    c.rate.onThrottled(sentBeforeCut);
    expect(c.rate.rate()).toBeCloseTo(afterCut, 5);
    // It climbs back towards the served rate, levels off near it, then probes beyond.
    c.advance(1000);
    const climbing = c.rate.rate();
    c.advance(1000);
    const level = c.rate.rate();
    c.advance(2000);
    const probing = c.rate.rate();
    expect(climbing).toBeGreaterThan(afterCut);
    expect(level).toBeGreaterThan(climbing);
    expect(level).toBeLessThanOrEqual(101);
    expect(probing).toBeGreaterThan(level);
  });

  it('pauses every send for a long Retry-After, not for a short one', () => {
    const c = controlled(100);
    c.serve(100, 1000);
    c.rate.onThrottled(c.now(), 1000);
    expect(c.rate.take()).toBeLessThan(100);
    c.rate.onThrottled(c.now(), 30_000);
    expect(c.rate.take()).toBe(30_000);
    c.advance(30_000);
    expect(c.sendsWithin(100)).toBeGreaterThan(0);
  });
});

describe('RateController: a clock that steps back (NTP, a VM resumed)', () => {
  it('never computes a rate of 0: the next send waits at most a couple of seconds', () => {
    const c = controlled();
    c.serve(50, 1000);
    c.rate.onThrottled(c.now());
    // The injected clock jumps back a day after the throttle.
    c.advance(-86_400_000);
    const delay = c.rate.take();
    expect(Number.isFinite(delay)).toBe(true);
    expect(delay).toBeLessThanOrEqual(2000);
    expect(c.rate.rate()).toBeGreaterThan(0);
  });

  it('paces on a monotonic clock by default: Date.now stepping back does not freeze it', () => {
    let wall = Date.now();
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => wall);
    try {
      const rate = new RateController();
      rate.onServed();
      rate.onThrottled(performance.now());
      wall -= 86_400_000;
      const delay = rate.take();
      expect(delay).toBeLessThanOrEqual(2000);
    } finally {
      spy.mockRestore();
    }
  });
});
