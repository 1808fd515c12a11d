/**
 * Issue 12, item 8: what a successful call resolves to, in types (checked by `pnpm typecheck`,
 * which compiles this file) and at run time (the built package against a real server).
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createDxClient, ResponseParseError, type DownlinkMessageResponse } from '@dx/core-client';
import { useTestServers } from '../../../scripts/test-support/http-server.js';

const serve = useTestServers();

describe('8. DownlinkMessageResponse', () => {
  // Type-level only: `pnpm typecheck` fails when the generated type changes.
  it('types status as a required string', () => {
    expectTypeOf<Pick<DownlinkMessageResponse, 'status'>>().toEqualTypeOf<{ status: string }>();
    // @ts-expect-error status is a string, not a number
    expectTypeOf<DownlinkMessageResponse['status']>().toEqualTypeOf<number>();
  });

  for (const body of ['', 'null', '"QUEUED"', '42', '[]', 'true']) {
    it(`a 200 whose body is ${JSON.stringify(body)} is refused as accepted, not resolved`, async () => {
      const dx = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
      });
      const client = createDxClient({ baseUrl: dx.url, auth: { token: 't' } });
      const call = client.downlink.sendDownlinkMessage({
        device: 'd',
        requestBody: { payloadHex: '01', targetPorts: '1' },
      });
      const error = await call.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ResponseParseError);
      expect((error as ResponseParseError).message).toMatch(/accepted/);
      expect(dx.requests).toHaveLength(1);
    });
  }
});
