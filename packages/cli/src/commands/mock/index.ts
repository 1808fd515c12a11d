import { integerFlag, parseFlags, positiveNumberFlag } from '../../args.js';
import { EXIT } from '../../exit-codes.js';
import type { Command, Io } from '../../io.js';
import { writeJsonLine } from '../../output/style.js';

const usage =
  'dx mock [--port <n>] [--latency <ms>] [--rate-limit <per-second>] [--quiet] [--json]';

const FLAGS = {
  port: { type: 'string' },
  latency: { type: 'string' },
  'rate-limit': { type: 'string' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function run(argv: readonly string[], io: Io): Promise<number> {
  const { values } = parseFlags(argv, FLAGS, usage);
  const port = integerFlag(values.port, 'port', 0, 65535, usage) ?? 0;
  const latencyMs = integerFlag(values.latency, 'latency', 0, 60_000, usage) ?? 0;
  const perSecond = positiveNumberFlag(values['rate-limit'], 'rate-limit', usage);
  // Loaded here, not at start-up: the mock compiles its spec, which every other command skips.
  const { startDxMock } = await import('@dx/mock');
  const server = await startDxMock({
    port,
    latencyMs,
    ...(perSecond === undefined
      ? {}
      : { rateLimit: { perSecond, burst: Math.max(1, Math.ceil(perSecond)) } }),
    ...(values.quiet ? {} : { log: (line: string) => io.stderr.write(`[dx mock] ${line}\n`) }),
  });
  // The mock's own test credentials: printing them is the point (they open nothing real).
  const settings = {
    DX_BASE_URL: server.url,
    DX_TOKEN_URL: server.tokenUrl,
    DX_CLIENT_ID: server.clientId,
    DX_CLIENT_SECRET: server.clientSecret,
  };
  if (values.json) writeJsonLine(io, settings);
  else {
    io.stdout.write(
      `# A fake ThingPark DX (@dx/mock) on ${server.origin}; its test credentials, not real ones.\n` +
        `# Paste these into another shell, then try: dx send --device 0018B20000000B20 --fport 2 --hex 0101\n` +
        Object.entries(settings)
          .map(([name, value]) => `export ${name}=${value}\n`)
          .join(''),
    );
    io.stderr.write('Serving until Ctrl-C.\n');
  }
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await server.close();
  return EXIT.ok;
}

export const mock: Command = {
  name: 'mock',
  summary: 'Start a local fake DX (@dx/mock) and print the variables that point dx at it',
  usage,
  help: `Starts @dx/mock on 127.0.0.1 (a spec-driven fake of the DX Core API and its token endpoint)
and prints the DX_* variables to paste into another shell, then logs one line per request on
stderr until Ctrl-C. The printed credentials are the mock's test values.

Flags:
  --port <n>                TCP port (default: a free one)
  --latency <ms>            delay every answer
  --rate-limit <per-second> answer 429 with Retry-After beyond this rate (leaky bucket)
  --quiet                   no request log
  --json                    print the variables as one JSON line instead

Examples:
  dx mock --port 4010
  dx mock --rate-limit 5 --latency 50     # then try dx send-bulk against it
`,
  run,
};
