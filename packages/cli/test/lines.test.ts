import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeUtf8,
  MAX_LINE_BYTES,
  NotUtf8,
  readLines,
  TOO_LONG,
  type Line,
} from '../src/bulk/lines.js';

async function linesOf(chunks: Buffer[]): Promise<Line[]> {
  const out: Line[] = [];
  for await (const line of readLines(Readable.from(chunks))) out.push(line);
  return out;
}

/** The bytes cut at the given offsets, so that breaks fall inside CRLF pairs and characters. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
  const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    chunks.push(bytes.subarray(start, point));
    start = point;
  }
  return chunks;
}

describe('readLines', () => {
  it('gives back the lines whatever the chunking, with LF or CRLF ends and any UTF-8', async () => {
    const line = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(line, fc.constantFrom('\n', '\r\n')), { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 30 }),
        async (lines, offsets) => {
          const text = lines.map(([l, end]) => l + end).join('');
          expect(await linesOf(cut(Buffer.from(text), offsets))).toEqual(lines.map(([l]) => l));
        },
      ),
    );
  });

  it('a last line without a line break is still a line', async () => {
    expect(await linesOf([Buffer.from('a\nb')])).toEqual(['a', 'b']);
    expect(await linesOf([Buffer.from('a\r\n\r\nb\r\n')])).toEqual(['a', '', 'b']);
  });

  it('a line of exactly the limit is read; one byte more is TOO_LONG, and the next line is intact', async () => {
    const exact = 'x'.repeat(MAX_LINE_BYTES);
    const over = 'y'.repeat(MAX_LINE_BYTES + 1);
    const chunks = cut(Buffer.from(`${exact}\n${over}\nafter\n${over}`), [1000, 70_000, 131_073]);
    expect(await linesOf(chunks)).toEqual([exact, TOO_LONG, 'after', TOO_LONG]);
  });

  it('a 64 MiB line in 64 KiB chunks is TOO_LONG without being kept', async () => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    async function* huge() {
      for (let i = 0; i < 1024; i++) yield chunk;
      yield Buffer.from('\n{}\n');
    }
    const out: Line[] = [];
    for await (const line of readLines(Readable.from(huge()))) out.push(line);
    expect(out).toEqual([TOO_LONG, '{}']);
  });
});

describe('decodeUtf8', () => {
  it('is the text when the bytes are UTF-8, a U+FFFD of the file included', () => {
    expect(decodeUtf8(Buffer.from('25\u00b0C \ufffd'))).toBe('25\u00b0C \ufffd');
  });

  it('names the first byte that is not UTF-8 and its position, whatever follows', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        fc.constantFrom(0x80, 0xb0, 0xc3, 0xe2, 0xff),
        fc.string({ unit: 'grapheme', maxLength: 20 }),
        (before, byte, after) => {
          const head = Buffer.from(before);
          // 0xC3 or 0xE2 followed by ASCII is a sequence cut short: invalid too.
          const bytes = Buffer.concat([head, Buffer.from([byte]), Buffer.from(`!${after}`)]);
          const result = decodeUtf8(bytes);
          expect(result).toBeInstanceOf(NotUtf8);
          expect(result).toMatchObject({ byte, position: head.length + 1 });
        },
      ),
    );
  });
});
