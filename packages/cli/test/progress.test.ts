/**
 * The progress line on a terminal of a given width, frame by frame, with the clock driven by
 * the test (the rate and ETA change width as a real run's do). Seeded outcomes, so a failure
 * replays.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Io } from '../src/io.js';
import { ProgressBar } from '../src/output/progress.js';
import { painter, unpainted } from '../src/output/style.js';
import { Tally, type Outcome } from '../src/output/tally.js';

beforeEach(() => vi.useFakeTimers({ now: 0 }));
afterEach(() => vi.useRealTimers());

/** mulberry32, seeded: which outcome each item gets. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A few failures among the queued, or some of every outcome. */
type Mix = 'few failed' | 'every outcome';

function outcomeOf(r: number, mix: Mix): Outcome {
  if (mix === 'few failed') return r < 0.03 ? 'failed' : 'queued';
  if (r < 0.9) return 'queued';
  if (r < 0.94) return 'failed';
  if (r < 0.97) return 'unknown';
  return r < 0.99 ? 'invalid' : 'skipped';
}

/** Every frame a run of `total` items draws on a terminal `columns` wide. */
function frames(
  columns: number,
  total: number,
  seed: number,
  mix: Mix = 'every outcome',
): string[] {
  const io = { stderr: { columns, isTTY: true, write: () => true } } as unknown as Io;
  const tally = new Tally(total);
  const bar = new ProgressBar(io, tally, painter(true));
  const random = seeded(seed);
  const drawn: string[] = [bar.line()];
  for (let i = 1; i <= total; i++) {
    // A rate that slows and speeds up around 10/s, as DX's 429s make it: the rate and the ETA
    // change width back and forth.
    vi.setSystemTime(Date.now() + (i % 200 < 100 ? 20 : 180));
    tally.add(outcomeOf(random(), mix));
    if (i % Math.ceil(total / 100) === 0 || i === total) drawn.push(bar.line());
  }
  return drawn.map(unpainted);
}

/** What a frame shows, apart from the numbers. */
const layout = (frame: string) => ({
  bar: /^\[[#.]+\] /.exec(frame)?.[0].length ?? 0,
  zeros: (frame.match(/\b\w+ 0\b/g) ?? []).length > 0,
  pace: /\/s\b/.test(frame),
});

describe('the progress line on a terminal', () => {
  const SEED = 20251207;

  it.each(
    [80, 100, 120, 72, 60, 40].flatMap((columns) =>
      [1_000, 20_000].flatMap((n) =>
        (['few failed', 'every outcome'] as const).map((mix) => [columns, n, mix] as const),
      ),
    ),
  )(
    'at %i columns, %i items, %s: every frame fits, and the layout only ever narrows (no bar in and out)',
    (columns, total, mix) => {
      const drawn = frames(columns, total, SEED, mix);
      for (const frame of drawn) expect(frame.length, frame).toBeLessThan(columns);
      const layouts = drawn.map(layout);
      for (const [i, now] of layouts.entries()) {
        const before = layouts[i - 1];
        if (!before) continue;
        expect(now.bar, `frame ${i}: ${drawn[i]}`).toBeLessThanOrEqual(before.bar);
        if (!before.zeros) expect(now.zeros, `frame ${i}: ${drawn[i]}`).toBe(false);
        if (!before.pace) expect(now.pace, `frame ${i}: ${drawn[i]}`).toBe(false);
      }
    },
  );

  it('at 80 columns: no bar, the progress, every count that is not 0, the rate and ETA while they fit', () => {
    const small = frames(80, 41, SEED);
    for (const frame of small) expect(frame).toMatch(/^\d+\/41 +\d+%  queued \d+/);
    expect(small.at(-1)).toMatch(
      /^41\/41 100%  queued \d+(  (skipped|failed|unknown|invalid) [1-9]\d*)*  \d+\.\d\/s/,
    );
    // 20,000 items of every outcome: the rate and ETA make way, for the rest of the run, and
    // every count stays.
    const large = frames(80, 20_000, SEED);
    expect(large.at(-1)).toMatch(
      /^20000\/20000  queued \d+  skipped \d+  failed \d+  unknown \d+  invalid \d+$/,
    );
  });
});
