/**
 * The abort signal of one attempt. In Node a real `AbortController` costs about 2 % of a
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

// No `reason`: undici then aborts the request with the standard AbortError.
class PlainSignal {
  aborted = false;
  #follower: Listener | undefined;

  get signal(): AbortSignal {
    return this as unknown as AbortSignal;
  }

  // One follower: the request this signal was made for.
  addEventListener(_type: string, listener: Listener): void {
    this.#follower = listener;
  }

  removeEventListener(): void {
    this.#follower = undefined;
  }

  // undici raises the listener limit of each signal it follows, through Node's `events`
  // helpers: these two make that one no-op call instead of an error thrown and caught on every
  // request.
  getMaxListeners(): number {
    return 0;
  }

  setMaxListeners(): void {}

  abort(): void {
    const follower = this.#follower;
    this.aborted = true;
    this.#follower = undefined;
    follower?.call(this);
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
