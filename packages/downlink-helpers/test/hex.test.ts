import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, toByteArray } from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

const SEPARATORS = ['', ' ', '  ', ':', '-', ' : ', '\t', '\n', ' - '];

function reference(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

describe('hexToBytes', () => {
  it.each([
    ['', []],
    ['   ', []],
    ['00', [0]],
    ['0a0B', [10, 11]],
    ['0x01FF', [1, 255]],
    ['0X01ff', [1, 255]],
    ['  0x01 02  ', [1, 2]],
    ['01 02 03', [1, 2, 3]],
    ['01:02:03', [1, 2, 3]],
    ['01-02-03', [1, 2, 3]],
    ['01 : 02\t-\n03', [1, 2, 3]],
    ['0102 0304', [1, 2, 3, 4]],
  ])('decodes %j', (input, expected) => {
    expect(Array.from(hexToBytes(input))).toEqual(expected);
  });

  it.each([
    ['0', 0, 'odd number of hex digits'],
    ['abc', 2, 'odd number of hex digits'],
    ['0x', 0, 'unexpected "0x"'],
    ['  0x  ', 4, 'unexpected U+0020'],
    ['0x 01', 2, 'unexpected U+0020'],
    ['0x:01', 2, 'unexpected ":"'],
    ['0x0x01', 2, 'unexpected "0x"'],
    ['01 0x02', 3, 'unexpected "0x"'],
    ['01 0X02', 3, 'unexpected "0x"'],
    ['x01', 0, 'invalid hex digit "x"'],
    ['01 0g', 4, 'invalid hex digit "g"'],
    ['g0', 0, 'invalid hex digit "g"'],
    ['0 1', 1, 'unexpected U+0020'],
    ['0\t1', 1, 'unexpected U+0009'],
    ['012:3', 3, 'unexpected ":"'],
    ['01::02', 3, 'unexpected ":"'],
    ['01:-02', 3, 'unexpected "-"'],
    ['01: g', 4, 'invalid hex digit "g"'],
    [':01', 0, 'unexpected ":"'],
    [' -01', 1, 'unexpected "-"'],
    ['01:', 2, 'unexpected ":"'],
    ['01- ', 2, 'unexpected "-"'],
    ['01 - \n', 3, 'unexpected "-"'],
    ['０１', 0, 'invalid hex digit U+FF10'],
    ['01\u00a002', 2, 'invalid hex digit U+00A0'],
    ['01\u200b02', 2, 'invalid hex digit U+200B'],
    ['0\u0661', 1, 'invalid hex digit U+0661'],
    ['01,02', 2, 'invalid hex digit ","'],
    ['01.02', 2, 'invalid hex digit "."'],
    ['\ud83d\ude0001', 0, 'invalid hex digit U+1F600'],
    ['01\ud800', 2, 'invalid hex digit U+D800'],
  ] as const)('rejects %j', (input, position, problem) => {
    const error = expectDownlinkError(() => hexToBytes(input), 'INVALID_HEX', 'hex', position);
    expect(error.message).toBe(`hex: ${problem} at position ${position}`);
  });

  it.each([null, undefined, 42, {}, [], ['01'], new Uint8Array(1), Symbol('x')])(
    'rejects a non-string %s as INVALID_ARGUMENT',
    (input) => {
      expectDownlinkError(() => hexToBytes(input as never), 'INVALID_ARGUMENT', 'hex');
    },
  );

  it('names the field given in options', () => {
    expectDownlinkError(() => hexToBytes('0g', { field: 'payload' }), 'INVALID_HEX', 'payload', 1);
  });

  it('decodes large inputs', () => {
    for (const size of [63, 64, 65, 4096, 4097, 20000]) {
      const bytes = Uint8Array.from({ length: size }, (_, i) => (i * 7 + size) & 255);
      expect(hexToBytes(reference(bytes))).toEqual(bytes);
      expect(hexToBytes(reference(bytes).toLowerCase())).toEqual(bytes);
    }
  });

  it('rejects a non-ASCII character wherever it is, also near 16 KiB', () => {
    for (const [before, after] of [
      [0, 1],
      [99, 0],
      [200, 3],
      [16383, 0],
      [16382, 1],
      [16384, 1],
    ] as const) {
      const input = `${'A'.repeat(before)}é${'A'.repeat(after)}`;
      const error = expectDownlinkError(() => hexToBytes(input), 'INVALID_HEX', 'hex', before);
      expect(error.message).toBe(`hex: invalid hex digit U+00E9 at position ${before}`);
    }
  });

  it('returns results that never share bytes with each other', () => {
    const a = hexToBytes('AA'.repeat(100));
    const b = hexToBytes('BB'.repeat(100));
    a.fill(1);
    expect(b.every((x) => x === 0xbb)).toBe(true);
    expect(a.byteOffset + a.byteLength <= b.byteOffset || a.buffer !== b.buffer).toBe(true);
  });

  it('keeps working after a caller transfers the buffer of a result', () => {
    const a = hexToBytes('AA'.repeat(100));
    structuredClone(a.buffer, { transfer: [a.buffer] });
    expect(hexToBytes('BB'.repeat(100))).toEqual(new Uint8Array(100).fill(0xbb));
  });

  it('property: round trips bytes written with any case, separator and prefix', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 300 }),
        fc.constantFrom(...SEPARATORS),
        fc.boolean(),
        fc.boolean(),
        (bytes, separator, lower, prefix) => {
          const pairs = Array.from(bytes, (b) => b.toString(16).padStart(2, '0'));
          let text = pairs.join(separator);
          text = lower ? text.toLowerCase() : text.toUpperCase();
          if (prefix && bytes.length > 0) text = `0x${text}`;
          expect(hexToBytes(text)).toEqual(bytes);
        },
      ),
    );
  });

  it('property: any string gives the same bytes as a reference parser, or a DownlinkError', () => {
    const hexish = fc.string({
      unit: fc.constantFrom(...'0123456789abcdefABCDEF :-x\u00a0０g'.split('')),
      maxLength: 40,
    });
    fc.assert(
      fc.property(fc.oneof(hexish, fc.string(), fc.string({ unit: 'binary' })), (text) => {
        const bytes = valueOrDownlinkError(() => hexToBytes(text));
        if (bytes !== undefined) expect(bytesToHex(bytes)).toBe(digitsOf(text));
        const plain = /^[0-9a-fA-F]*$/.test(text) && text.length % 2 === 0;
        if (plain) expect(reference(hexToBytes(text))).toBe(text.toUpperCase());
      }),
    );
  });

  it('property: anything at all gives the bytes of its digits, or a DownlinkError', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const bytes = valueOrDownlinkError(() => hexToBytes(value as string));
        if (bytes === undefined) return;
        expect(typeof value).toBe('string');
        expect(bytesToHex(bytes)).toBe(digitsOf(value as string));
      }),
    );
  });
});

const digitsOf = (text: string) =>
  text
    .replace(/^[\t-\r ]*0x/i, '')
    .replace(/[\t-\r :-]/g, '')
    .toUpperCase();

describe('bytesToHex', () => {
  it('emits upper case without separators', () => {
    expect(bytesToHex([1, 10, 255])).toBe('010AFF');
    expect(bytesToHex(new Uint8Array())).toBe('');
    expect(bytesToHex(Buffer.from([0xab]))).toBe('AB');
  });

  it('property: matches Buffer and round trips through hexToBytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const hex = bytesToHex(bytes);
        expect(hex).toBe(reference(bytes));
        expect(hexToBytes(hex)).toEqual(bytes);
        expect(bytesToHex(Array.from(bytes))).toBe(hex);
      }),
    );
  });

  it('keeps earlier results intact across many calls', () => {
    const results = [1, 2, 3, 4].map((n) => bytesToHex(new Uint8Array(50).fill(n)));
    results.forEach((hex, i) => expect(hex).toBe(`0${i + 1}`.repeat(50)));
    const big = new Uint8Array(10000).fill(0xcd);
    expect(bytesToHex(big)).toBe('CD'.repeat(10000));
  });

  it.each([
    [[256], 'VALUE_OUT_OF_RANGE', 'bytes[0]', 0],
    [[0, -1], 'VALUE_OUT_OF_RANGE', 'bytes[1]', 1],
    [[1.5], 'VALUE_OUT_OF_RANGE', 'bytes[0]', 0],
    [[Number.NaN], 'VALUE_OUT_OF_RANGE', 'bytes[0]', 0],
    [[Number.POSITIVE_INFINITY], 'VALUE_OUT_OF_RANGE', 'bytes[0]', 0],
    [[1, '2'], 'INVALID_ARGUMENT', 'bytes[1]', 1],
    [[null], 'INVALID_ARGUMENT', 'bytes[0]', 0],
    [[1, , 3], 'INVALID_ARGUMENT', 'bytes[1]', 1],
    ['0102', 'INVALID_ARGUMENT', 'bytes', undefined],
    [null, 'INVALID_ARGUMENT', 'bytes', undefined],
    [undefined, 'INVALID_ARGUMENT', 'bytes', undefined],
    [{ length: 1, 0: 1 }, 'INVALID_ARGUMENT', 'bytes', undefined],
    [new Uint16Array([1]), 'INVALID_ARGUMENT', 'bytes', undefined],
    [new Int8Array([-1]), 'INVALID_ARGUMENT', 'bytes', undefined],
  ] as const)('rejects %j', (input, code, field, position) => {
    expectDownlinkError(() => bytesToHex(input as never), code, field, position);
  });

  it('accepts a Uint8Array from another realm', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('new Uint8Array([1, 2])') as Uint8Array;
    expect(foreign instanceof Uint8Array).toBe(false);
    expect(bytesToHex(foreign)).toBe('0102');
    expect(toByteArray(foreign)).toBe(foreign);
  });

  it('property: anything gives the hex of its bytes, or a DownlinkError', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const hex = valueOrDownlinkError(() => bytesToHex(value as never));
        if (hex === undefined) return;
        expect(hex).toMatch(/^(?:[0-9A-F]{2})*$/);
        expect(Array.from(hexToBytes(hex))).toEqual(Array.from(value as ArrayLike<number>));
      }),
    );
  });
});
