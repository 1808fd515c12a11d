import { createDxClient } from '@dx/core-client';
import { describe, expect, it } from 'vitest';
import {
  DownlinkError,
  buildDownlinkMessage,
  checkPayloadSize,
  encodeWithCodec,
  MAX_PAYLOAD_SIZE,
  sendDownlink,
} from '../src/index.js';
import { json, useTestServers } from '../../../scripts/test-support/http-server.js';
import { expectDownlinkError } from './helpers.js';

/**
 * Issue 12, item 10: no LoRaWAN region allows more than 242 bytes of application payload, so
 * more is refused always, also when no region is given.
 */
const CAP_MESSAGE = (size: number) =>
  `payload: ${size} bytes exceed the limit of 242 (the largest any LoRaWAN region allows)`;

describe('the 242-byte cap without a region', () => {
  it('is the exported MAX_PAYLOAD_SIZE, the largest limit of any region and data rate', () => {
    expect(MAX_PAYLOAD_SIZE).toBe(242);
    expect(() => checkPayloadSize(MAX_PAYLOAD_SIZE)).not.toThrow();
    expect(() => checkPayloadSize(MAX_PAYLOAD_SIZE + 1)).toThrow(CAP_MESSAGE(243));
  });

  it('buildDownlinkMessage accepts 242 bytes and refuses 243, naming both numbers', () => {
    expect(buildDownlinkMessage({ payload: new Uint8Array(242), fPort: 1 }).payloadHex).toBe(
      '00'.repeat(242),
    );
    for (const size of [243, 1000, 1024 * 1024]) {
      const error = expectDownlinkError(
        () => buildDownlinkMessage({ payload: new Uint8Array(size), fPort: 1 }),
        'PAYLOAD_TOO_LARGE',
        'payload',
      );
      expect(error.message).toBe(CAP_MESSAGE(size));
    }
  });

  it('applies to every payload form', () => {
    for (const payload of [
      { hex: '00'.repeat(243) },
      { base64: Buffer.alloc(243).toString('base64') },
      { text: 'x'.repeat(243) },
      new Array<number>(243).fill(7),
    ]) {
      expectDownlinkError(
        () => buildDownlinkMessage({ payload, fPort: 1 }),
        'PAYLOAD_TOO_LARGE',
        'payload',
      );
    }
  });

  it('checkPayloadSize refuses 243 with no options, and keeps the region limit with one', () => {
    expect(() => checkPayloadSize(242, {})).not.toThrow();
    expect(expectDownlinkError(() => checkPayloadSize(243, {}), 'PAYLOAD_TOO_LARGE').message).toBe(
      CAP_MESSAGE(243),
    );
    const regional = expectDownlinkError(
      () => checkPayloadSize(243, { region: 'EU868', dataRate: 5 }),
      'PAYLOAD_TOO_LARGE',
    );
    expect(regional.message).toBe('payload: 243 bytes exceed the limit of 242');
  });

  it('encodeWithCodec refuses a codec that returns more than 242 bytes', () => {
    const codec = { encodeDownlink: () => ({ bytes: new Array<number>(300).fill(1), fPort: 2 }) };
    expect(
      expectDownlinkError(() => encodeWithCodec(codec, {}), 'PAYLOAD_TOO_LARGE', 'payload').message,
    ).toBe(CAP_MESSAGE(300));
  });

  const serve = useTestServers();

  it('sendDownlink sends nothing for a 1 MiB payload', async () => {
    const tokens = await serve((_req, res) =>
      json(res, 200, { access_token: 'tok', expires_in: 3600 }),
    );
    const dx = await serve((_req, res) => json(res, 200, { status: 'QUEUED' }));
    const client = createDxClient({
      baseUrl: `${dx.url}/core/latest/api`,
      auth: { clientId: 'tpk/login', clientSecret: 'secret', tokenUrl: tokens.url },
      retry: false,
    });
    const error = await sendDownlink(client, {
      device: '0018B20000000B20',
      payload: new Uint8Array(1024 * 1024),
      fPort: 2,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownlinkError);
    expect((error as DownlinkError).message).toBe(CAP_MESSAGE(1024 * 1024));
    expect(dx.requests).toHaveLength(0);
    expect(tokens.requests).toHaveLength(0);
  });
});
