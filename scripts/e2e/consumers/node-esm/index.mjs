// e2e consumer (a): plain Node.js ESM, as a team would write it after
// `npm install @dx/core-client @dx/downlink-helpers`.
// The runner sets DX_BASE_URL and DX_TOKEN_URL (the local DX mock) and reads the
// `E2E_RESULT {...}` line this prints; any thrown error exits non-zero.
import { createDxClient, ApiError } from '@dx/core-client';
import { sendDownlink, hexToBytes, encodeCayenneLpp, DownlinkError } from '@dx/downlink-helpers';

const baseUrl = process.env.DX_BASE_URL;
const tokenUrl = process.env.DX_TOKEN_URL;
if (!baseUrl || !tokenUrl) throw new Error('DX_BASE_URL and DX_TOKEN_URL must be set');

const client = createDxClient({
  baseUrl,
  auth: { clientId: 'tenant/login', clientSecret: 'secret', tokenUrl },
});

// Cayenne LPP: channel 3, temperature 27.2 °C -> 03 67 01 10.
const payload = encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]);
const expected = hexToBytes('03670110');
if (Array.from(payload).join(',') !== Array.from(expected).join(',')) {
  throw new Error(
    `encodeCayenneLpp gave [${Array.from(payload)}], expected [${Array.from(expected)}]`,
  );
}

// Misuse is refused locally with a DownlinkError, before anything is sent: FPort 0 is for MAC commands.
let refused = false;
try {
  await sendDownlink(client, { device: '0018B20000000B20', payload, fPort: 0 });
} catch (err) {
  if (!(err instanceof DownlinkError)) throw err;
  refused = true;
}
if (!refused) throw new Error('sendDownlink accepted fPort 0');

try {
  const result = await sendDownlink(client, {
    device: '0018B20000000B20',
    payload,
    fPort: 2,
    confirm: true,
  });
  if (result.status !== 'QUEUED')
    throw new Error(`expected status QUEUED, got ${JSON.stringify(result)}`);
  console.log(`E2E_RESULT ${JSON.stringify(result)}`);
} catch (err) {
  if (err instanceof ApiError)
    console.error(`DX answered ${err.status}: ${JSON.stringify(err.body)}`);
  throw err;
}
