/**
 * The scheduler's sleep: ends on the next {@link LoopSleep.wake}, after a time, or on abort,
 * whichever comes first. A wake while nobody sleeps is kept for the next sleep.
 */
export class LoopSleep {
  private wakeUp: (() => void) | undefined;
  private woken = false;

  constructor(private readonly signal: AbortSignal | undefined) {}

  /** Resolves on the next completion, after `ms`, or on abort, whichever comes first. */
  wait(ms?: number): Promise<void> {
    // Something changed since the loop last looked: look again before sleeping.
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const signal = this.signal;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        if (this.wakeUp === done) this.wakeUp = undefined;
        resolve();
      };
      // A timer holds at most 2^31-1 ms and fires at once beyond it (a 30-day Retry-After
      // would spin the loop): a shorter wait only makes the loop look again.
      const timer = ms === undefined ? undefined : setTimeout(done, Math.min(ms, 2 ** 31 - 1));
      this.wakeUp = done;
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  wake(): void {
    if (this.wakeUp) this.wakeUp();
    else this.woken = true;
  }
}
