import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DownlinkError,
  buildDownlinkMessage,
  bytesToHex,
  checkPayloadSize,
  payloadToBytes,
  type BuildDownlinkOptions,
} from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

const SECRET = 'A1B2C3D4E5F60718293A4B5C6D7E8F90-very-secret';

/** `valid` three times in four, else anything at all. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: fc.anything() });

describe('buildDownlinkMessage', () => {
  it.each([
    [new Uint8Array([1, 10]), '010A'],
    [[1, 10], '010A'],
    [{ hex: '01 0a' }, '010A'],
    [{ base64: 'AQo=' }, '010A'],
    [{ base64: 'AQo' }, '010A'],
    [{ text: 'on' }, '6F6E'],
    [[], ''],
    [{ hex: '' }, ''],
  ])('accepts payload %j', (payload, payloadHex) => {
    expect(buildDownlinkMessage({ payload, fPort: 2 })).toEqual({ payloadHex, targetPorts: '2' });
  });

  it('writes targetPorts as a decimal string', () => {
    expect(buildDownlinkMessage({ payload: [1], fPort: 223 }).targetPorts).toBe('223');
    expect(
      buildDownlinkMessage({ payload: [1], fPort: 224, allowTestPort: true }).targetPorts,
    ).toBe('224');
  });

  it('refuses payloads over the region limit, stating limit and size', () => {
    expect(
      buildDownlinkMessage({ payload: new Uint8Array(51), fPort: 1, region: 'EU868', dataRate: 0 })
        .payloadHex,
    ).toHaveLength(102);
    const error = expectDownlinkError(
      () =>
        buildDownlinkMessage({
          payload: new Uint8Array(52),
          fPort: 1,
          region: 'EU868',
          dataRate: 0,
        }),
      'PAYLOAD_TOO_LARGE',
      'payload',
    );
    expect(error.message).toBe('payload: 52 bytes exceed the limit of 51');
  });

  it('applies repeater-compatible and dwell-time limits', () => {
    const options = { fPort: 1, region: 'EU868', dataRate: 5 } as const;
    expect(() => buildDownlinkMessage({ ...options, payload: new Uint8Array(242) })).not.toThrow();
    const error = expectDownlinkError(
      () =>
        buildDownlinkMessage({
          ...options,
          payload: new Uint8Array(223),
          repeaterCompatible: true,
        }),
      'PAYLOAD_TOO_LARGE',
    );
    expect(error.message).toContain('222');
    expectDownlinkError(
      () =>
        buildDownlinkMessage({
          payload: new Uint8Array(12),
          fPort: 1,
          region: 'AS923',
          dataRate: 2,
          dwellTime: true,
        }),
      'PAYLOAD_TOO_LARGE',
    );
  });

  it.each([
    [{ region: 'EU868' }, 'dataRate'],
    [{ dataRate: 0 }, 'region'],
    [{ repeaterCompatible: true }, 'repeaterCompatible'],
    [{ dwellTime: true }, 'dwellTime'],
  ])('needs region and dataRate together: %j', (extra, field) => {
    const error = expectDownlinkError(
      () => buildDownlinkMessage({ payload: [1], fPort: 1, ...(extra as object) }),
      'INVALID_ARGUMENT',
      field,
    );
    expect(error.message).toBe(`${field}: needs both region and dataRate`);
  });

  it('tells a caller who passed a bare string which wrapper it needs', () => {
    const error = expectDownlinkError(
      () => buildDownlinkMessage({ payload: '010A' as never, fPort: 1 }),
      'INVALID_ARGUMENT',
      'payload',
    );
    expect(error.message).toBe(
      'payload: expected bytes, { hex }, { base64 } or { text }, got string',
    );
  });

  it('lists the keys of a payload object it cannot read', () => {
    const error = expectDownlinkError(
      () => buildDownlinkMessage({ payload: { hex: '01', text: 'a' } as never, fPort: 1 }),
      'INVALID_ARGUMENT',
      'payload',
    );
    expect(error.message).toBe(
      'payload: expected bytes or one of { hex }, { base64 }, { text }, got keys [hex, text]',
    );
  });

  it('names the security param at fault and its type, never its value', () => {
    for (const [asKey, got] of [
      ['  ', 'string'],
      [42, 'number'],
    ] as const) {
      const error = expectDownlinkError(
        () =>
          buildDownlinkMessage({
            payload: [1],
            fPort: 1,
            securityParams: { asId: 'as', asKey: asKey as never },
          }),
        'INVALID_SECURITY_PARAMS',
        'securityParams.asKey',
      );
      expect(error.message).toMatch(
        new RegExp(`^securityParams.asKey: .*non-blank string.*${got}$`),
      );
    }
  });

  it('reports unknown regions and data rates', () => {
    expectDownlinkError(
      () => buildDownlinkMessage({ payload: [1], fPort: 1, region: 'XX' as never, dataRate: 0 }),
      'UNKNOWN_REGION',
      'region',
    );
    expectDownlinkError(
      () => buildDownlinkMessage({ payload: [1], fPort: 1, region: 'US915', dataRate: 0 }),
      'UNKNOWN_DATA_RATE',
      'dataRate',
    );
  });

  it.each([
    [{ payload: [1], fPort: 0 }, 'INVALID_FPORT', 'fPort'],
    [{ payload: [1], fPort: 224 }, 'INVALID_FPORT', 'fPort'],
    [{ payload: [1], fPort: '2' }, 'INVALID_FPORT', 'fPort'],
    [{ payload: [1] }, 'INVALID_FPORT', 'fPort'],
    [{ payload: '010A', fPort: 1 }, 'INVALID_ARGUMENT', 'payload'],
    [{ payload: null, fPort: 1 }, 'INVALID_ARGUMENT', 'payload'],
    [{ fPort: 1 }, 'INVALID_ARGUMENT', 'payload'],
    [{ payload: { hex: '0g' }, fPort: 1 }, 'INVALID_HEX', 'payload'],
    [{ payload: { hex: 1 }, fPort: 1 }, 'INVALID_ARGUMENT', 'payload'],
    [{ payload: { base64: 'A' }, fPort: 1 }, 'INVALID_BASE64', 'payload'],
    [{ payload: { text: '\ud800' }, fPort: 1 }, 'INVALID_TEXT', 'payload'],
    [{ payload: { hex: '01', text: 'a' }, fPort: 1 }, 'INVALID_ARGUMENT', 'payload'],
    [{ payload: {}, fPort: 1 }, 'INVALID_ARGUMENT', 'payload'],
    [{ payload: [1, 256], fPort: 1 }, 'VALUE_OUT_OF_RANGE', 'payload[1]'],
    [{ payload: new Uint16Array([1]), fPort: 1 }, 'INVALID_ARGUMENT', 'payload'],
  ])('rejects %j', (options, code, field) => {
    expectDownlinkError(() => buildDownlinkMessage(options as never), code as never, field);
  });

  it.each([null, undefined, 'payload', 1])('rejects options %s', (options) => {
    expectDownlinkError(
      () => buildDownlinkMessage(options as never),
      'INVALID_ARGUMENT',
      'options',
    );
  });

  it('copies valid security params into the body, and nothing else', () => {
    const securityParams = { asId: 'as-1', asKey: SECRET, extra: 'x' };
    expect(buildDownlinkMessage({ payload: [1], fPort: 1, securityParams })).toEqual({
      payloadHex: '01',
      targetPorts: '1',
      securityParams: { asId: 'as-1', asKey: SECRET },
    });
  });

  it.each([
    [null, 'securityParams'],
    ['as:key', 'securityParams'],
    [[SECRET], 'securityParams'],
    [{ asKey: SECRET }, 'securityParams.asId'],
    [{ asId: '', asKey: SECRET }, 'securityParams.asId'],
    [{ asId: SECRET, asKey: SECRET }, undefined],
    [{ asId: 'as', asKey: '' }, 'securityParams.asKey'],
    [{ asId: 'as', asKey: '   ' }, 'securityParams.asKey'],
    [{ asId: 'as' }, 'securityParams.asKey'],
    [{ asId: 'as', asKey: 42 }, 'securityParams.asKey'],
    [{ asId: 'as', asKey: { toString: () => SECRET } }, 'securityParams.asKey'],
  ])('validates security params %#', (securityParams, field) => {
    const build = (): unknown =>
      buildDownlinkMessage({ payload: [1], fPort: 1, securityParams: securityParams as never });
    if (field === undefined) expect(build).not.toThrow();
    else expectDownlinkError(build, 'INVALID_SECURITY_PARAMS', field);
  });
});

describe('the asKey never leaks', () => {
  const failures: [string, Partial<BuildDownlinkOptions>][] = [
    ['bad asId', { securityParams: { asId: '', asKey: SECRET } }],
    ['asKey of wrong type', { securityParams: { asId: 'x', asKey: [SECRET] as never } }],
    ['asKey as object', { securityParams: { asId: 'x', asKey: { SECRET } as never } }],
    ['secret as asId type error', { securityParams: { asId: { SECRET } as never, asKey: SECRET } }],
    ['bad payload', { payload: { hex: 'zz' }, securityParams: { asId: 'x', asKey: SECRET } }],
    [
      'payload too large',
      {
        payload: new Uint8Array(300),
        region: 'EU868',
        dataRate: 5,
        securityParams: { asId: 'x', asKey: SECRET },
      },
    ],
    ['bad fPort', { fPort: 0, securityParams: { asId: 'x', asKey: SECRET } }],
    [
      'bad region',
      { region: 'XX' as never, dataRate: 1, securityParams: { asId: 'x', asKey: SECRET } },
    ],
  ];

  it.each(failures)('%s', (_, override) => {
    let caught: unknown;
    try {
      buildDownlinkMessage({ payload: [1], fPort: 1, ...override });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DownlinkError);
    const error = caught as DownlinkError;
    for (const text of [
      error.message,
      JSON.stringify(error),
      inspect(error, { depth: 10, showHidden: true }),
      String(error.stack),
      String(error),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('very-secret');
    }
  });
});

describe('payloadToBytes and checkPayloadSize', () => {
  it('converts every payload form', () => {
    expect(Array.from(payloadToBytes({ text: 'A' }))).toEqual([65]);
    expectDownlinkError(() => payloadToBytes({ hex: 'x' }, 'body'), 'INVALID_HEX', 'body');
  });

  it('checks sizes without a payload at hand', () => {
    expect(() => checkPayloadSize(115, { region: 'EU868', dataRate: 3 })).not.toThrow();
    expect(() => checkPayloadSize(10, {})).not.toThrow();
    expectDownlinkError(
      () => checkPayloadSize(116, { region: 'EU868', dataRate: 3 }),
      'PAYLOAD_TOO_LARGE',
    );
  });

  it('property: any byte array within the limit gives upper-case hex of it', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 242 }),
        fc.integer({ min: 1, max: 223 }),
        fc.constantFrom(0, 3, 5),
        (bytes, fPort, dataRate) => {
          const limit = [51, 51, 51, 115, 242, 242][dataRate] as number;
          const build = (): unknown =>
            buildDownlinkMessage({ payload: bytes, fPort, region: 'EU868', dataRate });
          if (bytes.length > limit) {
            expectDownlinkError(build, 'PAYLOAD_TOO_LARGE', 'payload');
          } else {
            expect(build()).toEqual({
              payloadHex: Buffer.from(bytes).toString('hex').toUpperCase(),
              targetPorts: String(fPort),
            });
          }
        },
      ),
    );
  });

  it('property: anything as options gives a message or a DownlinkError', () => {
    fc.assert(
      fc.property(
        // Each field mostly well formed, else anything (undefined included), so both answers
        // are met often.
        fc.record(
          {
            payload: mostly(
              fc.oneof(
                fc.uint8Array({ maxLength: 300 }),
                fc.record({ hex: fc.string({ unit: fc.constantFrom(...'0123456789abcdefX') }) }),
                fc.record({ text: fc.string() }),
              ),
            ),
            fPort: mostly(fc.integer({ min: -1, max: 256 })),
            region: mostly(fc.constantFrom('EU868', 'US915', 'AS923')),
            dataRate: mostly(fc.integer({ min: 0, max: 7 })),
            securityParams: fc.anything(),
          },
          { requiredKeys: ['payload', 'fPort'] },
        ),
        (options) => {
          const message = valueOrDownlinkError(() => buildDownlinkMessage(options as never));
          if (message === undefined) return;
          expect(message.targetPorts).toBe(String(options.fPort));
          expect(message.payloadHex).toBe(bytesToHex(payloadToBytes(options.payload as never)));
        },
      ),
    );
  });
});
