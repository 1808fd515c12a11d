// e2e consumer (c): strict TypeScript, module/moduleResolution node16 (package "type": "module"),
// compiled by tsc and run by Node. The runner sets DX_BASE_URL and DX_TOKEN_URL (its DX mock),
// reads the `E2E_RESULT {...}` line and checks what the mock saw.
import { createDxClient } from '@dx/core-client';
import { sendDownlink, encodeCayenneLpp, DownlinkError } from '@dx/downlink-helpers';

const baseUrl = process.env['DX_BASE_URL'];
const tokenUrl = process.env['DX_TOKEN_URL'];
if (!baseUrl || !tokenUrl) throw new Error('DX_BASE_URL and DX_TOKEN_URL must be set');

const client = createDxClient({
  baseUrl,
  auth: { clientId: 'tenant/login', clientSecret: 'secret', tokenUrl },
});
// Cayenne LPP: channel 3, temperature 27.2 °C -> 03 67 01 10.
const payload = encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]);
// Misuse types cannot catch is refused at run time with a DownlinkError, before anything is
// sent: FPort 0 is for MAC commands only.
const refused = await sendDownlink(client, { device: '0018B20000000B20', payload, fPort: 0 }).then(
  () => false,
  (err: unknown) => err instanceof DownlinkError || Promise.reject(err),
);
if (!refused) throw new Error('sendDownlink accepted fPort 0');
const result = await sendDownlink(client, {
  device: '0018B20000000B20',
  payload,
  fPort: 2,
  confirm: true,
});
console.log(`E2E_RESULT ${JSON.stringify(result)}`);
