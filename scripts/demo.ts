/**
 * `pnpm demo`: the first five minutes. Sends an encoded downlink through the built packages.
 *
 * - Without credentials it starts an embedded DX mock (token endpoint and downlink endpoint) on
 *   127.0.0.1, sends to it and prints what was sent and what came back.
 * - With DX_CLIENT_ID, DX_CLIENT_SECRET and DX_BASE_URL set it targets that tenant instead
 *   (DX_TOKEN_URL for a self-hosted token endpoint, DX_DEVICE for the device), validates and
 *   prints the message, and sends it only when asked explicitly with --send.
 *
 *   pnpm demo [--device 0018B20000000B20] [--fport 2] [--celsius 21.5] [--send]
 */
import { parseArgs } from 'node:util';
import { createDxClient, type DxClientOptions } from '@dx/core-client';
import { buildDownlinkMessage, encodeCayenneLpp, sendDownlink } from '@dx/downlink-helpers';
import { startDxMock, type DxMock } from './dx-mock/server.js';

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: process.env.DX_DEVICE ?? '0018B20000000B20' },
    fport: { type: 'string', default: '2' },
    celsius: { type: 'string', default: '21.5' },
    send: { type: 'boolean', default: false },
  },
});

const payload = encodeCayenneLpp([
  { channel: 1, type: 'temperature', value: Number(values.celsius) },
]);
const fPort = Number(values.fport);
const request = {
  device: values.device,
  payload,
  fPort,
  region: 'EU868' as const,
  dataRate: 0,
  confirm: true,
};
const tenant = process.env.DX_CLIENT_ID && process.env.DX_CLIENT_SECRET && process.env.DX_BASE_URL;

function show(title: string, value: unknown): void {
  console.log(`\n${title}\n${JSON.stringify(value, null, 2)}`);
}

async function againstTenant(): Promise<void> {
  const auth: DxClientOptions['auth'] = {
    clientId: process.env.DX_CLIENT_ID as string,
    clientSecret: process.env.DX_CLIENT_SECRET as string,
    ...(process.env.DX_TOKEN_URL ? { tokenUrl: process.env.DX_TOKEN_URL } : {}),
  };
  const client = createDxClient({ baseUrl: process.env.DX_BASE_URL as string, auth });
  show(
    `Downlink for ${values.device} (FPort ${fPort}) at ${process.env.DX_BASE_URL}:`,
    buildDownlinkMessage(request),
  );
  if (!values.send) {
    console.log('\nNot sent: this targets a real tenant. Run again with --send to queue it.');
    return;
  }
  show('DX answered:', await sendDownlink(client, request));
}

async function againstMock(): Promise<void> {
  const mock: DxMock = await startDxMock({
    expectedClientId: 'demo/login',
    expectedClientSecret: 'demo-secret',
  });
  try {
    console.log(
      `Embedded DX mock on ${mock.origin} (set DX_CLIENT_ID, DX_CLIENT_SECRET, DX_BASE_URL for a real tenant)`,
    );
    const client = createDxClient({
      baseUrl: mock.baseUrl,
      auth: { clientId: 'demo/login', clientSecret: 'demo-secret', tokenUrl: mock.tokenUrl },
    });
    const result = await sendDownlink(client, request);
    const sent = mock.requests.filter((r) => r.method === 'POST');
    for (const r of sent) {
      const query = new URLSearchParams(r.query).toString();
      console.log(`\nsent: ${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status}`);
      if (r.path.endsWith('/downlinkMessages')) console.log(`      body ${r.bodyText}`);
    }
    show('received:', result);
  } finally {
    await mock.close();
  }
}

(tenant ? againstTenant() : againstMock()).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
