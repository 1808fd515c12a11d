/**
 * `pnpm demo`: the first five minutes. Sends an encoded downlink through the built packages.
 *
 * - Without credentials it starts an embedded DX mock (`@dx/mock`: the spec's operations and the
 *   token endpoint) on 127.0.0.1, sends to it and prints what was sent, what came back and what
 *   the mock queued.
 * - With DX_CLIENT_ID, DX_CLIENT_SECRET and DX_BASE_URL set it targets that tenant instead
 *   (DX_TOKEN_URL for a self-hosted token endpoint, DX_DEVICE for the device), validates and
 *   prints the message, and sends it only when asked explicitly with --send.
 *
 *   pnpm demo [--device 0018B20000000B20] [--fport 2] [--celsius 21.5] [--send]
 */
import { parseArgs } from 'node:util';
import { createDxClient, type DxClientOptions } from '@dx/core-client';
import { buildDownlinkMessage, encodeCayenneLpp, sendDownlink } from '@dx/downlink-helpers';
import { startDxMock } from '@dx/mock';

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
  const mock = await startDxMock();
  try {
    console.log(
      `Embedded DX mock (@dx/mock) on ${mock.origin} (set DX_CLIENT_ID, DX_CLIENT_SECRET, DX_BASE_URL for a real tenant)`,
    );
    const client = createDxClient({
      baseUrl: mock.url,
      auth: { clientId: mock.clientId, clientSecret: mock.clientSecret, tokenUrl: mock.tokenUrl },
    });
    const result = await sendDownlink(client, request);
    for (const r of mock.requests) {
      const query = new URLSearchParams(r.query as Record<string, string>).toString();
      console.log(`\nsent: ${r.method} ${r.path}${query ? `?${query}` : ''} -> ${r.status}`);
      if (r.operationId) console.log(`      body ${JSON.stringify(r.body)}`);
    }
    show('received:', result);
    show(
      'queued at the mock:',
      mock.downlinks.map(({ bytes: _bytes, ...downlink }) => downlink),
    );
  } finally {
    await mock.close();
  }
}

(tenant ? againstTenant() : againstMock()).catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
