/** The outcomes of the fleet contract, in the order every report lists them. */
export const OUTCOMES = ['queued', 'skipped', 'failed', 'unknown', 'not-sent', 'invalid'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Counts per outcome, the total when known, and the clock. */
export class Tally {
  readonly counts: Record<Outcome, number> = {
    queued: 0,
    skipped: 0,
    failed: 0,
    unknown: 0,
    'not-sent': 0,
    invalid: 0,
  };
  private readonly started = Date.now();

  constructor(readonly total: number | undefined) {}

  add(outcome: Outcome): void {
    this.counts[outcome] += 1;
  }

  get done(): number {
    return OUTCOMES.reduce((sum, outcome) => sum + this.counts[outcome], 0);
  }

  get elapsedMs(): number {
    return Date.now() - this.started;
  }

  /** Items finished per second since the start. */
  get rate(): number {
    return this.elapsedMs > 0 ? (this.done * 1000) / this.elapsedMs : 0;
  }

  /** Seconds left at the current rate, when the total is known. */
  get etaSeconds(): number | undefined {
    if (this.total === undefined || this.rate === 0) return undefined;
    return Math.max(0, this.total - this.done) / this.rate;
  }

  /** Exit 0 only when everything was queued or skipped. */
  get allGood(): boolean {
    const { failed, unknown, invalid } = this.counts;
    return failed + unknown + this.counts['not-sent'] + invalid === 0;
  }

  /** The `{"summary": ...}` NDJSON line. */
  summary(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { summary: { ...this.counts, total: this.done, ...extra, elapsedMs: this.elapsedMs } };
  }
}
