import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The dual package hazard: an app can load the ESM and the CJS build of a package side by side
 * (for example through two dependencies). Errors thrown by one copy must still match the
 * classes imported from the other, so `instanceof` checks keep working for every consumer.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);

async function load(
  name: string,
): Promise<{ esm: Record<string, unknown>; cjs: Record<string, unknown> }> {
  const dist = resolve(ROOT, 'packages', name, 'dist');
  const esm = (await import(pathToFileURL(resolve(dist, 'index.js')).href)) as Record<
    string,
    unknown
  >;
  const cjs = require(resolve(dist, 'index.cjs')) as Record<string, unknown>;
  return { esm, cjs };
}

type Ctor = new (...args: never[]) => Error;

describe('instanceof across the ESM and CJS builds', () => {
  it('@dx/core-client errors', async () => {
    const { esm, cjs } = await load('core-client');
    expect(esm.ApiError).not.toBe(cjs.ApiError);
    const info = { method: 'POST', url: 'https://example.invalid/x' };
    const fromCjs = new (cjs.ApiError as new (...args: unknown[]) => Error)(info, {
      status: 404,
      statusText: 'Not Found',
      body: null,
    });
    const fromEsm = new (esm.TimeoutError as new (...args: unknown[]) => Error)(info, 100);
    expect(fromCjs).toBeInstanceOf(esm.ApiError as Ctor);
    expect(fromCjs).toBeInstanceOf(esm.DxError as Ctor);
    expect(fromEsm).toBeInstanceOf(cjs.TimeoutError as Ctor);
    expect(fromEsm).toBeInstanceOf(cjs.DxError as Ctor);
    expect(fromEsm).not.toBeInstanceOf(cjs.ApiError as Ctor);
    expect(fromCjs).not.toBeInstanceOf(esm.TimeoutError as Ctor);
    expect(new Error('plain')).not.toBeInstanceOf(esm.DxError as Ctor);
  });

  it('@dx/downlink-helpers DownlinkError', async () => {
    const { esm, cjs } = await load('downlink-helpers');
    expect(esm.DownlinkError).not.toBe(cjs.DownlinkError);
    const thrown = (() => {
      try {
        (cjs.hexToBytes as (hex: string) => Uint8Array)('0g');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(thrown).toBeInstanceOf(esm.DownlinkError as Ctor);
    expect(thrown).toBeInstanceOf(Error);
    expect(new Error('plain')).not.toBeInstanceOf(cjs.DownlinkError as Ctor);
  });
});
