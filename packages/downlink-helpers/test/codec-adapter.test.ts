import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, DownlinkError, encodeWithCodec, type DownlinkCodec } from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

/** Shaped like a device-repository codec: validates input, returns TS013 results. */
const intervalCodec: DownlinkCodec<{ interval?: number }> = {
  encodeDownlink({ data }) {
    const interval = data.interval;
    if (typeof interval !== 'number' || interval < 1 || interval > 65535) {
      return { errors: ['interval must be 1..65535'] };
    }
    return {
      bytes: [0x01, interval >> 8, interval & 0xff],
      fPort: 2,
      warnings: interval < 60 ? ['short interval drains the battery'] : [],
    };
  },
};

const returning = (result: unknown): DownlinkCodec => ({ encodeDownlink: () => result as never });

describe('encodeWithCodec', () => {
  it('turns the codec result into a DownlinkMessage with the codec fPort', () => {
    expect(encodeWithCodec(intervalCodec, { interval: 300 })).toEqual({
      message: { payloadHex: '01012C', targetPorts: '2' },
      warnings: [],
    });
  });

  it('passes warnings through', () => {
    expect(encodeWithCodec(intervalCodec, { interval: 30 }).warnings).toEqual([
      'short interval drains the battery',
    ]);
  });

  it('lets the caller override the fPort', () => {
    expect(
      encodeWithCodec(intervalCodec, { interval: 300 }, { fPort: 10 }).message.targetPorts,
    ).toBe('10');
  });

  it('applies the size limit and security params of buildDownlinkMessage', () => {
    const big = returning({ bytes: new Array(52).fill(0), fPort: 1 });
    expectDownlinkError(
      () => encodeWithCodec(big, {}, { region: 'EU868', dataRate: 0 }),
      'PAYLOAD_TOO_LARGE',
      'payload',
    );
    const { message } = encodeWithCodec(
      intervalCodec,
      { interval: 300 },
      {
        securityParams: { asId: 'as', asKey: 'k' },
      },
    );
    expect(message.securityParams).toEqual({ asId: 'as', asKey: 'k' });
  });

  it('reports codec errors as CODEC_ERROR listing them', () => {
    const error = expectDownlinkError(
      () => encodeWithCodec(intervalCodec, { interval: 0 }),
      'CODEC_ERROR',
      'codec',
    );
    expect(error.message).toContain('interval must be 1..65535');
    expect(error.details).toEqual(['interval must be 1..65535']);
  });

  it('treats an empty errors array as success', () => {
    const codec = returning({ bytes: [1], fPort: 3, errors: [] });
    expect(encodeWithCodec(codec, {}).message).toEqual({ payloadHex: '01', targetPorts: '3' });
  });

  it('wraps a codec that throws, keeping the exception as cause', () => {
    const boom = new TypeError('data.interval is undefined');
    const codec: DownlinkCodec = {
      encodeDownlink() {
        throw boom;
      },
    };
    const error = expectDownlinkError(() => encodeWithCodec(codec, {}), 'CODEC_ERROR', 'codec');
    expect(error.cause).toBe(boom);
    expect(error.message).toContain('data.interval is undefined');
    const thrower: DownlinkCodec = {
      encodeDownlink() {
        throw 'plain string';
      },
    };
    expectDownlinkError(() => encodeWithCodec(thrower, {}), 'CODEC_ERROR', 'codec');
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'AQI='],
    ['an array', [1, 2]],
    ['a Promise', Promise.resolve({ bytes: [1], fPort: 1 })],
    ['no bytes', { fPort: 1 }],
    ['bytes as a hex string', { bytes: '0102', fPort: 1 }],
    ['a byte of 256', { bytes: [1, 256], fPort: 1 }],
    ['a negative byte', { bytes: [-1], fPort: 1 }],
    ['a fractional byte', { bytes: [1.5], fPort: 1 }],
    ['a NaN byte', { bytes: [Number.NaN], fPort: 1 }],
    ['a string byte', { bytes: ['1'], fPort: 1 }],
    ['fPort 0', { bytes: [1], fPort: 0 }],
    ['fPort 224', { bytes: [1], fPort: 224 }],
    ['fPort 256', { bytes: [1], fPort: 256 }],
    ['fPort "2"', { bytes: [1], fPort: '2' }],
    ['fPort NaN', { bytes: [1], fPort: Number.NaN }],
    ['errors not an array', { bytes: [1], fPort: 1, errors: 'bad' }],
    ['warnings of numbers', { bytes: [1], fPort: 1, warnings: [1] }],
  ])('refuses a codec returning %s as CODEC_ERROR', (_, result) => {
    expectDownlinkError(() => encodeWithCodec(returning(result), {}), 'CODEC_ERROR', 'codec');
  });

  it.each([
    [
      'a Promise',
      Promise.resolve({ bytes: [1], fPort: 1 }),
      'codec: returned a Promise; TS013 codecs are synchronous',
    ],
    ['null', null, 'codec: returned null, expected { bytes, fPort }'],
    ['no bytes', { fPort: 1 }, 'codec: bytes: expected an array of integers 0..255, got undefined'],
    [
      'warnings of numbers',
      { bytes: [1], fPort: 1, warnings: [1] },
      'codec: warnings: expected an array of strings, got an array',
    ],
  ])('words the refusal of a codec returning %s', (_, result, message) => {
    const error = expectDownlinkError(
      () => encodeWithCodec(returning(result), {}),
      'CODEC_ERROR',
      'codec',
    );
    expect(error.message).toBe(message);
  });

  it('words errors, throws, fPort problems and a missing encodeDownlink', () => {
    expect(
      expectDownlinkError(
        () => encodeWithCodec(intervalCodec, { interval: 0 }),
        'CODEC_ERROR',
        'codec',
      ).message,
    ).toBe('codec: failed: interval must be 1..65535');
    const thrower: DownlinkCodec = {
      encodeDownlink() {
        throw new RangeError('boom');
      },
    };
    expect(
      expectDownlinkError(() => encodeWithCodec(thrower, {}), 'CODEC_ERROR', 'codec').message,
    ).toBe('codec: threw: boom');
    expect(
      expectDownlinkError(
        () => encodeWithCodec(returning({ bytes: [1] }), {}),
        'INVALID_FPORT',
        'fPort',
      ).message,
    ).toBe('fPort: neither the codec nor options give one');
    expect(
      expectDownlinkError(
        () => encodeWithCodec(returning({ bytes: [1], fPort: 0 }), {}),
        'CODEC_ERROR',
        'codec',
      ).message,
    ).toMatch(/^codec: codec\.fPort: .*0/);
    expect(
      expectDownlinkError(
        () => encodeWithCodec(returning({ bytes: [1, 300], fPort: 1 }), {}),
        'CODEC_ERROR',
        'codec',
        1,
      ).message,
    ).toMatch(/^codec: bytes\[1\]: .*300/);
    expect(
      expectDownlinkError(() => encodeWithCodec({} as never, {}), 'INVALID_ARGUMENT', 'codec')
        .message,
    ).toMatch(/^codec: .*encodeDownlink function.*undefined$/);
  });

  it('names the byte at fault', () => {
    expectDownlinkError(
      () => encodeWithCodec(returning({ bytes: [1, 2, 300], fPort: 1 }), {}),
      'CODEC_ERROR',
      'codec',
      2,
    );
  });

  it('accepts fPort 224 from the codec only when allowTestPort is set', () => {
    const codec = returning({ bytes: [1], fPort: 224 });
    expect(encodeWithCodec(codec, {}, { allowTestPort: true }).message.targetPorts).toBe('224');
  });

  it('requires an fPort from the codec or the caller', () => {
    expectDownlinkError(
      () => encodeWithCodec(returning({ bytes: [1] }), {}),
      'INVALID_FPORT',
      'fPort',
    );
    expect(encodeWithCodec(returning({ bytes: [1] }), {}, { fPort: 5 }).message.targetPorts).toBe(
      '5',
    );
  });

  it('reports an invalid caller fPort as INVALID_FPORT, not CODEC_ERROR', () => {
    expectDownlinkError(
      () => encodeWithCodec(intervalCodec, { interval: 300 }, { fPort: 0 }),
      'INVALID_FPORT',
      'fPort',
    );
  });

  it.each([null, undefined, {}, { encodeDownlink: 'x' }, () => ({ bytes: [1] })])(
    'rejects a codec without encodeDownlink: %s',
    (codec) => {
      expectDownlinkError(() => encodeWithCodec(codec as never, {}), 'INVALID_ARGUMENT', 'codec');
    },
  );

  it('property: a codec returning anything gives its bytes and port, or a DownlinkError', () => {
    // Well formed or anything, so both answers are met often.
    const bytesish = fc.oneof(fc.array(fc.integer({ min: -1, max: 256 })), fc.anything());
    const portish = fc.oneof(fc.integer({ min: -1, max: 256 }), fc.anything());
    fc.assert(
      fc.property(bytesish, portish, (bytes, fPort) => {
        const codec = returning({ bytes, fPort });
        const result = valueOrDownlinkError(() => encodeWithCodec(codec, {}));
        if (result === undefined) return;
        expect(result.message).toEqual({
          payloadHex: bytesToHex(bytes as number[]),
          targetPorts: String(fPort),
        });
        expect(result.warnings).toEqual([]);
      }),
    );
  });

  it('property: valid codec output always round trips into the message', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 242 }),
        fc.integer({ min: 1, max: 223 }),
        (bytes, fPort) => {
          const { message } = encodeWithCodec(returning({ bytes, fPort }), {});
          expect(message.targetPorts).toBe(String(fPort));
          expect(message.payloadHex).toBe(Buffer.from(bytes).toString('hex').toUpperCase());
        },
      ),
    );
  });

  it('never lets a non-DownlinkError escape from a hostile result', () => {
    const hostile = returning({
      get bytes(): never {
        throw new Error('getter');
      },
    });
    let caught: unknown;
    try {
      encodeWithCodec(hostile, {});
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DownlinkError);
  });
});
