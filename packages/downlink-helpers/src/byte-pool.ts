/**
 * Allocation and string-building helpers for the hot paths of the converters.
 *
 * V8 keeps typed arrays of up to 64 bytes on the JS heap but gives larger ones their own
 * off-heap backing store, which costs about a microsecond: more than decoding a 242-byte
 * payload. Like Node's Buffer pool, mid-sized results are therefore views into a shared
 * slab.
 */

const SLAB_SIZE = 8192;
/** Above this a result gets its own buffer, so one big result cannot pin a slab. */
const MAX_POOLED = 4096;
/** Larger inputs are copied into a buffer of their own rather than the reused one. */
const MAX_INPUT = 16384;

let slab: ArrayBuffer | undefined;
let slabOffset = 0;
/** Where {@link asciiBytes} copies its input; grown on demand, never shrunk below 1 KiB. */
let input: Uint8Array | undefined;
let encoder: TextEncoder | undefined;

/**
 * A zero-filled `Uint8Array` of `length` bytes. Results of 65..4096 bytes are
 * non-overlapping views into a shared slab that is never reused, as Node's Buffer does.
 */
export function allocateBytes(length: number): Uint8Array {
  if (length <= 64 || length > MAX_POOLED) return new Uint8Array(length);
  // A slab whose buffer a caller transferred is detached (byteLength 0): start a new one.
  if (slab === undefined || slabOffset + length > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_SIZE);
    slabOffset = 0;
  }
  const view = new Uint8Array(slab, slabOffset, length);
  slabOffset += (length + 7) & ~7;
  return view;
}

/**
 * Copies `text` into a reused buffer as bytes when it is pure ASCII (one byte per char) and
 * returns that buffer, or undefined otherwise. Typed-array reads beat `charCodeAt` in loops.
 * Valid until the next call.
 */
export function asciiBytes(text: string): Uint8Array | undefined {
  const length = text.length;
  let space = input;
  // A huge input gets a buffer of its own, so that it is not kept alive afterwards.
  if (length > MAX_INPUT) space = new Uint8Array(length);
  else if (space === undefined || space.length < length)
    space = input = new Uint8Array(Math.max(length, 1024));
  encoder ??= new TextEncoder();
  const { read, written } = encoder.encodeInto(text, space);
  return read === length && written === length ? space : undefined;
}
