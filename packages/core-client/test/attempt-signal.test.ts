import { afterEach, describe, expect, it, vi } from 'vitest';
import { attemptAbort } from '../src/runtime/attempt-signal.js';
import { createDxClient, TimeoutError } from '../src/index.js';
import { useTestServers } from '../../../scripts/test-support/http-server.js';

const serve = useTestServers();
const MESSAGE = { payloadHex: '03670110', targetPorts: '2' };

describe('attemptAbort', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it("gives Node's global fetch a plain signal and an injected fetch a real AbortController", () => {
    const plain = attemptAbort(undefined);
    expect(plain).not.toBeInstanceOf(AbortController);
    expect(plain.signal).not.toBeInstanceOf(AbortSignal);
    expect(attemptAbort(globalThis.fetch)).toBeInstanceOf(AbortController);
  });

  it('aborts the follower once, as the signal', () => {
    const handle = attemptAbort(undefined);
    const { signal } = handle;
    const seen: unknown[] = [];
    signal.addEventListener('abort', function (this: unknown) {
      seen.push(this);
    });
    expect(signal.aborted).toBe(false);
    handle.abort();
    handle.abort();
    expect(seen).toEqual([signal]);
    expect(signal.aborted).toBe(true);
  });

  it('calls no follower that was removed', () => {
    const handle = attemptAbort(undefined);
    const listener = vi.fn();
    handle.signal.addEventListener('abort', listener);
    handle.signal.removeEventListener('abort', listener);
    handle.abort();
    expect(listener).not.toHaveBeenCalled();
  });

  it('falls back to a real AbortController where Request refuses a plain signal', async () => {
    // A browser's Request throws a TypeError for a signal that is not an AbortSignal.
    vi.stubGlobal(
      'Request',
      class {
        constructor(_url: string, init: { signal?: unknown }) {
          if (!(init.signal instanceof AbortSignal)) throw new TypeError('not an AbortSignal');
        }
      },
    );
    vi.resetModules();
    const fresh = await import('../src/runtime/attempt-signal.js');
    expect(fresh.attemptAbort(undefined)).toBeInstanceOf(AbortController);
  });
});

describe('aborting with the plain signal ends the exchange for real', () => {
  it.each([
    ['the global fetch (plain signal)', undefined],
    [
      'an injected fetch (AbortController)',
      (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init),
    ],
  ])('a timeout with %s closes the connection the server holds', async (_name, fetchImpl) => {
    let closed!: () => void;
    const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
    const dx = await serve((req) => {
      req.socket.on('close', () => closed());
    });
    const client = createDxClient({
      baseUrl: dx.url,
      auth: { token: 'tok' },
      timeoutMs: 200,
      ...(fetchImpl ? { fetch: fetchImpl as typeof fetch } : {}),
    });
    const error = await client.downlink
      .sendDownlinkMessage({ device: 'd1', requestBody: MESSAGE })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    await connectionClosed;
    expect(dx.requests).toHaveLength(1);
  });
});
