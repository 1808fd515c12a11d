import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesToHex, encodeLayout, type LayoutField, type NumberType } from '../src/index.js';
import { expectDownlinkError, valueOrDownlinkError } from './helpers.js';

const RANGES: Record<NumberType, [number, number]> = {
  u8: [0, 255],
  i8: [-128, 127],
  u16be: [0, 65535],
  u16le: [0, 65535],
  i16be: [-32768, 32767],
  i16le: [-32768, 32767],
  u32be: [0, 4294967295],
  u32le: [0, 4294967295],
  i32be: [-2147483648, 2147483647],
  i32le: [-2147483648, 2147483647],
  f32be: [-3.4e38, 3.4e38],
  f32le: [-3.4e38, 3.4e38],
};
const TYPES = Object.keys(RANGES) as NumberType[];

/** Independent decoder written from the type names, for round trips. */
function readNumber(view: DataView, offset: number, type: NumberType): [number, number] {
  const le = type.endsWith('le');
  switch (type.replace(/(be|le)$/, '')) {
    case 'u8':
      return [view.getUint8(offset), 1];
    case 'i8':
      return [view.getInt8(offset), 1];
    case 'u16':
      return [view.getUint16(offset, le), 2];
    case 'i16':
      return [view.getInt16(offset, le), 2];
    case 'u32':
      return [view.getUint32(offset, le), 4];
    case 'i32':
      return [view.getInt32(offset, le), 4];
    default:
      return [view.getFloat32(offset, le), 4];
  }
}

const numberField = fc.constantFrom(...TYPES).chain((type) => {
  const [min, max] = RANGES[type];
  const value = type.startsWith('f')
    ? fc.float({ noNaN: true, noDefaultInfinity: true })
    : fc.integer({ min, max });
  return value.map((v): LayoutField => ({ type, value: v }));
});

describe('encodeLayout', () => {
  it('encodes the README example', () => {
    const bytes = encodeLayout([
      { type: 'u8', value: 0x01, name: 'opcode' },
      { type: 'u16be', value: 300, name: 'interval' },
      { type: 'i16le', value: -2, name: 'offset' },
      { type: 'flags', name: 'options', bits: [{ name: 'confirm', bit: 7, value: true }] },
    ]);
    expect(bytesToHex(bytes)).toBe('01012CFEFF80');
  });

  it('encodes every integer type at its limits, both endiannesses', () => {
    expect(bytesToHex(encodeLayout([{ type: 'i8', value: -128 }]))).toBe('80');
    expect(bytesToHex(encodeLayout([{ type: 'u16le', value: 0x1234 }]))).toBe('3412');
    expect(bytesToHex(encodeLayout([{ type: 'i16be', value: -32768 }]))).toBe('8000');
    expect(bytesToHex(encodeLayout([{ type: 'u32be', value: 4294967295 }]))).toBe('FFFFFFFF');
    expect(bytesToHex(encodeLayout([{ type: 'i32le', value: -2 }]))).toBe('FEFFFFFF');
    expect(bytesToHex(encodeLayout([{ type: 'f32be', value: 1.5 }]))).toBe('3FC00000');
    expect(bytesToHex(encodeLayout([{ type: 'f32le', value: -2 }]))).toBe('000000C0');
  });

  it('builds flag bytes from booleans and small bit fields', () => {
    const bytes = encodeLayout([
      {
        type: 'flags',
        bits: [
          { name: 'ledOn', bit: 0, value: true },
          { name: 'buzzer', bit: 1, value: false },
          { name: 'mode', bit: 4, width: 2, value: 3 },
          { name: 'top', bit: 7, width: 1, value: 1 },
        ],
      },
    ]);
    expect(bytesToHex(bytes)).toBe('B1');
    expect(bytesToHex(encodeLayout([{ type: 'flags', bits: [] }]))).toBe('00');
  });

  it('writes fixed byte runs', () => {
    const bytes = encodeLayout([
      { type: 'bytes', value: [0xde, 0xad], length: 2 },
      { type: 'bytes', value: new Uint8Array([0xbe, 0xef]) },
    ]);
    expect(bytesToHex(bytes)).toBe('DEADBEEF');
  });

  it.each([
    [{ type: 'u8', value: 256, name: 'cmd' }, 'VALUE_OUT_OF_RANGE', 'cmd'],
    [{ type: 'u8', value: -1 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'u8', value: 1.5 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'i8', value: 128 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'u16be', value: 65536 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'i16le', value: -32769 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'u32le', value: 2 ** 32 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'i32be', value: 2 ** 31 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'u16be', value: Number.NaN }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'u16be', value: Infinity }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'f32be', value: Number.NaN }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'f32le', value: -Infinity }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'f32be', value: 1e39 }, 'VALUE_OUT_OF_RANGE', 'fields[0]'],
    [{ type: 'u8', value: '1' }, 'INVALID_ARGUMENT', 'fields[0]'],
    [{ type: 'u8', value: null }, 'INVALID_ARGUMENT', 'fields[0]'],
    [{ type: 'u8' }, 'INVALID_ARGUMENT', 'fields[0]'],
    [{ type: 'u64be', value: 1 }, 'INVALID_ARGUMENT', 'fields[0].type'],
    [{ type: 'toString', value: 1 }, 'INVALID_ARGUMENT', 'fields[0].type'],
    [{ value: 1 }, 'INVALID_ARGUMENT', 'fields[0].type'],
    [null, 'INVALID_ARGUMENT', 'fields[0]'],
    ['u8', 'INVALID_ARGUMENT', 'fields[0]'],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, width: 2, value: 4 }] },
      'VALUE_OUT_OF_RANGE',
      'f.m',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, value: -1 }] },
      'VALUE_OUT_OF_RANGE',
      'f.m',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, value: 0.5 }] },
      'VALUE_OUT_OF_RANGE',
      'f.m',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, value: 'yes' }] },
      'INVALID_ARGUMENT',
      'f.m',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, width: 2, value: true }] },
      'INVALID_ARGUMENT',
      'f.bits[0]',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 8, value: true }] },
      'INVALID_ARGUMENT',
      'f.bits[0]',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 6, width: 3, value: 1 }] },
      'INVALID_ARGUMENT',
      'f.bits[0]',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, width: 0, value: 0 }] },
      'INVALID_ARGUMENT',
      'f.bits[0]',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ bit: 0, value: true }] },
      'INVALID_ARGUMENT',
      'f.bits[0]',
    ],
    [{ type: 'flags', name: 'f', bits: [null] }, 'INVALID_ARGUMENT', 'f.bits[0]'],
    [{ type: 'flags', name: 'f', bits: 3 }, 'INVALID_ARGUMENT', 'f.bits'],
    [
      {
        type: 'flags',
        name: 'f',
        bits: [
          { name: 'a', bit: 1, width: 2, value: 0 },
          { name: 'b', bit: 2, value: true },
        ],
      },
      'INVALID_ARGUMENT',
      'f.bits[1]',
    ],
    [{ type: 'bytes', name: 'key', value: [1, 2, 3], length: 2 }, 'VALUE_OUT_OF_RANGE', 'key'],
    [{ type: 'bytes', name: 'key', value: [1, 256] }, 'VALUE_OUT_OF_RANGE', 'key[1]'],
    [{ type: 'bytes', name: 'key', value: 'AB' }, 'INVALID_ARGUMENT', 'key'],
    [{ type: 'bytes', name: 'key', value: [], length: -1 }, 'INVALID_ARGUMENT', 'key.length'],
  ])('rejects %j', (field, code, name) => {
    expectDownlinkError(
      () => encodeLayout([field as LayoutField]),
      code as never,
      name,
      code === 'VALUE_OUT_OF_RANGE' && !name.includes('[1]') ? 0 : undefined,
    );
  });

  it('names the index of the field at fault', () => {
    expectDownlinkError(
      () =>
        encodeLayout([
          { type: 'u8', value: 1 },
          { type: 'u8', value: 1 },
          { type: 'u8', value: 300 },
        ]),
      'VALUE_OUT_OF_RANGE',
      'fields[2]',
      2,
    );
  });

  it.each([null, undefined, 'u8', {}, 1])('rejects a non-array layout %s', (fields) => {
    expectDownlinkError(() => encodeLayout(fields as never), 'INVALID_ARGUMENT', 'fields');
  });

  it.each([
    [{ type: 'u8', value: 256, name: 'cmd' }, 'cmd: 256 is not an integer in 0..255'],
    [{ type: 'i16le', value: -32769 }, 'fields[0]: -32769 is not an integer in -32768..32767'],
    [{ type: 'u8', value: 1.5 }, 'fields[0]: 1.5 is not an integer in 0..255'],
    [{ type: 'f32be', value: 1e39 }, 'fields[0]: 1e+39 is not a finite float32'],
    [{ type: 'bytes', name: 'key', value: [1, 2, 3], length: 2 }, 'key: has 3 bytes, not 2'],
    [{ type: 'bytes', name: 'key', value: [], length: -1 }, 'key.length: -1 is not a byte count'],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, width: 2, value: 4 }] },
      'f.m: 4 is not an integer in 0..3',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 6, width: 3, value: 1 }] },
      'f.bits[0]: bit 6 width 3 is not within bits 0..7',
    ],
    [
      { type: 'flags', name: 'f', bits: [{ name: 'm', bit: 0, width: 2, value: true }] },
      'f.bits[0]: a boolean needs width 1',
    ],
    [{ type: 'flags', name: 'f', bits: [{ bit: 0, value: true }] }, 'f.bits[0]: needs a name'],
    [
      {
        type: 'flags',
        name: 'f',
        bits: [
          { name: 'a', bit: 1, width: 2, value: 0 },
          { name: 'b', bit: 2, value: true },
        ],
      },
      'f.bits[1]: overlaps an earlier bit field',
    ],
  ])('words the refusal of %j', (field, message) => {
    expect(() => encodeLayout([field as LayoutField])).toThrow(message);
    let thrown: unknown;
    try {
      encodeLayout([field as LayoutField]);
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Error).message).toBe(message);
  });

  it('lists the known types when the type is unknown', () => {
    const error = expectDownlinkError(
      () => encodeLayout([{ type: 'u64be', value: 1 } as never]),
      'INVALID_ARGUMENT',
      'fields[0].type',
      0,
    );
    expect(error.message).toBe(
      'fields[0].type: "u64be" is not one of flags, bytes, u8, i8, u16be, u16le, i16be, i16le, u32be, u32le, i32be, i32le, f32be, f32le',
    );
  });

  it('property: round trips numeric fields through an independent DataView decoder', () => {
    fc.assert(
      fc.property(fc.array(numberField, { maxLength: 20 }), (fields) => {
        const bytes = encodeLayout(fields);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        let offset = 0;
        for (const field of fields) {
          if (field.type === 'flags' || field.type === 'bytes') throw new Error('unexpected');
          const [value, size] = readNumber(view, offset, field.type);
          const expected = field.type.startsWith('f') ? Math.fround(field.value) : field.value;
          expect(Object.is(value, expected) || value === expected).toBe(true);
          offset += size;
        }
        expect(offset).toBe(bytes.length);
      }),
    );
  });

  it('property: any number for any type is either encoded exactly or VALUE_OUT_OF_RANGE', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.double(), (type, value) => {
        let bytes: Uint8Array | undefined;
        try {
          bytes = encodeLayout([{ type, value }]);
        } catch (err) {
          expect((err as { code?: string }).code).toBe('VALUE_OUT_OF_RANGE');
          return;
        }
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const [decoded] = readNumber(view, 0, type);
        const expected = type.startsWith('f') ? Math.fround(value) : value;
        expect(decoded === expected || Object.is(decoded, expected)).toBe(true);
      }),
    );
  });

  it('property: anything as fields gives the bytes of each field in turn, or a DownlinkError', () => {
    fc.assert(
      fc.property(fc.array(fc.anything()), (fields) => {
        const bytes = valueOrDownlinkError(() => encodeLayout(fields as LayoutField[]));
        if (bytes === undefined) return;
        const each = (fields as LayoutField[]).flatMap((field) => [...encodeLayout([field])]);
        expect([...bytes]).toEqual(each);
      }),
    );
  });
});
