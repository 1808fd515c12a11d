import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as helpers from '../src/index.js';
import { DownlinkError } from '../src/index.js';
import { expectDownlinkError } from './helpers.js';

/**
 * Issue 12, item 11: wrong-typed options and non-object options arguments are a DownlinkError
 * naming the option, never a plain TypeError, and the README's promise that every function
 * throws DownlinkError and nothing else holds for any argument values.
 */

/** Every function the package exports; a new export must be added here to be covered. */
const FUNCTIONS = [
  'base64ToBytes',
  'buildDownlinkMessage',
  'buildDownlinkRequest',
  'bytesToBase64',
  'bytesToHex',
  'checkPayloadSize',
  'createMemoryJournal',
  'encodeCayenneLpp',
  'encodeLayout',
  'encodeWithCodec',
  'hexToBytes',
  'maxPayloadSize',
  'normalizeDevEui',
  'normalizeDevice',
  'payloadToBytes',
  'sendDownlink',
  'sendDownlinks',
  'textToBytes',
  'timeOnAir',
  'toByteArray',
  'validateFPort',
] as const;

type Fn = (...args: unknown[]) => unknown;
const fn = (name: string): Fn => (helpers as unknown as Record<string, Fn>)[name] as Fn;

/** Whatever `call` does, it returns (or resolves), or throws (or rejects) a DownlinkError. */
async function onlyDownlinkErrors(call: () => unknown): Promise<void> {
  let thrown: unknown;
  try {
    const result = await call();
    // A fleet run does its work while iterated: drain it, so its errors are seen too.
    if (typeof (result as AsyncIterable<unknown> | null)?.[Symbol.asyncIterator] === 'function') {
      for await (const _ of result as AsyncIterable<unknown>);
    }
    return;
  } catch (error) {
    thrown = error;
  }
  if (!(thrown instanceof DownlinkError)) {
    throw new Error(`threw ${String((thrown as Error)?.name)}: ${String(thrown)}`, {
      cause: thrown,
    });
  }
  expect(thrown.message.startsWith(`${thrown.field}: `)).toBe(true);
}

/** A client that accepts anything, so that valid input resolves without a network. */
const stubClient = {
  downlink: {
    sendDownlinkMessage: () =>
      Object.assign(Promise.resolve({ status: 'QUEUED' }), { cancel() {} }),
  },
};

/** Every option and field name the package reads, so that hostile objects hit real keys. */
const KEYS = [
  'field',
  'allowTestPort',
  'dwellTime',
  'repeaterCompatible',
  'region',
  'dataRate',
  'fPort',
  'payload',
  'securityParams',
  'asId',
  'asKey',
  'device',
  'confirm',
  'flushQueue',
  'hex',
  'base64',
  'text',
  'payloadBytes',
  'spreadingFactor',
  'bandwidthHz',
  'codingRate',
  'preambleSymbols',
  'crc',
  'explicitHeader',
  'lowDataRateOptimize',
  'type',
  'value',
  'name',
  'channel',
  'bits',
  'bit',
  'width',
  'length',
  'bytes',
  'warnings',
  'errors',
  'x',
  'y',
  'z',
  'latitude',
  'longitude',
  'altitude',
];

const strings = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom(...'0aF9 \t\r\n-:.x=+/_~'.split('')) }),
  fc.constantFrom(
    '',
    ' ',
    '\r\n',
    'a\r\nb',
    '\uD800',
    'x\uDC00y',
    'true',
    'yes',
    '.',
    '..',
    'EU868',
    'AS923',
    'DR5',
    'temperature',
    'u16be',
    'flags',
    '0018B20000000B2',
    '00'.repeat(243),
  ),
);
const numbers = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(Number.NaN, -0, Infinity, -Infinity, 1e308, 2 ** 53, 2 ** 32, 0, 1, 2, 224, 256),
);
const primitives = fc.oneof(
  fc.constantFrom(null, undefined, true, false, Symbol('s'), 10n),
  numbers,
  strings,
);
const { value: hostile } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitives,
    tie('record'),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.constantFrom(new Uint8Array(300), Object.create(null) as object, stubClient),
    fc.anything({
      withNullPrototype: true,
      withBigInt: true,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withTypedArray: true,
      withSparseArray: true,
      withDate: true,
    }),
  ),
  record: fc.dictionary(fc.constantFrom(...KEYS), tie('value'), { maxKeys: 6 }),
}));

describe('hostile input', () => {
  it('the list above is every exported function', () => {
    const exported = Object.entries(helpers)
      .filter(([name, value]) => typeof value === 'function' && name !== 'DownlinkError')
      .map(([name]) => name)
      .sort();
    expect(exported).toEqual([...FUNCTIONS]);
  });

  it('property: every function throws DownlinkError or nothing, whatever the arguments', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FUNCTIONS),
        fc.array(hostile, { maxLength: 4 }),
        async (name, args) => {
          await onlyDownlinkErrors(() => fn(name)(...args));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('property: the same with a valid first argument, so that the options are reached', async () => {
    const first: Record<string, unknown> = {
      base64ToBytes: 'AQI=',
      buildDownlinkMessage: { payload: [1], fPort: 1 },
      buildDownlinkRequest: { device: 'cafe-01', payload: [1], fPort: 1 },
      bytesToBase64: [1, 2],
      bytesToHex: [1, 2],
      checkPayloadSize: 10,
      encodeCayenneLpp: [{ channel: 1, type: 'temperature', value: 1 }],
      encodeLayout: [{ type: 'u8', value: 1 }],
      encodeWithCodec: { encodeDownlink: () => ({ bytes: [1], fPort: 1 }) },
      hexToBytes: '0102',
      maxPayloadSize: 'EU868',
      normalizeDevEui: '0018B20000000B20',
      normalizeDevice: 'cafe-01',
      payloadToBytes: { hex: '01' },
      sendDownlink: stubClient,
      sendDownlinks: stubClient,
      createMemoryJournal: undefined,
      textToBytes: 'on',
      timeOnAir: { payloadBytes: 13, spreadingFactor: 7 },
      toByteArray: [1, 2],
      validateFPort: 2,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...FUNCTIONS),
        fc.array(hostile, { maxLength: 3 }),
        async (name, rest) => {
          await onlyDownlinkErrors(() => fn(name)(first[name], ...rest));
        },
      ),
      { numRuns: 3000 },
    );
  });

  // The cases the issue names, as regression tests with their exact fields.
  it.each([
    ['hexToBytes', ['01']],
    ['bytesToHex', [[1]]],
    ['base64ToBytes', ['AQ==']],
    ['bytesToBase64', [[1]]],
    ['textToBytes', ['on']],
    ['normalizeDevEui', ['0018B20000000B20']],
    ['normalizeDevice', ['cafe-01']],
    ['validateFPort', [2]],
    ['maxPayloadSize', ['EU868', 0]],
    ['checkPayloadSize', [1]],
    ['encodeWithCodec', [{ encodeDownlink: () => ({ bytes: [1], fPort: 1 }) }, {}]],
  ])('%s refuses null options with a DownlinkError naming options', (name, args) => {
    const error = expectDownlinkError(() => fn(name)(...args, null), 'INVALID_ARGUMENT', 'options');
    expect(error.message).toBe('options: expected an object, got null');
    expectDownlinkError(() => fn(name)(...args, 42), 'INVALID_ARGUMENT', 'options');
    expectDownlinkError(() => fn(name)(...args, 'x'), 'INVALID_ARGUMENT', 'options');
  });

  it.each([
    [{ dwellTime: 'true' }, 'dwellTime'],
    [{ repeaterCompatible: 'yes' }, 'repeaterCompatible'],
    [{ dwellTime: 1, region: 'AS923', dataRate: 2 }, 'dwellTime'],
    [{ repeaterCompatible: 'yes', region: 'EU868', dataRate: 5 }, 'repeaterCompatible'],
    [{ allowTestPort: 'yes', fPort: 224 }, 'allowTestPort'],
  ])('buildDownlinkMessage refuses wrong-typed %j', (override, field) => {
    const error = expectDownlinkError(() => buildWith(override), 'INVALID_ARGUMENT', field);
    expect(error.message).toMatch(new RegExp(`^${field}: expected a boolean, got `));
  });

  it('maxPayloadSize and validateFPort name the wrong-typed option', () => {
    expectDownlinkError(
      () => helpers.maxPayloadSize('AS923', 2, { dwellTime: 'true' as never }),
      'INVALID_ARGUMENT',
      'dwellTime',
    );
    expectDownlinkError(
      () => helpers.maxPayloadSize('EU868', 5, { repeaterCompatible: 'yes' as never }),
      'INVALID_ARGUMENT',
      'repeaterCompatible',
    );
    expectDownlinkError(
      () => helpers.validateFPort(224, { allowTestPort: 'yes' as never }),
      'INVALID_ARGUMENT',
      'allowTestPort',
    );
  });

  it.each([42, '', null, Symbol('s'), {}])(
    'the field option must be a non-empty string: %s',
    (field) => {
      for (const call of [
        () => helpers.hexToBytes('0g', { field } as never),
        () => helpers.base64ToBytes('*', { field } as never),
        () => helpers.textToBytes('\uD800', { field } as never),
        () => helpers.normalizeDevEui('x', { field } as never),
        () => helpers.normalizeDevice('..', { field } as never),
        () => helpers.validateFPort(0, { field } as never),
        () => helpers.toByteArray([300], field as never),
        () => helpers.payloadToBytes('x' as never, field as never),
        () => helpers.checkPayloadSize(300, {}, field as never),
      ]) {
        expectDownlinkError(call, 'INVALID_ARGUMENT', 'field');
      }
    },
  );

  it.each([
    [Symbol('s'), 'INVALID_ARGUMENT'],
    [Object.create(null), 'INVALID_ARGUMENT'],
    ['300', 'INVALID_ARGUMENT'],
    [-1, 'VALUE_OUT_OF_RANGE'],
    [1.5, 'VALUE_OUT_OF_RANGE'],
    [Number.NaN, 'VALUE_OUT_OF_RANGE'],
  ])('checkPayloadSize refuses a size that is not a byte count: %s', (size, code) => {
    expectDownlinkError(() => helpers.checkPayloadSize(size as never, {}), code as never, 'size');
  });
});

function buildWith(override: Record<string, unknown>): unknown {
  return helpers.buildDownlinkMessage({ payload: [1], fPort: 2, ...override } as never);
}
