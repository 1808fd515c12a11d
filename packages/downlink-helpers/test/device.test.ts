import fc from 'fast-check';
import { createDxClient } from '@dx/core-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DownlinkError, normalizeDevEui, normalizeDevice, sendDownlink } from '../src/index.js';
import { json, startServer, type TestServer } from '../../../scripts/test-support/http-server.js';
import { expectDownlinkError } from './helpers.js';

/**
 * Issue 12, item 12: one rule for the `device` path parameter ("ref or DevEUI"), the same in
 * normalizeDevice, sendDownlink and (for the DevEUI part) normalizeDevEui.
 */

const ACCEPTED: [string, string][] = [
  // DevEUIs, in the spellings people paste: sent as 16 upper-case digits.
  ['0018B20000000B20', '0018B20000000B20'],
  ['0018b20000000b20', '0018B20000000B20'],
  ['00-18-B2-00-00-00-0B-20', '0018B20000000B20'],
  ['00:18:b2:00:00:00:0b:20', '0018B20000000B20'],
  ['00 18 B2 00 00 00 0B 20', '0018B20000000B20'],
  ['0018:B200:0000:0B20', '0018B20000000B20'],
  [' 0018B20000000B20\t', '0018B20000000B20'],
  ['0018B20000000B20\r\n', '0018B20000000B20'],
  // Refs: sent unchanged (surrounding whitespace aside).
  ['cafe-01', 'cafe-01'],
  ['ref-42.a', 'ref-42.a'],
  ['1234', '1234'],
  ['deadbeef', 'deadbeef'],
  ['550e8400-e29b-41d4-a716-446655440000', '550e8400-e29b-41d4-a716-446655440000'],
  ['  ref_42~x \n', 'ref_42~x'],
  ['...', '...'],
  ['r'.repeat(128), 'r'.repeat(128)],
];

const REFUSED: [unknown, string, string][] = [
  [
    '0018B20000000B2',
    'INVALID_DEVEUI',
    'device: looks like a DevEUI with a typo: 15 hex digits, a DevEUI has 16',
  ],
  [
    '0018B20000000B200',
    'INVALID_DEVEUI',
    'device: looks like a DevEUI with a typo: 17 hex digits, a DevEUI has 16',
  ],
  [
    '00-18-B2-00-00-00-0B-2',
    'INVALID_DEVEUI',
    'device: looks like a DevEUI with a typo: 15 hex digits, a DevEUI has 16',
  ],
  [
    '0018:B200',
    'INVALID_DEVEUI',
    'device: looks like a DevEUI with a typo: 8 hex digits, a DevEUI has 16',
  ],
  ['00--18B20000000B20', 'INVALID_DEVEUI', 'device: unexpected "-" at position 3'],
  [' 00--18B20000000B20', 'INVALID_DEVEUI', 'device: unexpected "-" at position 4'],
  [
    '.',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref, got "." (a dot segment would change the request path)',
  ],
  [
    '..',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref, got ".." (a dot segment would change the request path)',
  ],
  [
    ' .. ',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref, got ".." (a dot segment would change the request path)',
  ],
  [
    '',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got ""',
  ],
  [
    ' \t',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got ""',
  ],
  [
    'a/../x',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got "a/../x"',
  ],
  [
    'ref 42',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got "ref 42"',
  ],
  [
    'ref\r\n42',
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got "ref\\r\\n42"',
  ],
  [
    'r'.repeat(129),
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got 129 characters',
  ],
  [
    42,
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got number',
  ],
  [
    null,
    'INVALID_DEVICE',
    'device: expected a DevEUI or a device ref (1..128 letters, digits, . _ ~ -), got null',
  ],
];

const UNRESERVED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~';
const BLANKS = fc.constantFrom('', ' ', '\t', '\r\n', '\n', ' \t ');

/** 8 bytes written as people paste a DevEUI: case, one separator, groups of 2 or 4 digits. */
const devEuiSpelling = fc
  .tuple(
    fc.uint8Array({ minLength: 8, maxLength: 8 }),
    fc.constantFrom('', '-', ':', ' '),
    fc.constantFrom(2, 4),
    fc.boolean(),
    BLANKS,
    BLANKS,
  )
  .map(([bytes, separator, group, lower, before, after]) => {
    const hex = Buffer.from(bytes).toString('hex').toUpperCase();
    const groups = hex.match(new RegExp(`.{${group}}`, 'g')) ?? [];
    const text = groups.join(separator);
    return { input: before + (lower ? text.toLowerCase() : text) + after, expected: hex };
  });

/** Hex digits and dashes with a digit count that reads as a DevEUI typo (12..20, not 16). */
const devEuiTypo = fc
  .tuple(
    fc.integer({ min: 12, max: 20 }).filter((n) => n !== 16),
    fc.boolean(),
  )
  .chain(([count, dashed]) =>
    fc
      .string({
        unit: fc.constantFrom(...'0123456789abcdefABCDEF'),
        minLength: count,
        maxLength: count,
      })
      .map((digits) => ({ count, input: dashed ? digits.replace(/(..)(?=.)/g, '$1-') : digits })),
  );

/** How many hex digits a string of only hex digits and dashes has, else -1. */
function hexDigitCount(text: string): number {
  return /^[\da-f-]*$/i.test(text) ? text.replace(/-/g, '').length : -1;
}

describe('normalizeDevice', () => {
  it.each(ACCEPTED)('accepts %j as %j', (input, expected) => {
    expect(normalizeDevice(input)).toBe(expected);
  });

  it.each(REFUSED)('refuses %j', (input, code, message) => {
    const error = expectDownlinkError(
      () => normalizeDevice(input as string),
      code as never,
      'device',
    );
    expect(error.message).toBe(message);
  });

  it('names the field given in options', () => {
    expectDownlinkError(
      () => normalizeDevice('.', { field: 'devices[3]' }),
      'INVALID_DEVICE',
      'devices[3]',
    );
  });

  it('property: any DevEUI spelling gives the 16 digits, as normalizeDevEui does', () => {
    fc.assert(
      fc.property(devEuiSpelling, ({ input, expected }) => {
        expect(normalizeDevice(input)).toBe(expected);
        expect(normalizeDevEui(input)).toBe(expected);
      }),
    );
  });

  it('property: a ref is kept as it is, surrounding whitespace aside', () => {
    const ref = fc
      .string({ unit: fc.constantFrom(...UNRESERVED), minLength: 1, maxLength: 128 })
      .filter((s) => s !== '.' && s !== '..')
      .filter((s) => {
        const digits = hexDigitCount(s);
        return digits < 12 || digits > 20;
      });
    fc.assert(
      fc.property(ref, BLANKS, BLANKS, (input, before, after) => {
        expect(normalizeDevice(before + input + after)).toBe(input);
      }),
    );
  });

  it('property: hex digits one or a few short or long of 16 are refused as a DevEUI typo', () => {
    fc.assert(
      fc.property(devEuiTypo, ({ count, input }) => {
        const error = expectDownlinkError(() => normalizeDevice(input), 'INVALID_DEVEUI', 'device');
        expect(error.message).toContain(`${count} hex digits, a DevEUI has 16`);
      }),
    );
  });

  it('property: anything gives one safe path segment, idempotently, or a DownlinkError', () => {
    const anything = fc.oneof(
      fc.string(),
      fc.string({ unit: fc.constantFrom(...`${UNRESERVED} :\t\r\n/%?#`) }),
      devEuiSpelling.map((d) => d.input),
      fc.anything(),
    );
    fc.assert(
      fc.property(anything, (input) => {
        let result: string;
        try {
          result = normalizeDevice(input as string);
        } catch (error) {
          expect(error).toBeInstanceOf(DownlinkError);
          expect(['INVALID_DEVICE', 'INVALID_DEVEUI']).toContain((error as DownlinkError).code);
          return;
        }
        expect(result).toMatch(/^[\w.~-]{1,128}$/);
        expect(['.', '..']).not.toContain(result);
        expect(normalizeDevice(result)).toBe(result);
      }),
    );
  });
});

describe('sendDownlink applies the device rule before sending', () => {
  let dx: TestServer;
  let tokens: TestServer;
  let client: ReturnType<typeof createDxClient>;

  beforeAll(async () => {
    tokens = await startServer((_req, res) =>
      json(res, 200, { access_token: 'tok', expires_in: 3600 }),
    );
    dx = await startServer((_req, res) => json(res, 200, { status: 'QUEUED' }));
    client = createDxClient({
      baseUrl: `${dx.url}/core/latest/api`,
      auth: { clientId: 'tpk/login', clientSecret: 'secret', tokenUrl: tokens.url },
      retry: false,
    });
  });

  afterAll(async () => {
    await Promise.all([dx.close(), tokens.close()]);
  });

  const send = (device: unknown) =>
    sendDownlink(client, { device: device as string, payload: [1], fPort: 2 });

  it.each(ACCEPTED)('sends %j as /devices/%s/', async (input, expected) => {
    const before = dx.requests.length;
    await send(input);
    expect(dx.requests).toHaveLength(before + 1);
    expect(dx.requests.at(-1)?.url).toBe(`/core/latest/api/devices/${expected}/downlinkMessages`);
  });

  it.each(REFUSED)('refuses %j without a request', async (input, code, message) => {
    const before = dx.requests.length;
    const error = await send(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownlinkError);
    expect((error as DownlinkError).code).toBe(code);
    expect((error as DownlinkError).message).toBe(message);
    expect(dx.requests).toHaveLength(before);
  });

  it('property: a DevEUI in any spelling reaches the server as its 16 digits', async () => {
    await fc.assert(
      fc.asyncProperty(devEuiSpelling, async ({ input, expected }) => {
        await send(input);
        expect(dx.requests.at(-1)?.url).toBe(
          `/core/latest/api/devices/${expected}/downlinkMessages`,
        );
      }),
      { numRuns: 25 },
    );
  });
});
