// e2e consumer (a): plain Node.js ESM, as a team would write it after
// `npm install @dx/core-client @dx/downlink-helpers @dx/mock`: its test starts its own DX mock
// with `startDxMock` (from the registry, like the other packages) and sends to it with the
// real client. It prints `E2E_RESULT {"result":...,"requests":[...]}` for the runner, which
// checks the mock's records the same way as for the consumers that use the runner's mock.
import { createDxClient, ApiError } from '@dx/core-client';
import { sendDownlink, hexToBytes, encodeCayenneLpp, DownlinkError } from '@dx/downlink-helpers';
import { startDxMock } from '@dx/mock';

const mock = await startDxMock({ clientId: 'tenant/login', clientSecret: 'secret' });
try {
  const client = createDxClient({
    baseUrl: mock.url,
    auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
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

  let result;
  try {
    result = await sendDownlink(client, {
      device: '0018B20000000B20',
      payload,
      fPort: 2,
      confirm: true,
    });
  } catch (err) {
    if (err instanceof ApiError)
      console.error(`DX answered ${err.status}: ${JSON.stringify(err.body)}`);
    throw err;
  }
  if (result.status !== 'QUEUED')
    throw new Error(`expected status QUEUED, got ${JSON.stringify(result)}`);

  // What a team's test asserts: the mock queued exactly this downlink.
  const [queued, ...more] = mock.downlinks;
  if (!queued || more.length > 0 || queued.fPort !== 2 || !queued.confirm) {
    throw new Error(`the mock queued ${JSON.stringify(mock.downlinks)}`);
  }
  if (Array.from(queued.bytes).join(',') !== Array.from(payload).join(',')) {
    throw new Error(
      `the mock queued bytes [${Array.from(queued.bytes)}], sent [${Array.from(payload)}]`,
    );
  }
  console.log(`E2E_RESULT ${JSON.stringify({ result, requests: mock.requests })}`);
} finally {
  await mock.close();
}
