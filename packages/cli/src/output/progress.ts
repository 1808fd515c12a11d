import type { Io } from '../io.js';
import type { Tally } from './tally.js';
import { unpainted, type Colour } from './style.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;
/** A bar that nothing updates (a wait, an outage) is still redrawn this often. */
const HEARTBEAT_MS = 1000;

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
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  /** What the run waits for, and until when (this clock): shown instead of the rate. */
  private waiting: { reason: string; until: number } | undefined;

  constructor(
    private readonly io: Io,
    private readonly tally: Tally,
    private readonly paint: (colour: Colour, text: string) => string,
  ) {}

  /**
   * The bar's line, narrowed to the terminal: a line wider than the terminal wraps, and each
   * redraw then starts on a new row, filling the screen. Zero counts go first, then the bar;
   * what still does not fit is cut (without colours).
   */
  line(): string {
    const width = this.io.stderr.columns;
    if (!width) return this.compose(0);
    for (const narrow of [0, 1, 2] as const) {
      const line = this.compose(narrow);
      if (unpainted(line).length < width) return line;
    }
    return unpainted(this.compose(2)).slice(0, width - 1);
  }

  /** 0: everything; 1: without zero counts (queued aside); 2: without the bar as well. */
  private compose(narrow: 0 | 1 | 2): string {
    const { tally } = this;
    const { counts } = tally;
    const done = tally.done;
    const share = tally.total ? Math.min(1, done / tally.total) : undefined;
    const filled = share === undefined ? 0 : Math.round(share * BAR_WIDTH);
    const bar =
      share === undefined || narrow === 2
        ? ''
        : `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] `;
    const of =
      tally.total === undefined
        ? `${done}`
        : `${done}/${tally.total} ${Math.floor((share ?? 0) * 100)}%`;
    const eta = tally.etaSeconds === undefined ? '' : `  ETA ${duration(tally.etaSeconds)}`;
    const counted: [string, number, Colour?][] = [
      ['queued', counts.queued],
      ['skipped', counts.skipped],
      ['failed', counts.failed, 'red'],
      ['unknown', counts.unknown, 'yellow'],
      ['not-sent', counts['not-sent'], 'yellow'],
      ['invalid', counts.invalid, 'red'],
    ];
    const shown = counted
      .filter(([label, n]) => narrow === 0 || n > 0 || label === 'queued')
      .map(([label, n, colour]) =>
        colour && n ? this.paint(colour, `${label} ${n}`) : `${label} ${n}`,
      );
    return [`${bar}${of}`, ...shown, this.pace(eta)].join('  ');
  }

  /** The rate and ETA, or what the run waits for ("DX refused the connection, retry in 4 s"). */
  private pace(eta: string): string {
    const waiting = this.waiting;
    if (waiting === undefined) return `${this.tally.rate.toFixed(1)}/s${eta}`;
    const seconds = Math.max(0, Math.ceil((waiting.until - Date.now()) / 1000));
    return `waiting: ${waiting.reason}, retry in ${seconds} s`;
  }

  /** What the run waits for (undefined: it is sending); `inMs` from now. */
  wait(waiting: { reason: string; inMs: number } | undefined): void {
    const changed = waiting?.reason !== this.waiting?.reason;
    this.waiting = waiting && { reason: waiting.reason, until: Date.now() + waiting.inMs };
    this.update(changed);
  }

  /**
   * Redraws every second until {@link finish}, so a run that waits (or whose rate falls) never
   * shows a frozen line.
   */
  start(): void {
    this.heartbeat ??= setInterval(() => this.update(true), HEARTBEAT_MS);
    this.heartbeat.unref?.();
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
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    this.waiting = undefined;
    this.update(true);
    this.io.stderr.write('\n');
  }
}
