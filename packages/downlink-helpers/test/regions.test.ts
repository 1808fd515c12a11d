import { describe, expect, it } from 'vitest';
import { maxPayloadSize, type Region } from '../src/index.js';
import { expectDownlinkError } from './helpers.js';

/** The RP002 table of domain.md, one row per region, index = data rate, null = not allowed. */
const TABLE: Record<string, (number | null | undefined)[]> = {
  // DR8..DR11 are LR-FHSS, uplink only (issue 12, item 13): no downlink size.
  EU868: [51, 51, 51, 115, 242, 242, 242, 242],
  EU433: [51, 51, 51, 115, 242, 242, 242, 242],
  RU864: [51, 51, 51, 115, 242, 242, 242, 242],
  IN865: [51, 51, 51, 115, 242, 242, undefined, 242],
  KR920: [51, 51, 51, 115, 242, 242],
  AS923: [51, 51, 115, 115, 242, 242, 242, 242],
  US915: [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    53,
    129,
    242,
    242,
    242,
    242,
  ],
  AU915: [
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    undefined,
    53,
    129,
    242,
    242,
    242,
    242,
  ],
  CN470: [null, 23, 86, 184, 242, 242, 242, 242],
};
const DWELL = [null, null, 11, 53, 125, 242, 242, 242];

describe('maxPayloadSize', () => {
  for (const [region, sizes] of Object.entries(TABLE)) {
    it(`matches the table for ${region}`, () => {
      for (let dr = 0; dr < 16; dr++) {
        const size = sizes[dr];
        if (typeof size === 'number') {
          expect(maxPayloadSize(region as Region, dr)).toBe(size);
          expect(maxPayloadSize(region as Region, `DR${dr}`)).toBe(size);
          expect(maxPayloadSize(region as Region, dr, { repeaterCompatible: true })).toBe(
            size === 242 ? 222 : size,
          );
        } else {
          const error = expectDownlinkError(
            () => maxPayloadSize(region as Region, dr),
            'UNKNOWN_DATA_RATE',
            'dataRate',
          );
          expect(error.message).toContain(
            size === null ? 'not allowed' : 'not a downlink data rate',
          );
        }
      }
    });
  }

  it('matches the AS923 400 ms dwell-time row', () => {
    DWELL.forEach((size, dr) => {
      if (size === null) {
        expectDownlinkError(
          () => maxPayloadSize('AS923', dr, { dwellTime: true }),
          'UNKNOWN_DATA_RATE',
          'dataRate',
        );
      } else {
        expect(maxPayloadSize('AS923', dr, { dwellTime: true })).toBe(size);
        expect(maxPayloadSize('AS923', dr, { dwellTime: true, repeaterCompatible: true })).toBe(
          size === 242 ? 222 : size,
        );
      }
    });
  });

  it('samples from the spec', () => {
    expect(maxPayloadSize('EU868', 0)).toBe(51);
    expect(maxPayloadSize('EU868', 5, { repeaterCompatible: true })).toBe(222);
    expect(maxPayloadSize('US915', 'DR8')).toBe(53);
    expect(maxPayloadSize('AS923', 2, { dwellTime: true })).toBe(11);
    expect(maxPayloadSize('eu868' as Region, 3)).toBe(115);
  });

  it.each(['EU863', 'AS923-1', '', 'US902'])('rejects unknown region %j', (region) => {
    const error = expectDownlinkError(
      () => maxPayloadSize(region as Region, 0),
      'UNKNOWN_REGION',
      'region',
    );
    expect(error.message).toContain('EU868');
  });

  it.each([null, undefined, 868, {}])('rejects non-string region %s', (region) => {
    expectDownlinkError(() => maxPayloadSize(region as never, 0), 'UNKNOWN_REGION', 'region');
  });

  it.each([-1, 16, 1.5, Number.NaN, 'DR', 'DR-1', 'SF7BW125', '5', null, undefined, {}])(
    'rejects data rate %s',
    (dr) => {
      expectDownlinkError(
        () => maxPayloadSize('EU868', dr as never),
        'UNKNOWN_DATA_RATE',
        'dataRate',
      );
    },
  );

  it.each([
    [
      'EU863',
      0,
      {},
      'UNKNOWN_REGION',
      'region',
      'region: "EU863" is not one of EU868, US915, AU915, AS923, IN865, KR920, CN470, EU433, RU864',
    ],
    [
      'US915',
      0,
      {},
      'UNKNOWN_DATA_RATE',
      'dataRate',
      'dataRate: DR0 is not a downlink data rate in US915 (uplink only)',
    ],
    [
      'CN470',
      'DR0',
      {},
      'UNKNOWN_DATA_RATE',
      'dataRate',
      'dataRate: "DR0" is not allowed in CN470',
    ],
    [
      'as923',
      1,
      { dwellTime: true },
      'UNKNOWN_DATA_RATE',
      'dataRate',
      'dataRate: DR1 is not allowed in AS923 with dwell time',
    ],
    [
      'EU868',
      'SF7BW125',
      {},
      'UNKNOWN_DATA_RATE',
      'dataRate',
      'dataRate: "SF7BW125" is not a downlink data rate in EU868',
    ],
    [
      'EU868',
      1.5,
      {},
      'UNKNOWN_DATA_RATE',
      'dataRate',
      'dataRate: DR1.5 is not a downlink data rate in EU868',
    ],
    [
      'EU868',
      null,
      {},
      'UNKNOWN_DATA_RATE',
      'dataRate',
      'dataRate: null is not a downlink data rate in EU868',
    ],
    [
      'EU868',
      0,
      { dwellTime: true },
      'INVALID_ARGUMENT',
      'dwellTime',
      'dwellTime: applies to AS923 only',
    ],
  ])('words the refusal of %s %s %j', (region, dr, options, code, field, message) => {
    const error = expectDownlinkError(
      () => maxPayloadSize(region as Region, dr as never, options),
      code as never,
      field,
    );
    expect(error.message).toBe(message);
  });

  // Issue 12, item 13: uplink-only data rates are refused for downlinks, saying why.
  it.each([
    ['EU868', 8, 'dataRate: DR8 is not a downlink data rate in EU868 (LR-FHSS, uplink only)'],
    ['EU868', 9, 'dataRate: DR9 is not a downlink data rate in EU868 (LR-FHSS, uplink only)'],
    [
      'EU868',
      'DR10',
      'dataRate: "DR10" is not a downlink data rate in EU868 (LR-FHSS, uplink only)',
    ],
    ['EU868', 11, 'dataRate: DR11 is not a downlink data rate in EU868 (LR-FHSS, uplink only)'],
    ['US915', 7, 'dataRate: DR7 is not a downlink data rate in US915 (uplink only)'],
    ['AU915', 6, 'dataRate: DR6 is not a downlink data rate in AU915 (uplink only)'],
    ['AU915', 0, 'dataRate: DR0 is not a downlink data rate in AU915 (uplink only)'],
    ['EU868', 12, 'dataRate: DR12 is not a downlink data rate in EU868'],
  ])('refuses uplink-only %s %s', (region, dr, message) => {
    const error = expectDownlinkError(
      () => maxPayloadSize(region as Region, dr as never),
      'UNKNOWN_DATA_RATE',
      'dataRate',
    );
    expect(error.message).toBe(message);
  });

  it('refuses dwellTime outside AS923', () => {
    expectDownlinkError(
      () => maxPayloadSize('EU868', 0, { dwellTime: true }),
      'INVALID_ARGUMENT',
      'dwellTime',
    );
  });
});
