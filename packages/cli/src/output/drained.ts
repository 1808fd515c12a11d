import type { Writable } from 'node:stream';

/**
 * Resolves once the stream takes more output: at once when its buffer is below the high-water
 * mark, else on 'drain', or when it closes or fails (a reader gone away must not hang the
 * run; the caller learns of it from the stream's own 'error').
 *
 * Awaited after each line of output, it makes a slow reader slow down the producer: without
 * it, `write` keeps buffering whatever the reader has not taken yet, and a dry run of 1 M lines
 * into `| slow-consumer` held hundreds of MB. Files and terminals (written synchronously) never
 * need draining, so they cost one check per line.
 */
export function drained(stream: NodeJS.WritableStream): Promise<void> {
  const writable = stream as Partial<Writable> & NodeJS.WritableStream;
  if (writable.writableNeedDrain !== true || writable.destroyed === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      stream.removeListener('drain', done);
      stream.removeListener('close', done);
      stream.removeListener('error', done);
      resolve();
    };
    stream.once('drain', done);
    stream.once('close', done);
    stream.once('error', done);
  });
}
