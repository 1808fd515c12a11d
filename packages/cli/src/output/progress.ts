import type { Io } from '../io.js';
import type { Tally } from './tally.js';
import { unpainted, type Colour } from './style.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;
/** Narrower than this, a bar says less than the percentage beside it. */
const MIN_BAR_WIDTH = 8;
/**
 * The room the rest of a busy line takes (`12345/20000 61%  queued 12300  failed 45  unknown 3
 * 123.4/s  ETA 1m02s`): the bar gets only what a terminal has beyond it. So an 80-column
 * terminal shows no bar: its columns go to the counts, and the percentage says what the bar
 * would.
 */
const REST_OF_LINE = 80;

/**
 * How far the line is narrowed: 0 everything; 1 without zero counts (queued aside); 2 without
 * the bar as well; 3 without the rate, ETA and percentage as well.
 */
type Narrow = 0 | 1 | 2 | 3;

/** The bar's width on a terminal this wide: fixed for the run, so the line does not jitter. */
function barWidthFor(columns: number): number {
  const width = Math.min(BAR_WIDTH, columns - REST_OF_LINE);
  return width >= MIN_BAR_WIDTH ? width : 0;
}

/** Whole pieces (joined by two spaces) from the end dropped until it fits; cut as a last resort. */
function fitWhole(line: string, columns: number): string {
  const pieces = line.split('  ');
  while (pieces.length > 1 && unpainted(pieces.join('  ')).length >= columns) pieces.pop();
  const fitted = pieces.join('  ');
  return unpainted(fitted).length < columns ? fitted : unpainted(fitted).slice(0, columns - 1);
}
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
  /**
   * Only ever narrower during a run: a line that drops its bar when the counts widen and takes
   * it back when the ETA shrinks flickers; one that narrows once stays readable.
   */
  private narrowed: Narrow = 0;
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
   * redraw then starts on a new row, filling the screen. The bar is as wide as the terminal
   * allows (none below 88 columns, 24 from 104); zero counts go first, then the bar, then the
   * rate, ETA and percentage, and none comes back in the same run; what still does not fit
   * loses whole pieces from its end.
   */
  line(): string {
    const width = this.io.stderr.columns;
    if (!width) return this.compose(0, BAR_WIDTH);
    const barWidth = barWidthFor(width);
    for (let narrow = this.narrowed; narrow <= 3; narrow++) {
      const line = this.compose(narrow as Narrow, barWidth);
      if (unpainted(line).length < width) {
        this.narrowed = narrow as Narrow;
        return line;
      }
    }
    this.narrowed = 3;
    return fitWhole(this.compose(3, barWidth), width);
  }

  private compose(narrow: Narrow, barWidth: number): string {
    const { tally } = this;
    const { counts } = tally;
    const done = tally.done;
    const share = tally.total ? Math.min(1, done / tally.total) : undefined;
    const filled = share === undefined ? 0 : Math.round(share * barWidth);
    const bar =
      share === undefined || narrow >= 2 || barWidth === 0
        ? ''
        : `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] `;
    const percent = narrow === 3 ? '' : ` ${Math.floor((share ?? 0) * 100)}%`;
    const of = tally.total === undefined ? `${done}` : `${done}/${tally.total}${percent}`;
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
    // What the run waits for matters more than its rate: shown however narrow the line.
    const pace = narrow === 3 && this.waiting === undefined ? [] : [this.pace(eta)];
    return [`${bar}${of}`, ...shown, ...pace].join('  ');
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
