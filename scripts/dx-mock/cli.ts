/**
 * Runs the DX mock in the foreground until Ctrl-C, for demos and manual tries:
 *
 *   pnpm exec tsx scripts/dx-mock/cli.ts [--port 4010] [--client-id tenant/login] [--client-secret secret]
 *
 * Prints the base URL, token URL and credentials to use, then one line per request.
 * Listens on 127.0.0.1 only.
 */
import { parseArgs } from 'node:util';
import { startDxMock } from './server.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'client-id': { type: 'string', default: 'tenant/login' },
    'client-secret': { type: 'string', default: 'secret' },
    'access-token': { type: 'string' },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer 0..65535, got ${values.port}`);
  process.exit(2);
}

const mock = await startDxMock({
  port,
  expectedClientId: values['client-id'],
  expectedClientSecret: values['client-secret'],
  ...(values['access-token'] === undefined ? {} : { accessToken: values['access-token'] }),
  log: (line) => console.log(`[dx-mock] ${line}`),
});

console.log(`DX mock listening
  baseUrl:      ${mock.baseUrl}
  tokenUrl:     ${mock.tokenUrl}
  clientId:     ${values['client-id']}
  clientSecret: ${values['client-secret']}
Ctrl-C to stop.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void mock.close().then(() => process.exit(0));
  });
}
