/**
 * The pace of a campaign, shared by all its workers through the campaign's row. A worker
 * reserves a block of send slots at a time (0.1 s of the campaign's rate, one round trip) and
 * spends them at that rate; the blocks of all workers follow one another, so together they
 * send at the campaign's rate. A slot not used within 50 ms of its time is lost, as a bucket
 * of that size loses what overflows: a worker that fell behind does not catch up in a burst.
 *
 * A 429/503 seen by any worker cuts the campaign's rate in the row (a CUBIC curve climbs back,
 * as each run's own pace does) and drops this worker's reserved slots; the others take the
 * new rate with their next block, within 0.1 s.
 */
import type { FleetPace } from '../../sending/fleet-pace.js';
import { monotonicNow } from '../../sending/rate-controller.js';
import type { CampaignSession } from './campaign-session.js';
import type { Tables } from './schema.js';
import { leaseSlots, throttle } from './statements.js';

/** Seconds of the campaign's rate reserved by one lease. */
const BLOCK_SECONDS = 0.1;
/** A slot older than this is lost; a lease also gives slots this old that nobody took. */
const SLOT_GRACE_MS = 100;
/** How often to look again while a lease is under way. */
const POLL_MS = 5;

interface Block {
  /** Local time of the first slot. */
  from: number;
  /** Milliseconds between slots (0: no limit). */
  spacing: number;
  size: number;
  used: number;
}

export class SharedPace implements FleetPace {
  private blocks: Block[] = [];
  /** Slots given back by claims that another worker won: used before any other. */
  private returned = 0;
  private leasing = false;
  private served = 0;
  /** The campaign's rate at the last lease (requests per second; Infinity: none). */
  rate: number | undefined;

  constructor(
    private readonly session: CampaignSession,
    private readonly tables: Tables,
  ) {}

  take(key?: string): number {
    const broken = this.session.error;
    if (broken) throw broken;
    // Another worker's item: its claim answers at once and sends nothing, so it needs no slot
    // (when all workers read the same input, most items are another's).
    if (key !== undefined && this.session.isTaken(key)) return 0;
    if (this.returned > 0) {
      this.returned--;
      return 0;
    }
    const now = monotonicNow();
    for (;;) {
      const block = this.blocks[0];
      if (!block) break;
      if (block.spacing > 0) {
        const stale = Math.ceil((now - SLOT_GRACE_MS - block.from) / block.spacing);
        block.used = Math.max(block.used, stale);
      }
      if (block.used >= block.size) {
        this.blocks.shift();
        continue;
      }
      // Half of the block spent: reserve the next one while this one lasts.
      if (this.blocks.length === 1 && block.used * 2 >= block.size) this.lease();
      const at = block.from + block.used * block.spacing;
      if (at > now) return Math.ceil(at - now);
      block.used++;
      return 0;
    }
    this.lease();
    return POLL_MS;
  }

  /** A slot taken for an item another worker had: the next send uses it. */
  giveBack(): void {
    this.returned++;
  }

  onServed(): void {
    this.served++;
  }

  onThrottled(sentAt: number, retryAfterMs?: number): void {
    // Reserved at the rate DX just refused: give them up, the next lease has the new rate.
    this.blocks = [];
    this.returned = 0;
    void this.session
      .task(() =>
        this.session.execute(throttle(this.tables), [
          this.session.campaign,
          Math.max(0, monotonicNow() - sentAt),
          retryAfterMs ?? null,
        ]),
      )
      // A failure broke the session: the next take() or claim reports it.
      .catch(() => undefined);
  }

  private lease(): void {
    if (this.leasing) return;
    this.leasing = true;
    const served = this.served;
    this.served = 0;
    void this.session
      .task(() =>
        this.session.query<{ n: number; rate: number; delay_ms: number }>(leaseSlots(this.tables), [
          this.session.campaign,
          BLOCK_SECONDS,
          served,
          SLOT_GRACE_MS / 1000,
        ]),
      )
      .then(([row]) => {
        if (!row) return;
        const rate = Number(row.rate);
        this.rate = rate;
        this.blocks.push({
          from: monotonicNow() + Number(row.delay_ms),
          spacing: Number.isFinite(rate) ? 1000 / rate : 0,
          size: row.n,
          used: 0,
        });
      })
      .catch(() => undefined)
      .finally(() => {
        this.leasing = false;
      });
  }
}
