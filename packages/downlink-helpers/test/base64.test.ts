import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, bytesToBase64, bytesToHex } from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

function toUrlSafe(base64: string): string {
  return base64.replace(/\+/g, '-').replace(/\//g, '_');
}

describe('base64ToBytes', () => {
  it.each([
    ['', []],
    [' \n', []],
    ['AQr/', [1, 10, 255]],
    ['AQr_', [1, 10, 255]],
    ['AQ==', [1]],
    ['AQ', [1]],
    ['AQI=', [1, 2]],
    ['AQI', [1, 2]],
    ['AQID', [1, 2, 3]],
    ['AQ\r\nID', [1, 2, 3]],
    ['  AQID  ', [1, 2, 3]],
    ['+/+/', [0xfb, 0xff, 0xbf]],
    ['-_-_', [0xfb, 0xff, 0xbf]],
  ])('decodes %j', (input, expected) => {
    expect(Array.from(base64ToBytes(input))).toEqual(expected);
  });

  it.each([
    ['A', 0, 'truncated input'],
    ['AQIDB', 4, 'truncated input'],
    ['AQIDB==', 4, 'truncated input'],
    ['AQ=', 2, 'wrong padding'],
    ['AQI==', 3, 'wrong padding'],
    ['AQID=', 4, 'wrong padding'],
    ['AQ = = =', 3, 'wrong padding'],
    ['=', 0, 'wrong padding'],
    ['AQ==AQ==', 4, 'unexpected "A"'],
    ['AQ=I', 3, 'unexpected "I"'],
    ['AB==', 1, 'non-zero unused bits'],
    ['AQJ=', 2, 'non-zero unused bits'],
    ['AQJ \n', 2, 'non-zero unused bits'],
    ['AQ+_', 3, 'unexpected "_"'],
    ['a-b/', 3, 'unexpected "/"'],
    ['AQ.D', 2, 'invalid base64 character "."'],
    ['AQ\u00a0ID', 2, 'invalid base64 character U+00A0'],
    ['ＡQID', 0, 'invalid base64 character U+FF21'],
    ['AQ%3D', 2, 'invalid base64 character "%"'],
  ] as const)('rejects %j', (input, position, problem) => {
    const error = expectDownlinkError(
      () => base64ToBytes(input),
      'INVALID_BASE64',
      'base64',
      position,
    );
    expect(error.message).toBe(`base64: ${problem} at position ${position}`);
  });

  it.each([null, undefined, 1, {}, [], new Uint8Array()])('rejects non-string %s', (input) => {
    expectDownlinkError(() => base64ToBytes(input as never), 'INVALID_ARGUMENT', 'base64');
  });

  it('property: round trips through Buffer in both alphabets, padded or not', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.boolean(),
        fc.boolean(),
        (bytes, urlSafe, padded) => {
          let text = Buffer.from(bytes).toString('base64');
          if (urlSafe) text = toUrlSafe(text);
          if (!padded) text = text.replace(/=+$/, '');
          expect(base64ToBytes(text)).toEqual(bytes);
        },
      ),
    );
  });

  it('property: any string gives what Buffer decodes, or a DownlinkError', () => {
    const base64ish = fc.string({
      unit: fc.constantFrom(...'ABCDabcd0189+/-_= \n.'.split('')),
      maxLength: 30,
    });
    fc.assert(
      fc.property(fc.oneof(base64ish, fc.string()), (text) => {
        const bytes = valueOrDownlinkError(() => base64ToBytes(text));
        // Whatever is accepted must mean what the lenient reference decoder reads.
        if (bytes !== undefined) {
          expect(bytes).toEqual(new Uint8Array(Buffer.from(text, 'base64')));
        }
      }),
    );
  });

  it('rejects a non-ASCII character wherever it is, also at the reused buffer limit', () => {
    for (const before of [0, 3, 4, 101, 16380, 16383, 16384]) {
      const input = `${'A'.repeat(before)}é${'A'.repeat(3 - (before % 4))}`;
      const error = expectDownlinkError(
        () => base64ToBytes(input),
        'INVALID_BASE64',
        'base64',
        before,
      );
      expect(error.message).toContain('U+00E9');
    }
  });

  it('decodes large inputs', () => {
    const bytes = Uint8Array.from({ length: 30000 }, (_, i) => (i * 13) & 255);
    expect(base64ToBytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
  });
});

describe('bytesToBase64', () => {
  it('emits standard padded base64', () => {
    expect(bytesToBase64([1, 10, 255])).toBe('AQr/');
    expect(bytesToBase64([1])).toBe('AQ==');
    expect(bytesToBase64([1, 2])).toBe('AQI=');
    expect(bytesToBase64([])).toBe('');
  });

  it('property: matches Buffer and round trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        const text = bytesToBase64(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64ToBytes(text)).toEqual(bytes);
      }),
    );
    const big = Uint8Array.from({ length: 20000 }, (_, i) => i & 255);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  it('matches Buffer at every short length and around the 3072-byte piece size', () => {
    const lengths = [
      ...Array.from({ length: 21 }, (_, n) => n),
      3071,
      3072,
      3073,
      3074,
      6144,
      6145,
    ];
    for (const length of lengths) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 151 + length) & 255);
      expect(bytesToBase64(bytes), `length ${length}`).toBe(Buffer.from(bytes).toString('base64'));
    }
  });

  it('property: reads views at any offset of a larger buffer, including odd ones', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.nat(7),
        fc.nat(7),
        (inner, before, after) => {
          const whole = new Uint8Array(before + inner.length + after).fill(0xff);
          whole.set(inner, before);
          const view = whole.subarray(before, before + inner.length);
          expect(bytesToBase64(view)).toBe(Buffer.from(inner).toString('base64'));
        },
      ),
    );
  });

  it('keeps results apart when calls of different lengths and bytesToHex interleave', () => {
    const a = Uint8Array.from({ length: 10 }, (_, i) => i * 7);
    const b = Uint8Array.from({ length: 31 }, (_, i) => 255 - i);
    const results = [a, b, a, b].flatMap((bytes) => [bytesToBase64(bytes), bytesToHex(bytes)]);
    expect(results).toEqual(
      [a, b, a, b].flatMap((bytes) => {
        const buffer = Buffer.from(bytes);
        return [buffer.toString('base64'), buffer.toString('hex').toUpperCase()];
      }),
    );
  });

  it.each([
    [[300], 'VALUE_OUT_OF_RANGE', 'bytes[0]'],
    [['a'], 'INVALID_ARGUMENT', 'bytes[0]'],
    ['AQ==', 'INVALID_ARGUMENT', 'bytes'],
    [null, 'INVALID_ARGUMENT', 'bytes'],
  ] as const)('rejects %j', (input, code, field) => {
    expectDownlinkError(() => bytesToBase64(input as never), code, field);
  });
});
