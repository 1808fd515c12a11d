// e2e consumer (a): plain Node.js CommonJS (require), as a team would write it after
// `npm install @dx/core-client @dx/downlink-helpers`. The runner sets DX_BASE_URL and
// DX_TOKEN_URL (its DX mock), reads the `E2E_RESULT {...}` line and checks what the mock saw.
'use strict';
const { createDxClient } = require('@dx/core-client');
const { sendDownlink, encodeCayenneLpp, DownlinkError } = require('@dx/downlink-helpers');

async function main() {
  const client = createDxClient({
    baseUrl: process.env.DX_BASE_URL,
    auth: { clientId: 'tenant/login', clientSecret: 'secret', tokenUrl: process.env.DX_TOKEN_URL },
  });
  // Cayenne LPP: channel 3, temperature 27.2 °C -> 03 67 01 10.
  const payload = encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]);
  // Misuse is refused locally with a DownlinkError, before anything is sent: FPort 0 is for MAC commands.
  const refused = await sendDownlink(client, {
    device: '0018B20000000B20',
    payload,
    fPort: 0,
  }).then(
    () => false,
    (err) => err instanceof DownlinkError || Promise.reject(err),
  );
  if (!refused) throw new Error('sendDownlink accepted fPort 0');
  const result = await sendDownlink(client, {
    device: '0018B20000000B20',
    payload,
    fPort: 2,
    confirm: true,
  });
  console.log(`E2E_RESULT ${JSON.stringify(result)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
