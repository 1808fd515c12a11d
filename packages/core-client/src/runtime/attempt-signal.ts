/**
 * The abort signal of one attempt. In Node a real `AbortController` costs about 3 % of a
 * loopback request: its `EventTarget` machinery, and the listener and the limit Node's fetch
 * (undici) puts on every signal it follows. undici accepts any object shaped like an
 * `AbortSignal` (it supports third-party controllers), so where it is the fetch in use the
 * attempt hands it this plain object instead; aborting it still aborts the request and
 * closes its connection. Browsers insist on a real `AbortSignal`; they, and any injected
 * fetch, get a real `AbortController`.
 */

/** What an attempt keeps to end its exchange: `abort()`, and the signal handed to fetch. */
export interface AttemptAbort {
  readonly signal: AbortSignal;
  abort(): void;
}

type Listener = (this: unknown) => void;

class PlainSignal {
  aborted = false;
  reason: unknown = undefined;
  private listener: Listener | undefined = undefined;

  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }

  // One follower: the request this signal was made for.
  addEventListener(_type: string, listener: Listener): void {
    this.listener = listener;
  }

  removeEventListener(): void {
    this.listener = undefined;
  }

  // undici raises the listener limit of each signal it follows, through Node's `events`
  // helpers: these two make that one no-op call instead of an error thrown and caught on every
  // request.
  getMaxListeners(): number {
    return 0;
  }

  setMaxListeners(): void {}

  throwIfAborted(): void {
    if (this.aborted) throw this.reason;
  }

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = new DOMException('This operation was aborted', 'AbortError');
    const listener = this.listener;
    this.listener = undefined;
    listener?.call(this);
  }
}

/** Whether the global fetch follows a plain signal; asked once, on the first attempt. */
let plainSignals: boolean | undefined;

function globalFetchTakesPlainSignal(): boolean {
  try {
    // A Request built with it is the fetch's own check; browsers throw a TypeError here.
    const probe = new PlainSignal();
    const request = new Request('http://127.0.0.1/', { signal: probe.signal });
    probe.abort();
    return request.signal.aborted;
  } catch {
    return false;
  }
}

/** A fresh abort handle for one attempt made with `fetchImpl` (undefined: the global fetch). */
export function attemptAbort(fetchImpl: typeof fetch | undefined): AttemptAbort {
  if (fetchImpl === undefined && (plainSignals ??= globalFetchTakesPlainSignal())) {
    return new PlainSignal();
  }
  return new AbortController();
}
