import type { Io } from '../io.js';
import type { Tally } from './tally.js';
import type { Colour } from './style.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;

function duration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(s % 60).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/**
 * A one-line progress bar redrawn in place on stderr (a terminal only): counts, rate and
 * ETA. Lines printed meanwhile (`log`) go above it. A few lines of ANSI over
 * `process.stderr` need no library.
 */
export class ProgressBar {
  private last = 0;
  private shown = false;

  constructor(
    private readonly io: Io,
    private readonly tally: Tally,
    private readonly paint: (colour: Colour, text: string) => string,
  ) {}

  line(): string {
    const { tally } = this;
    const { counts } = tally;
    const done = tally.done;
    const share = tally.total ? Math.min(1, done / tally.total) : undefined;
    const filled = share === undefined ? 0 : Math.round(share * BAR_WIDTH);
    const bar =
      share === undefined ? '' : `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] `;
    const of =
      tally.total === undefined
        ? `${done}`
        : `${done}/${tally.total} ${Math.floor((share ?? 0) * 100)}%`;
    const eta = tally.etaSeconds === undefined ? '' : `  ETA ${duration(tally.etaSeconds)}`;
    const bad = (n: number, colour: Colour, label: string) =>
      n ? this.paint(colour, `${label} ${n}`) : `${label} ${n}`;
    return (
      `${bar}${of}  queued ${counts.queued}  skipped ${counts.skipped}  ` +
      `${bad(counts.failed, 'red', 'failed')}  ${bad(counts.unknown, 'yellow', 'unknown')}  ` +
      `${bad(counts.invalid, 'red', 'invalid')}  ${tally.rate.toFixed(1)}/s${eta}`
    );
  }

  /** Redraws at most every 100 ms, unless forced. */
  update(force = false): void {
    const now = Date.now();
    if (!force && now - this.last < REDRAW_MS) return;
    this.last = now;
    this.io.stderr.write(`\r\u001b[2K${this.line()}`);
    this.shown = true;
  }

  /** Prints a line above the bar. */
  log(text: string): void {
    this.above(() => this.io.stderr.write(`${text}\n`));
  }

  /** Runs `write` with the bar erased, then draws it again below what was written. */
  above(write: () => void): void {
    if (this.shown) this.io.stderr.write('\r\u001b[2K');
    write();
    if (this.shown) this.update(true);
  }

  /** The final state stays on screen. */
  finish(): void {
    this.update(true);
    this.io.stderr.write('\n');
  }
}
