/**
 * Allocation and string-reading helpers for the hot paths of the converters.
 *
 * V8 keeps typed arrays of up to 64 bytes on the JS heap but gives larger ones their own
 * off-heap backing store, which costs about a microsecond: more than decoding a 242-byte
 * payload. Like Node's Buffer pool, mid-sized results are therefore views into a shared
 * slab.
 */

let slab: ArrayBuffer | undefined;
let slabOffset = 0;
/** Where {@link asciiBytes} copies inputs of up to 16 KiB. */
let input: Uint8Array | undefined;
let encoder: TextEncoder | undefined;

/**
 * A zero-filled `Uint8Array` of `length` bytes. Results of 65..4096 bytes are
 * non-overlapping views into a shared 8 KiB slab that is never reused, as Node's Buffer
 * does; larger ones get their own buffer, so that one big result cannot pin a slab.
 */
export function allocateBytes(length: number): Uint8Array {
  if (length <= 64 || length > 4096) return new Uint8Array(length);
  // A slab whose buffer a caller transferred is detached (byteLength 0): start a new one.
  if (slab === undefined || slabOffset + length > slab.byteLength) {
    slab = new ArrayBuffer(8192);
    slabOffset = 0;
  }
  slabOffset += length;
  return new Uint8Array(slab, slabOffset - length, length);
}

/**
 * Copies `text` as UTF-8 into a reused buffer and returns it, or undefined when it does not
 * fit (then it is not ASCII). Typed-array reads beat `charCodeAt` in loops. Valid until the
 * next call.
 *
 * For ASCII text the first `text.length` bytes are its char codes. Otherwise the first
 * non-ASCII char leaves a byte of 0x80 or more at its own index, which the decoders' tables
 * reject, so no separate ASCII check is needed.
 */
export function asciiBytes(text: string): Uint8Array | undefined {
  const length = text.length;
  // A huge input gets a buffer of its own, so that it is not kept alive afterwards.
  const space = length > 16384 ? new Uint8Array(length) : (input ??= new Uint8Array(16384));
  encoder ??= new TextEncoder();
  return encoder.encodeInto(text, space).read === length ? space : undefined;
}
