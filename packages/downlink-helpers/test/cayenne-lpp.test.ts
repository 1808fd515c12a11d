import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, encodeCayenneLpp, type CayenneLppItem } from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

const hex = (items: unknown[]): string => bytesToHex(encodeCayenneLpp(items as CayenneLppItem[]));

describe('encodeCayenneLpp: domain vectors', () => {
  it('two temperatures: 03 67 01 10 05 67 00 FF', () => {
    expect(
      hex([
        { channel: 3, type: 'temperature', value: 27.2 },
        { channel: 5, type: 'temperature', value: 25.5 },
      ]),
    ).toBe('03670110056700FF');
  });

  it('GPS ch1 (52.3655, 4.8885, 21.54 m): 01 88 07 FD 87 00 BE F5 00 08 6A', () => {
    expect(
      hex([
        {
          channel: 1,
          type: 'gps',
          value: { latitude: 52.3655, longitude: 4.8885, altitude: 21.54 },
        },
      ]),
    ).toBe('018807FD8700BEF500086A');
  });

  it('rounds half away from zero: temperature -15.65 -> -157 = FF 63 (not truncated FF 64)', () => {
    expect(hex([{ channel: 0, type: 'temperature', value: -15.65 }])).toBe('0067FF63');
    expect(hex([{ channel: 0, type: 'temperature', value: 15.65 }])).toBe('0067009D');
    expect(hex([{ channel: 0, type: 'temperature', value: -15.64 }])).toBe('0067FF64');
  });

  it('humidity 49.65 -> 63', () => {
    expect(hex([{ channel: 0, type: 'humidity', value: 49.65 }])).toBe('006863');
    expect(hex([{ channel: 0, type: 'humidity', value: 49.75 }])).toBe('006864');
  });

  it('accelerometer (-0.424, 0.015, 1.666) -> FE 58 00 0F 06 82', () => {
    expect(
      hex([{ channel: 6, type: 'accelerometer', value: { x: -0.424, y: 0.015, z: 1.666 } }]),
    ).toBe('0671FE58000F0682');
  });

  it('scales robustly against float error (27.2, 1.005, 0.29)', () => {
    // Naive scaling would round 1.005 down: 1.005 * 100 is 100.49999999999999.
    expect(1.005 * 100).toBeLessThan(100.5);
    expect(hex([{ channel: 0, type: 'temperature', value: 27.2 }])).toBe('00670110');
    expect(hex([{ channel: 0, type: 'analogInput', value: 1.005 }])).toBe('00020065');
    expect(hex([{ channel: 0, type: 'analogOutput', value: 0.29 }])).toBe('0003001D');
    expect(hex([{ channel: 0, type: 'analogInput', value: -0.005 }])).toBe('0002FFFF');
    expect(hex([{ channel: 0, type: 'analogInput', value: 1e-7 }])).toBe('00020000');
    expect(hex([{ channel: 0, type: 'temperature', value: -0.04 }])).toBe('00670000');
  });

  it('covers every type of the table with its id and size', () => {
    expect(
      hex([
        { channel: 1, type: 'digitalInput', value: 1 },
        { channel: 2, type: 'digitalOutput', value: 255 },
        { channel: 3, type: 'analogInput', value: -327.68 },
        { channel: 4, type: 'analogOutput', value: 327.67 },
        { channel: 5, type: 'illuminance', value: 65535 },
        { channel: 6, type: 'presence', value: 0 },
        { channel: 7, type: 'barometer', value: 1013.2 },
        { channel: 8, type: 'gyrometer', value: { x: -1, y: 0.01, z: 327.67 } },
      ]),
    ).toBe('0100010201FF0302800004037FFF0565FFFF066600077327940886FF9C00017FFF');
  });
});

describe('encodeCayenneLpp: refusals', () => {
  it.each([
    [{ channel: 0, type: 'temperature', value: 3276.8 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'temperature', value: -3276.85 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [
      { channel: 0, type: 'temperature', value: Number.NaN },
      'VALUE_OUT_OF_RANGE',
      'items[0].value',
    ],
    [{ channel: 0, type: 'temperature', value: Infinity }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'temperature', value: 1e300 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'humidity', value: -0.5 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'humidity', value: 127.75 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'illuminance', value: 65536 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'barometer', value: -1 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'digitalInput', value: 256 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'digitalOutput', value: 0.5 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'presence', value: -1 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [{ channel: 0, type: 'analogInput', value: 327.68 }, 'VALUE_OUT_OF_RANGE', 'items[0].value'],
    [
      { channel: 0, type: 'accelerometer', value: { x: 0, y: 32.768, z: 0 } },
      'VALUE_OUT_OF_RANGE',
      'items[0].value.y',
    ],
    [
      { channel: 0, type: 'gyrometer', value: { x: 0, y: 0, z: -327.69 } },
      'VALUE_OUT_OF_RANGE',
      'items[0].value.z',
    ],
    [
      { channel: 0, type: 'gps', value: { latitude: 90.1, longitude: 0, altitude: 0 } },
      'VALUE_OUT_OF_RANGE',
      'items[0].value.latitude',
    ],
    [
      { channel: 0, type: 'gps', value: { latitude: 0, longitude: -180.1, altitude: 0 } },
      'VALUE_OUT_OF_RANGE',
      'items[0].value.longitude',
    ],
    [
      { channel: 0, type: 'gps', value: { latitude: 0, longitude: 0, altitude: 83886.08 } },
      'VALUE_OUT_OF_RANGE',
      'items[0].value.altitude',
    ],
    [
      { channel: 0, type: 'gps', value: { latitude: 0, longitude: 0 } },
      'INVALID_ARGUMENT',
      'items[0].value.altitude',
    ],
    [{ channel: 0, type: 'accelerometer', value: 1 }, 'INVALID_ARGUMENT', 'items[0].value'],
    [{ channel: 0, type: 'accelerometer', value: null }, 'INVALID_ARGUMENT', 'items[0].value'],
    [{ channel: 0, type: 'temperature', value: '20' }, 'INVALID_ARGUMENT', 'items[0].value'],
    [{ channel: 0, type: 'temperature' }, 'INVALID_ARGUMENT', 'items[0].value'],
    [{ channel: 256, type: 'temperature', value: 1 }, 'VALUE_OUT_OF_RANGE', 'items[0].channel'],
    [{ channel: -1, type: 'temperature', value: 1 }, 'VALUE_OUT_OF_RANGE', 'items[0].channel'],
    [{ channel: 1.5, type: 'temperature', value: 1 }, 'VALUE_OUT_OF_RANGE', 'items[0].channel'],
    [
      { channel: Number.NaN, type: 'temperature', value: 1 },
      'VALUE_OUT_OF_RANGE',
      'items[0].channel',
    ],
    [{ channel: '1', type: 'temperature', value: 1 }, 'INVALID_ARGUMENT', 'items[0].channel'],
    [{ type: 'temperature', value: 1 }, 'INVALID_ARGUMENT', 'items[0].channel'],
    [{ channel: 1, type: 'temp', value: 1 }, 'INVALID_ARGUMENT', 'items[0].type'],
    [{ channel: 1, type: 'hasOwnProperty', value: 1 }, 'INVALID_ARGUMENT', 'items[0].type'],
    [{ channel: 1, type: 103, value: 1 }, 'INVALID_ARGUMENT', 'items[0].type'],
    [null, 'INVALID_ARGUMENT', 'items[0]'],
    [[1, 103, 20], 'INVALID_ARGUMENT', 'items[0].type'],
  ])('rejects %j', (item, code, field) => {
    expectDownlinkError(() => encodeCayenneLpp([item] as never), code as never, field, 0);
  });

  it('names the index of the item at fault and never wraps', () => {
    const error = expectDownlinkError(
      () =>
        encodeCayenneLpp([
          { channel: 1, type: 'temperature', value: 20 },
          { channel: 2, type: 'temperature', value: 20 },
          { channel: 3, type: 'temperature', value: 4000 },
        ]),
      'VALUE_OUT_OF_RANGE',
      'items[2].value',
      2,
    );
    expect(error.message).toContain('-3276.8..3276.7');
  });

  it.each([
    [
      { channel: 0, type: 'temperature', value: 3276.8 },
      'items[0].value: 3276.8 is not in -3276.8..3276.7',
    ],
    [
      { channel: 0, type: 'temperature', value: Number.NaN },
      'items[0].value: NaN is not in -3276.8..3276.7',
    ],
    [{ channel: 0, type: 'humidity', value: 127.75 }, 'items[0].value: 127.75 is not in 0..127.5'],
    [
      { channel: 0, type: 'digitalOutput', value: 0.5 },
      'items[0].value: 0.5 is not an integer in 0..255',
    ],
    [
      { channel: 0, type: 'gps', value: { latitude: 90.1, longitude: 0, altitude: 0 } },
      'items[0].value.latitude: 90.1 is not in -90..90',
    ],
    [
      { channel: 0, type: 'gps', value: { latitude: 0, longitude: 0, altitude: 83886.08 } },
      'items[0].value.altitude: 83886.08 is not in -83886.08..83886.07',
    ],
    [
      { channel: 256, type: 'temperature', value: 1 },
      'items[0].channel: 256 is not an integer in 0..255',
    ],
    [
      { channel: 0, type: 'accelerometer', value: 1 },
      'items[0].value: expected an object, got number',
    ],
  ])('words the refusal of %j', (item, message) => {
    const error = expectDownlinkError(
      () => encodeCayenneLpp([item] as never),
      message.includes('expected') ? 'INVALID_ARGUMENT' : 'VALUE_OUT_OF_RANGE',
      message.slice(0, message.indexOf(':')),
      0,
    );
    expect(error.message).toBe(message);
  });

  it('lists the known types when the type is unknown', () => {
    const error = expectDownlinkError(
      () => encodeCayenneLpp([{ channel: 1, type: 'temp', value: 1 }] as never),
      'INVALID_ARGUMENT',
      'items[0].type',
      0,
    );
    expect(error.message).toBe(
      'items[0].type: "temp" is not one of digitalInput, digitalOutput, analogInput, analogOutput, illuminance, presence, temperature, humidity, accelerometer, barometer, gyrometer, gps',
    );
  });

  it.each([null, undefined, {}, 'items'])('rejects a non-array %s', (items) => {
    expectDownlinkError(() => encodeCayenneLpp(items as never), 'INVALID_ARGUMENT', 'items');
  });
});

/** Decoder written by hand from the type table, used to check round trips. */
function decode(bytes: Uint8Array): { channel: number; id: number; raw: number[] }[] {
  const sizes: Record<number, number[]> = {
    0: [1],
    1: [1],
    2: [2],
    3: [2],
    101: [2],
    102: [1],
    103: [2],
    104: [1],
    113: [2, 2, 2],
    115: [2],
    134: [2, 2, 2],
    136: [3, 3, 3],
  };
  const signed = new Set([2, 3, 103, 113, 134, 136]);
  const out: { channel: number; id: number; raw: number[] }[] = [];
  let i = 0;
  while (i < bytes.length) {
    const channel = bytes[i++] as number;
    const id = bytes[i++] as number;
    const raw: number[] = [];
    for (const size of sizes[id] ?? []) {
      let value = 0;
      for (let k = 0; k < size; k++) value = value * 256 + (bytes[i++] as number);
      if (signed.has(id) && value >= 2 ** (size * 8 - 1)) value -= 2 ** (size * 8);
      raw.push(value);
    }
    out.push({ channel, id, raw });
  }
  return out;
}

describe('encodeCayenneLpp: properties', () => {
  const scalar = (type: string, id: number, min: number, max: number, step: number) =>
    fc
      .record({
        channel: fc.integer({ min: 0, max: 255 }),
        raw: fc.integer({ min, max }),
      })
      .map(({ channel, raw }) => ({
        item: { channel, type, value: Number((raw * step).toFixed(4)) },
        expected: { channel, id, raw: [raw] },
      }));
  const anyItem = fc.oneof(
    scalar('digitalInput', 0, 0, 255, 1),
    scalar('analogInput', 2, -32768, 32767, 0.01),
    scalar('temperature', 103, -32768, 32767, 0.1),
    scalar('humidity', 104, 0, 255, 0.5),
    scalar('barometer', 115, 0, 65535, 0.1),
    scalar('illuminance', 101, 0, 65535, 1),
    fc
      .record({
        channel: fc.integer({ min: 0, max: 255 }),
        raw: fc.tuple(
          fc.integer({ min: -32768, max: 32767 }),
          fc.integer({ min: -32768, max: 32767 }),
          fc.integer({ min: -32768, max: 32767 }),
        ),
      })
      .map(({ channel, raw }) => ({
        item: {
          channel,
          type: 'accelerometer',
          value: { x: raw[0] / 1000, y: raw[1] / 1000, z: raw[2] / 1000 },
        },
        expected: { channel, id: 113, raw },
      })),
    fc
      .record({
        channel: fc.integer({ min: 0, max: 255 }),
        raw: fc.tuple(
          fc.integer({ min: -900000, max: 900000 }),
          fc.integer({ min: -1800000, max: 1800000 }),
          fc.integer({ min: -8388608, max: 8388607 }),
        ),
      })
      .map(({ channel, raw }) => ({
        item: {
          channel,
          type: 'gps',
          value: { latitude: raw[0] / 10000, longitude: raw[1] / 10000, altitude: raw[2] / 100 },
        },
        expected: { channel, id: 136, raw },
      })),
  );

  it('property: values on the resolution grid decode back to the same raw integers', () => {
    fc.assert(
      fc.property(fc.array(anyItem, { maxLength: 10 }), (cases) => {
        const bytes = encodeCayenneLpp(cases.map((c) => c.item) as CayenneLppItem[]);
        expect(decode(bytes)).toEqual(cases.map((c) => c.expected));
      }),
    );
  });

  it('property: any temperature is rounded half away from zero or refused', () => {
    fc.assert(
      fc.property(fc.double({ min: -4000, max: 4000, noNaN: true }), (value) => {
        let bytes: Uint8Array;
        try {
          bytes = encodeCayenneLpp([{ channel: 0, type: 'temperature', value }]);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('VALUE_OUT_OF_RANGE');
          expect(Math.abs(value)).toBeGreaterThan(3276.7);
          return;
        }
        const raw = decode(bytes)[0]?.raw ?? [];
        // Never more than half a step (plus float noise) away from the value.
        expect(Math.abs((raw[0] as number) / 10 - value)).toBeLessThanOrEqual(0.05 + 1e-9);
        expect(Math.sign(raw[0] as number) * Math.sign(value)).not.toBe(-1);
      }),
    );
  });

  it('property: anything gives bytes holding every item, or a DownlinkError', () => {
    fc.assert(
      fc.property(fc.array(fc.anything()), (items) => {
        const bytes = valueOrDownlinkError(() => encodeCayenneLpp(items as never));
        if (bytes === undefined) return;
        const channels = (items as CayenneLppItem[]).map((item) => item.channel);
        expect(decode(bytes).map((entry) => entry.channel)).toEqual(channels);
      }),
    );
  });
});
