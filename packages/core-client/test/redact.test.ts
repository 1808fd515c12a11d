import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Redactor } from '../src/redact.js';

/** Secrets of at least 8 characters, drawn from the characters encodings treat specially. */
const secret = fc
  .array(
    fc.oneof(
      fc.constantFrom(...Array.from('!+/=@ "\\%&?#:;\'()*~é€🙂\u2028\t')),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
    ),
    { minLength: 8, maxLength: 32 },
  )
  .map((chars) => chars.join(''));

const scrubbed = (s: string, text: string): string => {
  const redactor = new Redactor();
  redactor.add(s);
  return redactor.scrub(text);
};

describe('Redactor', () => {
  it('scrubs a secret raw, URL-encoded, form-encoded and JSON-escaped, inside any text', () => {
    fc.assert(
      fc.property(secret, fc.string(), fc.string(), (s, before, after) => {
        const forms = [
          s,
          encodeURIComponent(s),
          new URLSearchParams({ s }).toString().slice(2),
          JSON.stringify(s).slice(1, -1),
          // JSON with `/` escaped too, as PHP's json_encode writes it.
          JSON.stringify(s).slice(1, -1).replace(/\//g, '\\/'),
        ];
        for (const form of forms) {
          const result = scrubbed(s, `${before}${form}${after}`);
          expect(result).toContain('[redacted]');
          expect(result).not.toContain(form);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('scrubs percent and \\u escapes in either hex case, and a secret in another letter case', () => {
    fc.assert(
      fc.property(secret, (s) => {
        const lowerHex = (t: string) => t.replace(/%[\dA-F]{2}/g, (m) => m.toLowerCase());
        const jsonEscaped = JSON.stringify(s)
          .slice(1, -1)
          .replace(
            /[\u007f-\uffff]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`,
          );
        const forms = [
          lowerHex(encodeURIComponent(s)),
          lowerHex(new URLSearchParams({ s }).toString().slice(2)),
          jsonEscaped,
        ];
        for (const form of forms) expect(scrubbed(s, `<${form}>`)).toBe('<[redacted]>');
      }),
      { numRuns: 300 },
    );
    expect(scrubbed('Sec+ret/Key=1', 'echo: sEC%2bRET%2fkEY%3d1')).toBe('echo: [redacted]');
    expect(scrubbed('Sec+ret/Key=1', '{"echo":"Sec+ret\\/Key=1"}')).toBe('{"echo":"[redacted]"}');
  });

  it('scrubs a secret base64-encoded at any offset of a longer base64 text', () => {
    fc.assert(
      fc.property(secret, fc.uint8Array({ maxLength: 7 }), fc.string(), (s, prefix, suffix) => {
        const plain = Buffer.concat([prefix, Buffer.from(s), Buffer.from(suffix)]);
        for (const encoding of ['base64', 'base64url'] as const) {
          const result = scrubbed(s, plain.toString(encoding));
          // What is left, decoded without the redacted part, no longer holds the secret.
          const rest = Buffer.from(result.split('[redacted]').join(''), encoding);
          expect(rest.includes(Buffer.from(s))).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never leaves the beginning of a secret at the end of a truncated text', () => {
    fc.assert(
      fc.property(secret, fc.string(), fc.nat(), (s, before, cut) => {
        const text = `${before}${s}`;
        const truncated = text.slice(0, before.length + (cut % s.length));
        const redactor = new Redactor();
        redactor.add(s);
        const result = redactor.scrub(truncated, true);
        expect(text.startsWith(result)).toBe(true);
        expect(result.length).toBeLessThanOrEqual(before.length);
      }),
      { numRuns: 300 },
    );
  });
});
