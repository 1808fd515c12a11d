// e2e consumer (b): strict TypeScript, module/moduleResolution node16 (package "type": "module"),
// compiled by tsc and run by Node: the ESM builds as `import` loads them, and the types of all
// three packages. As a team's test would after `npm install @dx/core-client @dx/downlink-helpers
// @dx/mock`, it starts its own DX mock with `startDxMock`, sends to it with the real client and
// prints `E2E_RESULT {"result":...,"requests":[...]}`; the runner checks the mock's records.
import { createDxClient } from '@dx/core-client';
import { sendDownlink, encodeCayenneLpp, DownlinkError } from '@dx/downlink-helpers';
import { startDxMock } from '@dx/mock';

const mock = await startDxMock({ clientId: 'tenant/login', clientSecret: 'secret' });
try {
  const client = createDxClient({
    baseUrl: mock.url,
    auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
  });
  // Cayenne LPP: channel 3, temperature 27.2 °C -> 03 67 01 10.
  const payload = encodeCayenneLpp([{ channel: 3, type: 'temperature', value: 27.2 }]);
  // Misuse types cannot catch is refused at run time with a DownlinkError, before anything is
  // sent: FPort 0 is for MAC commands only.
  const refused = await sendDownlink(client, {
    device: '0018B20000000B20',
    payload,
    fPort: 0,
  }).then(
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

  // What a team's test asserts: the mock queued exactly this downlink.
  const [queued, ...more] = mock.downlinks;
  if (!queued || more.length > 0 || queued.fPort !== 2 || !queued.confirm) {
    throw new Error(`the mock queued ${JSON.stringify(mock.downlinks)}`);
  }
  if (queued.bytes.join() !== payload.join()) throw new Error(`the mock queued other bytes`);
  console.log(`E2E_RESULT ${JSON.stringify({ result, requests: mock.requests })}`);
} finally {
  await mock.close();
}
