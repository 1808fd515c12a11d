/**
 * String building for the encoders: char codes are written into a reused scratch buffer and
 * decoded once, instead of concatenating pieces.
 */

const MAX_SCRATCH = 16384;

/** Bytes and 16-bit words over the same memory, plus the last prefix view decoded from it. */
interface Scratch {
  bytes: Uint8Array;
  words: Uint16Array;
  prefix: Uint8Array;
  /**
   * Each scratch has its own: reached through a constant scratch, V8 embeds it in the caller,
   * which it does not do for a module binding once a bundler has made that a `var`.
   */
  decoder: TextDecoder;
}

/**
 * What {@link scratchSpace} hands out. One is enough: alternating between two measured no
 * faster on Node 20 (hex and base64, 51 and 242 bytes) now that the prefix view is cached.
 */
let shared: Scratch | undefined;

/**
 * Scratch space of at least `byteLength` bytes, seen as bytes and as 16-bit words over the
 * same memory; valid until the next call.
 */
export function scratchSpace(byteLength: number): Scratch {
  const size = byteLength + (byteLength & 1);
  if (byteLength > MAX_SCRATCH) return createScratch(size);
  if (shared === undefined || shared.bytes.length < size) {
    shared = createScratch(Math.max(size, 1024));
  }
  return shared;
}

/** A scratch of `byteLength` bytes (even) for a caller that keeps its own. */
export function createScratch(byteLength: number): Scratch {
  const bytes = new Uint8Array(byteLength);
  return { bytes, words: new Uint16Array(bytes.buffer), prefix: bytes, decoder: new TextDecoder() };
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
  // Payloads of one size come in runs, and a fresh view per call costs an allocation.
  let prefix = scratch.prefix;
  if (prefix.length !== length) {
    prefix = scratch.bytes.subarray(0, length);
    scratch.prefix = prefix;
  }
  return scratch.decoder.decode(prefix);
}
