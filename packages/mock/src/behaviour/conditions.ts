/**
 * The conditions a test sets on a running mock: the rate limit, the latency and the scripted
 * faults, as given at start until changed, and back to those on `reset()`.
 */
import { fail, type Answer } from '../answers.js';
import { checkLatency, type MockSettings } from '../options.js';
import type { DxRequestRecord } from '../records.js';
import { FaultPlan } from './faults.js';
import { LeakyBucket, type DxRateLimit } from './rate-limit.js';

const sleep = (ms: number): Promise<void> =>
  ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();

export class Conditions {
  readonly faults = new FaultPlan();
  readonly #settings: MockSettings;
  #bucket: LeakyBucket | undefined;
  #latencyMs = 0;

  constructor(settings: MockSettings) {
    this.#settings = settings;
    this.reset();
  }

  /** The faults, rate limit and latency given at start. */
  reset(): void {
    const { faults, rateLimit, latencyMs } = this.#settings;
    this.setRateLimit(rateLimit);
    this.faults.clear();
    faults.forEach((rule, index) => this.faults.add(rule, index));
    this.#latencyMs = latencyMs;
  }

  /** A new limit starts with an empty bucket; `undefined` removes it. */
  setRateLimit(limit: DxRateLimit | undefined): void {
    this.#bucket = limit ? new LeakyBucket(limit, this.#settings.now) : undefined;
  }

  setLatency(ms: number): void {
    this.#latencyMs = checkLatency('latencyMs', ms);
  }

  /** The 429 answer when the rate limit refuses the request; refused requests cost nothing. */
  refusal(record: DxRequestRecord): Answer | undefined {
    const admission = this.#bucket?.take();
    if (!admission || admission.ok) return undefined;
    record.fault = 'rate-limit';
    return fail(
      record,
      429,
      { code: 'rate_limited', message: 'rate limit exceeded; honour Retry-After' },
      { 'retry-after': String(admission.retryAfterSeconds) },
    );
  }

  wait(): Promise<void> {
    return sleep(this.#latencyMs);
  }
}
