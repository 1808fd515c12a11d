/**
 * Allocation and string-building helpers for the hot paths of the converters.
 *
 * V8 keeps typed arrays of up to 64 bytes on the JS heap but gives larger ones their own
 * off-heap backing store, which costs about a microsecond: more than decoding a 242-byte
 * payload. Like Node's Buffer pool, mid-sized results are therefore views into a shared
 * slab. Strings are built by writing char codes into a reusable scratch buffer and decoding
 * it once, instead of concatenating pieces.
 */

const SLAB_SIZE = 8192;
/** Above this a result gets its own buffer, so one big result cannot pin a slab. */
const MAX_POOLED = 4096;
const MAX_SCRATCH = 16384;

let slab: ArrayBuffer | undefined;
let slabOffset = 0;
/** Bytes and 16-bit words over the same memory, plus the last prefix view decoded from it. */
interface Scratch {
  bytes: Uint8Array;
  words: Uint16Array;
  prefix?: Uint8Array;
}

/**
 * Two scratch buffers used in turn: decoding the buffer written by the previous call
 * measured about 1.5x faster in V8 than rewriting and decoding the same one each time.
 */
const scratches: (Scratch | undefined)[] = [undefined, undefined];
let turn = 0;
let decoder: TextDecoder | undefined;
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
 * Scratch space of at least `byteLength` bytes, seen as bytes and as 16-bit words over the
 * same memory; valid until the next call but one.
 */
export function scratchSpace(byteLength: number): Scratch {
  const size = byteLength + (byteLength & 1);
  if (byteLength > MAX_SCRATCH) {
    const bytes = new Uint8Array(size);
    return { bytes, words: new Uint16Array(bytes.buffer) };
  }
  turn ^= 1;
  let scratch = scratches[turn];
  if (scratch === undefined || scratch.bytes.length < size) {
    const bytes = new Uint8Array(Math.max(size, 1024));
    scratch = { bytes, words: new Uint16Array(bytes.buffer) };
    scratches[turn] = scratch;
  }
  return scratch;
}

/**
 * A table of two ASCII chars per entry, laid out through a byte view so that writing an
 * entry into a word of scratch space puts `first` before `second` on any endianness.
 */
export function charPairTable(
  size: number,
  first: (i: number) => number,
  second: (i: number) => number,
): Uint16Array {
  const words = new Uint16Array(size);
  const bytes = new Uint8Array(words.buffer);
  for (let i = 0; i < size; i++) {
    bytes[i * 2] = first(i);
    bytes[i * 2 + 1] = second(i);
  }
  return words;
}

/** Decodes the first `length` bytes of a scratch, which must all be ASCII, to a string. */
export function asciiToString(scratch: Scratch, length: number): string {
  decoder ??= new TextDecoder();
  // Payloads of one size come in runs, and a fresh view per call costs an allocation.
  let prefix = scratch.prefix;
  if (prefix === undefined || prefix.length !== length) {
    prefix = scratch.bytes.subarray(0, length);
    scratch.prefix = prefix;
  }
  return decoder.decode(prefix);
}

/**
 * Copies `text` into scratch space as bytes when it is pure ASCII (one byte per char) and
 * returns those bytes, or undefined otherwise. Typed-array reads beat `charCodeAt` in loops.
 */
export function asciiBytes(text: string): Uint8Array | undefined {
  const space = scratchSpace(text.length).bytes;
  encoder ??= new TextEncoder();
  const { read, written } = encoder.encodeInto(text, space);
  return read === text.length && written === text.length ? space : undefined;
}
