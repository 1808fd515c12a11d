// Compile-time proof that the CommonJS entry's declarations (`require` condition ->
// dist/index.d.cts) resolve under node16 and carry the same public API. Never run.
import core = require('@dx/core-client');
import helpers = require('@dx/downlink-helpers');

export type CjsClient = ReturnType<typeof core.createDxClient>;

export function sendFromCjs(client: CjsClient): ReturnType<typeof helpers.sendDownlink> {
  return helpers.sendDownlink(client, {
    device: '0018B20000000B20',
    payload: helpers.encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]),
    fPort: 2,
    confirm: true,
  });
}

export function isKnownError(err: unknown): boolean {
  return err instanceof core.ApiError || err instanceof helpers.DownlinkError;
}
