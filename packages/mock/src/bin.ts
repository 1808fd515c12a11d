#!/usr/bin/env node
/**
 * `dx-mock` (`npx @dx/mock`): serves the mock until Ctrl-C and prints where it is and the test
 * credentials to use, then one line per request.
 *
 *   dx-mock [--port 4010] [--client-id tenant/login] [--client-secret secret] [--latency 0] [--quiet]
 */
import { parseArgs } from 'node:util';
import { startDxMock } from './index.js';

const usage =
  'usage: dx-mock [--port N] [--client-id ID] [--client-secret SECRET] [--latency MS] [--quiet]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'client-id': { type: 'string' },
      'client-secret': { type: 'string' },
      latency: { type: 'string', default: '0' },
      quiet: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const mock = await startDxMock({
    port: Number(values.port),
    latencyMs: Number(values.latency),
    ...(values['client-id'] === undefined ? {} : { clientId: values['client-id'] }),
    ...(values['client-secret'] === undefined ? {} : { clientSecret: values['client-secret'] }),
    ...(values.quiet ? {} : { log: (line: string) => console.log(`[dx-mock] ${line}`) }),
  });
  // Printing the credentials is the point of this command: they are the mock's test values.
  console.log(`dx-mock: a fake ThingPark DX API, listening
  url:          ${mock.url}
  tokenUrl:     ${mock.tokenUrl}
  clientId:     ${mock.clientId}
  clientSecret: ${mock.clientSecret}
Ctrl-C to stop.`);
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      void mock.close().then(() => process.exit(0));
    });
  }
}

main().catch((error: unknown) => {
  console.error(`dx-mock: ${error instanceof Error ? error.message : String(error)}\n${usage}`);
  process.exit(2);
});
