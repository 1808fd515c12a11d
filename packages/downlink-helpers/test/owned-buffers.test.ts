import { describe, expect, it } from 'vitest';
import * as source from '../src/index.js';

type Helpers = typeof source;

/**
 * Issue 12, item 9: every Uint8Array a helper returns owns its whole buffer, so transferring
 * one result (postMessage, structuredClone with transfer) cannot empty another, and
 * `new Blob([bytes.buffer])` holds exactly the payload. Checked on the sources and on the
 * built package as consumers import it (`pnpm test` builds first).
 */
async function loadBuilt(): Promise<Helpers> {
  try {
    return (await import('@dx/downlink-helpers')) as unknown as Helpers;
  } catch (error) {
    throw new Error('the built package is missing: run `pnpm build` first', { cause: error });
  }
}

/** Payload sizes around the old pool's bounds (65..4096 bytes were views into one slab). */
const SIZES = [1, 51, 64, 65, 100, 242, 4096, 4097];

function bytesOf(size: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: size }, (_, i) => (i * 31 + seed) & 255);
}

/** Every public function that returns bytes, fed `bytes` in the form it takes. */
function producers(h: Helpers): [string, (bytes: Uint8Array) => Uint8Array][] {
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  const base64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
  return [
    ['hexToBytes', (b) => h.hexToBytes(hex(b))],
    ['hexToBytes (loose)', (b) => h.hexToBytes(`0x${hex(b).replace(/../g, '$& ')}`)],
    ['base64ToBytes', (b) => h.base64ToBytes(base64(b))],
    ['base64ToBytes (wrapped)', (b) => h.base64ToBytes(base64(b).replace(/.{76}/g, '$&\n'))],
    ['toByteArray', (b) => h.toByteArray(Array.from(b))],
    ['payloadToBytes { hex }', (b) => h.payloadToBytes({ hex: hex(b) })],
    ['payloadToBytes { base64 }', (b) => h.payloadToBytes({ base64: base64(b) })],
    ['encodeLayout', (b) => h.encodeLayout([{ type: 'bytes', value: b }])],
  ];
}

describe.each([
  ['sources', async () => source],
  ['built package', loadBuilt],
])('returned bytes own their buffer (%s)', (_name, load) => {
  it('byteOffset 0 and a buffer exactly as long as the result', async () => {
    const h = await load();
    for (const [name, produce] of producers(h)) {
      for (const size of SIZES) {
        const result = produce(bytesOf(size, size));
        expect(result, `${name} ${size}`).toEqual(bytesOf(size, size));
        expect(result.byteOffset, `${name} ${size}`).toBe(0);
        expect(result.buffer.byteLength, `${name} ${size}`).toBe(size);
        expect(new Blob([result.buffer as ArrayBuffer]).size, `${name} ${size}`).toBe(
          result.length,
        );
      }
    }
  });

  it('transferring one result leaves the others whole', async () => {
    const h = await load();
    for (const [name, produce] of producers(h)) {
      const first = produce(bytesOf(100, 1));
      const second = produce(bytesOf(100, 2));
      const moved = structuredClone(first, { transfer: [first.buffer] });
      expect(moved, name).toEqual(bytesOf(100, 1));
      expect(first.length, name).toBe(0);
      expect(second, name).toEqual(bytesOf(100, 2));
    }
  });

  it('textToBytes and encodeCayenneLpp results own their buffer too', async () => {
    const h = await load();
    const results = [
      h.textToBytes('x'.repeat(100)),
      h.encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]),
    ];
    for (const result of results) {
      expect(result.byteOffset).toBe(0);
      expect(result.buffer.byteLength).toBe(result.length);
    }
  });
});
