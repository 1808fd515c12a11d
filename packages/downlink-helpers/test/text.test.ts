import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { textToBytes } from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

describe('textToBytes', () => {
  it('encodes UTF-8', () => {
    expect(Array.from(textToBytes('OK'))).toEqual([0x4f, 0x4b]);
    expect(Array.from(textToBytes('°C'))).toEqual([0xc2, 0xb0, 0x43]);
    expect(Array.from(textToBytes('😀'))).toEqual([0xf0, 0x9f, 0x98, 0x80]);
    expect(textToBytes('')).toEqual(new Uint8Array());
  });

  it.each([
    ['\ud800', 0],
    ['ab\udc00', 2],
    ['x\ud83d', 1],
    ['\ude00\ud83d', 0],
    ['😀\ud83d', 2],
  ])('rejects the lone surrogate in %j', (input, position) => {
    const error = expectDownlinkError(() => textToBytes(input), 'INVALID_TEXT', 'text', position);
    const code = input.charCodeAt(position).toString(16).toUpperCase();
    expect(error.message).toBe(`text: lone surrogate U+${code} at position ${position}`);
  });

  it.each([null, undefined, 1, {}, ['a']])('rejects non-string %s', (input) => {
    expectDownlinkError(() => textToBytes(input as never), 'INVALID_ARGUMENT', 'text');
  });

  it('property: round trips well-formed strings through TextDecoder', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(new TextDecoder('utf-8', { fatal: true }).decode(textToBytes(text))).toBe(text);
      }),
    );
  });

  it('property: any UTF-16 string is encoded exactly when well formed', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const bytes = valueOrDownlinkError(() => textToBytes(text));
        const wellFormed = !/\p{Surrogate}/u.test(
          text.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''),
        );
        if (wellFormed) expect(Buffer.from(bytes as Uint8Array).toString('utf8')).toBe(text);
        else expect(() => textToBytes(text)).toThrow(/lone surrogate/);
      }),
    );
  });
});
