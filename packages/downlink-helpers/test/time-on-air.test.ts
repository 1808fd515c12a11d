import { describe, expect, it } from 'vitest';
import { timeOnAir } from '../src/index.js';
import { expectDownlinkError } from './helpers.js';

describe('timeOnAir', () => {
  // domain.md: 125 kHz, CR 4/5, preamble 8; [PHY bytes, SF, CRC on, CRC off] in ms.
  it.each([
    [10, 7, 41.216, 36.096],
    [13, 7, 46.336, 41.216],
    [13, 9, 164.864, 144.384],
    [13, 12, 1155.072, 1155.072],
    [23, 7, 61.696, 56.576],
    [64, 12, 2793.472, 2793.472],
  ])('%i bytes at SF%i: %f ms with CRC, %f ms without', (payloadBytes, sf, crcOn, crcOff) => {
    expect(timeOnAir({ payloadBytes, spreadingFactor: sf, crc: true })).toBe(crcOn);
    expect(timeOnAir({ payloadBytes, spreadingFactor: sf, crc: false })).toBe(crcOff);
    expect(timeOnAir({ payloadBytes, spreadingFactor: sf })).toBe(crcOff);
  });

  it('scales with bandwidth (10 B SF7 CRC on)', () => {
    expect(
      timeOnAir({ payloadBytes: 10, spreadingFactor: 7, crc: true, bandwidthHz: 250000 }),
    ).toBe(20.608);
    expect(
      timeOnAir({ payloadBytes: 10, spreadingFactor: 7, crc: true, bandwidthHz: 500000 }),
    ).toBe(10.304);
  });

  it('switches low data rate optimisation on above 16 ms symbols, or as told', () => {
    const auto = timeOnAir({ payloadBytes: 13, spreadingFactor: 11 });
    expect(timeOnAir({ payloadBytes: 13, spreadingFactor: 11, lowDataRateOptimize: true })).toBe(
      auto,
    );
    expect(
      timeOnAir({ payloadBytes: 13, spreadingFactor: 11, lowDataRateOptimize: false }),
    ).toBeLessThan(auto);
    // SF10 at 125 kHz is 8.192 ms per symbol: no optimisation by default.
    expect(timeOnAir({ payloadBytes: 13, spreadingFactor: 10 })).toBe(
      timeOnAir({ payloadBytes: 13, spreadingFactor: 10, lowDataRateOptimize: false }),
    );
    // SF12 at 250 kHz is exactly 16.384 ms: above 16, so on.
    expect(timeOnAir({ payloadBytes: 13, spreadingFactor: 12, bandwidthHz: 250000 })).toBe(
      timeOnAir({
        payloadBytes: 13,
        spreadingFactor: 12,
        bandwidthHz: 250000,
        lowDataRateOptimize: true,
      }),
    );
  });

  it('honours coding rate, preamble and implicit header', () => {
    const base = { payloadBytes: 10, spreadingFactor: 7 };
    expect(timeOnAir({ ...base, codingRate: 4 })).toBeGreaterThan(timeOnAir(base));
    expect(timeOnAir({ ...base, preambleSymbols: 9 }) - timeOnAir(base)).toBeCloseTo(1.024, 9);
    // 13 B SF7 CRC off: 28 payload symbols with an explicit header, 23 without.
    expect(timeOnAir({ payloadBytes: 13, spreadingFactor: 7, explicitHeader: false })).toBe(36.096);
    expect(timeOnAir({ payloadBytes: 0, spreadingFactor: 12, explicitHeader: false })).toBe(
      ((8 + 4.25 + 8) * 4096) / 125,
    );
  });

  it.each([
    [{ payloadBytes: -1, spreadingFactor: 7 }, 'VALUE_OUT_OF_RANGE', 'payloadBytes'],
    [{ payloadBytes: 256, spreadingFactor: 7 }, 'VALUE_OUT_OF_RANGE', 'payloadBytes'],
    [{ payloadBytes: 1.5, spreadingFactor: 7 }, 'VALUE_OUT_OF_RANGE', 'payloadBytes'],
    [{ payloadBytes: '10', spreadingFactor: 7 }, 'INVALID_ARGUMENT', 'payloadBytes'],
    [{ spreadingFactor: 7 }, 'INVALID_ARGUMENT', 'payloadBytes'],
    [{ payloadBytes: 10, spreadingFactor: 4 }, 'VALUE_OUT_OF_RANGE', 'spreadingFactor'],
    [{ payloadBytes: 10, spreadingFactor: 13 }, 'VALUE_OUT_OF_RANGE', 'spreadingFactor'],
    [{ payloadBytes: 10, spreadingFactor: Number.NaN }, 'VALUE_OUT_OF_RANGE', 'spreadingFactor'],
    [{ payloadBytes: 10, spreadingFactor: 7, bandwidthHz: 0 }, 'VALUE_OUT_OF_RANGE', 'bandwidthHz'],
    [
      { payloadBytes: 10, spreadingFactor: 7, bandwidthHz: -125000 },
      'VALUE_OUT_OF_RANGE',
      'bandwidthHz',
    ],
    [
      { payloadBytes: 10, spreadingFactor: 7, bandwidthHz: Infinity },
      'VALUE_OUT_OF_RANGE',
      'bandwidthHz',
    ],
    [
      { payloadBytes: 10, spreadingFactor: 7, bandwidthHz: '125k' },
      'VALUE_OUT_OF_RANGE',
      'bandwidthHz',
    ],
    [{ payloadBytes: 10, spreadingFactor: 7, codingRate: 5 }, 'VALUE_OUT_OF_RANGE', 'codingRate'],
    [{ payloadBytes: 10, spreadingFactor: 7, codingRate: 0 }, 'VALUE_OUT_OF_RANGE', 'codingRate'],
    [
      { payloadBytes: 10, spreadingFactor: 7, preambleSymbols: -1 },
      'VALUE_OUT_OF_RANGE',
      'preambleSymbols',
    ],
    [{ payloadBytes: 10, spreadingFactor: 7, crc: 'yes' }, 'INVALID_ARGUMENT', 'crc'],
    [
      { payloadBytes: 10, spreadingFactor: 7, explicitHeader: 1 },
      'INVALID_ARGUMENT',
      'explicitHeader',
    ],
    [
      { payloadBytes: 10, spreadingFactor: 7, lowDataRateOptimize: null },
      'INVALID_ARGUMENT',
      'lowDataRateOptimize',
    ],
  ])('rejects %j', (params, code, field) => {
    expectDownlinkError(() => timeOnAir(params as never), code as never, field);
  });

  it.each([
    [{ payloadBytes: 256, spreadingFactor: 7 }, 'payloadBytes: 256 is not an integer in 0..255'],
    [{ payloadBytes: 10, spreadingFactor: 4 }, 'spreadingFactor: 4 is not an integer in 5..12'],
    [
      { payloadBytes: 10, spreadingFactor: 7, codingRate: 0.5 },
      'codingRate: 0.5 is not an integer in 1..4',
    ],
    [
      { payloadBytes: 10, spreadingFactor: 7, bandwidthHz: 0 },
      'bandwidthHz: 0 is not a positive number of hertz',
    ],
    [
      { payloadBytes: 10, spreadingFactor: 7, bandwidthHz: '125k' },
      'bandwidthHz: string is not a positive number of hertz',
    ],
  ])('words the refusal of %j', (params, message) => {
    let thrown: unknown;
    try {
      timeOnAir(params as never);
    } catch (err) {
      thrown = err;
    }
    expect((thrown as Error).message).toBe(message);
  });

  it('names the expected type of a wrong-typed parameter', () => {
    const error = expectDownlinkError(
      () => timeOnAir({ payloadBytes: 10, spreadingFactor: 7, crc: 'yes' } as never),
      'INVALID_ARGUMENT',
      'crc',
    );
    expect(error.message).toMatch(/^crc: .*a boolean.*string/);
  });

  it.each([null, undefined, 10])('rejects non-object params %s', (params) => {
    expectDownlinkError(() => timeOnAir(params as never), 'INVALID_ARGUMENT', 'params');
  });
});
