import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normalizeDevEui, validateFPort } from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

describe('normalizeDevEui', () => {
  it.each([
    '0018B20000000B20',
    '0018b20000000b20',
    '00-18-B2-00-00-00-0B-20',
    '00:18:b2:00:00:00:0b:20',
    '00 18 B2 00 00 00 0B 20',
    ' 0018B200-00000B20 ',
    '0018:B200:0000:0B20',
  ])('normalises %j', (input) => {
    expect(normalizeDevEui(input)).toBe('0018B20000000B20');
  });

  it.each([
    ['', 'expected 16 hex digits, got 0'],
    ['0018B20000000B2', 'expected 16 hex digits, got 15'],
    ['0018B20000000B200', 'more than 16 hex digits at position 16'],
    ['0018B20000000B20-1', 'more than 16 hex digits at position 17'],
    ['0018B20000000B2G', 'invalid hex digit "G" at position 15'],
    ['0x0018B20000000B20', 'invalid hex digit "x" at position 1'],
    ['00--18B20000000B20', 'unexpected "-" at position 3'],
    ['-0018B20000000B20', 'unexpected "-" at position 0'],
    ['0018B20000000B20:', 'unexpected ":" at position 16'],
    ['0018B20000000B20: ', 'unexpected ":" at position 16'],
    ['0018B200\n00000B20', 'unexpected U+000A at position 8'],
    ['００18B20000000B20', 'invalid hex digit U+FF10 at position 0'],
    ['0018B200.00000B20', 'invalid hex digit "." at position 8'],
  ])('rejects %j', (input, problem) => {
    const position = /at position (\d+)$/.exec(problem)?.[1];
    const error = expectDownlinkError(
      () => normalizeDevEui(input),
      'INVALID_DEVEUI',
      'devEui',
      position === undefined ? undefined : Number(position),
    );
    expect(error.position).toBe(position === undefined ? undefined : Number(position));
    expect(error.message).toBe(`devEui: ${problem}`);
  });

  it.each([null, undefined, 1, {}, ['0018B20000000B20']])('rejects non-string %s', (input) => {
    expectDownlinkError(() => normalizeDevEui(input as never), 'INVALID_DEVEUI', 'devEui');
  });

  it('uses the field given in options', () => {
    expectDownlinkError(
      () => normalizeDevEui('x', { field: 'device' }),
      'INVALID_DEVEUI',
      'device',
    );
  });

  it('property: any 8 bytes written in any style normalise to upper-case hex', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 8, maxLength: 8 }),
        fc.constantFrom('', '-', ':', ' '),
        fc.boolean(),
        (bytes, separator, lower) => {
          const expected = Buffer.from(bytes).toString('hex').toUpperCase();
          let text = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(separator);
          text = lower ? text.toLowerCase() : text.toUpperCase();
          expect(normalizeDevEui(text)).toBe(expected);
        },
      ),
    );
  });

  it('property: anything gives 16 hex digits or a DownlinkError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.anything()), (value) => {
        const result = valueOrDownlinkError(() => normalizeDevEui(value as string));
        if (result !== undefined) expect(result).toMatch(/^[0-9A-F]{16}$/);
      }),
    );
  });
});

describe('validateFPort', () => {
  it('accepts 1..223', () => {
    expect(validateFPort(1)).toBe(1);
    expect(validateFPort(223)).toBe(223);
  });

  it('accepts 224 only with allowTestPort', () => {
    const error = expectDownlinkError(() => validateFPort(224), 'INVALID_FPORT', 'fPort');
    expect(error.message).toContain('allowTestPort');
    expect(validateFPort(224, { allowTestPort: true })).toBe(224);
  });

  it.each([0, 225, 255, 256, -1, 1.5, Number.NaN, Infinity, -Infinity])('rejects %s', (port) => {
    expectDownlinkError(() => validateFPort(port), 'INVALID_FPORT', 'fPort');
    expectDownlinkError(
      () => validateFPort(port, { allowTestPort: true }),
      'INVALID_FPORT',
      'fPort',
    );
  });

  it.each(['2', null, undefined, {}, [2], true, 2n])('rejects non-number %s', (port) => {
    expectDownlinkError(() => validateFPort(port as never), 'INVALID_FPORT', 'fPort');
  });

  it.each([
    [0, '0 is not an integer 1..223 (FPort 0 carries MAC commands only)'],
    [
      224,
      '224 is not an integer 1..223 (224, the compliance test port, needs allowTestPort: true)',
    ],
    [230, '230 is not an integer 1..223 (225..255 are reserved)'],
    [256, '256 is not an integer 1..223'],
    [1.5, '1.5 is not an integer 1..223'],
    [Number.NaN, 'NaN is not an integer 1..223'],
  ])('explains why %s is refused', (port, problem) => {
    const error = expectDownlinkError(() => validateFPort(port), 'INVALID_FPORT', 'fPort');
    expect(error.message).toBe(`fPort: ${problem}`);
  });

  it('names the field given in options', () => {
    const error = expectDownlinkError(
      () => validateFPort(0, { field: 'port' }),
      'INVALID_FPORT',
      'port',
    );
    expect(error.message).toMatch(/^port: 0 is not/);
  });

  it('property: exactly the integers 1..223 pass', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: -10, max: 300 }), fc.double()), (port) => {
        const valid = Number.isInteger(port) && port >= 1 && port <= 223;
        if (valid) expect(validateFPort(port)).toBe(port);
        else expectDownlinkError(() => validateFPort(port), 'INVALID_FPORT', 'fPort');
      }),
    );
  });
});
