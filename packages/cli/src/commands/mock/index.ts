import { integerFlag, parseFlags, positiveNumberFlag } from '../../args.js';
import { EXIT, UsageError } from '../../exit-codes.js';
import type { Command, Io } from '../../io.js';
import { writeJsonLine } from '../../output/style.js';
import { shellWord } from '../../output/shell-word.js';
import { reportReady, startInBackground, type MockSettings } from './background.js';
import { downlinksHelp, downlinksUsage, listDownlinks } from './downlinks.js';

const usage =
  'dx mock [--port <n>] [--latency <ms>] [--rate-limit <per-second>] [--background|--foreground] [--log <path>] [--quiet] [--json]\n       ' +
  downlinksUsage;

const FLAGS = {
  port: { type: 'string' },
  latency: { type: 'string' },
  'rate-limit': { type: 'string' },
  background: { type: 'boolean' },
  foreground: { type: 'boolean' },
  log: { type: 'string' },
  quiet: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

async function run(argv: readonly string[], io: Io): Promise<number> {
  if (argv[0] === 'downlinks') return listDownlinks(argv.slice(1), io);
  const { values } = parseFlags(argv, FLAGS, usage);
  const port = integerFlag(values.port, 'port', 0, 65535, usage) ?? 0;
  const latencyMs = integerFlag(values.latency, 'latency', 0, 60_000, usage) ?? 0;
  const perSecond = positiveNumberFlag(values['rate-limit'], 'rate-limit', usage);
  if (values.background && values.foreground) {
    throw new UsageError('--background and --foreground: give one of them', usage);
  }
  if (values.log !== undefined && values.foreground) {
    throw new UsageError('--log is for --background (in the foreground, the log is stderr)', usage);
  }
  // Captured output (`eval "$(dx mock)"`) waits for the end of stdout: only a mock that runs
  // on elsewhere lets it end. On a terminal, the mock stays in front until Ctrl-C.
  const background = values.background === true || (!values.foreground && io.stdout.isTTY !== true);
  if (background) {
    const settings = await startInBackground(foregroundFlags(values), values.log, io);
    printSettings(io, settings, values.json === true, true);
    io.stderr.write(
      `dx mock: running in the background (pid ${settings.DX_MOCK_PID}), log in ${settings.DX_MOCK_LOG}; stop it with: kill $DX_MOCK_PID\n`,
    );
    return EXIT.ok;
  }
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
  printSettings(io, settings, values.json === true, false);
  if (!values.json) io.stderr.write('Serving until Ctrl-C.\n');
  reportReady(io.env, settings);
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

/** The flags the background mock runs with: those given, but for where it runs and logs. */
function foregroundFlags(values: {
  port?: string | undefined;
  latency?: string | undefined;
  'rate-limit'?: string | undefined;
  quiet?: boolean | undefined;
}): string[] {
  return [
    ...(['port', 'latency', 'rate-limit'] as const).flatMap((name) =>
      values[name] === undefined ? [] : [`--${name}`, values[name]],
    ),
    ...(values.quiet ? ['--quiet'] : []),
  ];
}

function printSettings(io: Io, settings: MockSettings, json: boolean, background: boolean): void {
  if (json) {
    writeJsonLine(io, settings);
    return;
  }
  const where = background
    ? `in the background (pid ${settings.DX_MOCK_PID}; kill $DX_MOCK_PID to stop it)`
    : `on ${new URL(settings.DX_BASE_URL ?? '').origin}`;
  io.stdout.write(
    `# A fake ThingPark DX (@dx/mock) ${where}; its test credentials, not real ones.\n` +
      (background
        ? ''
        : `# Paste these into another shell, then try: dx send --device 0018B20000000B20 --fport 2 --hex 0101\n`) +
      Object.entries(settings)
        .map(([name, value]) => `export ${name}=${shellWord(value)}\n`)
        .join(''),
  );
}

export const mock: Command = {
  name: 'mock',
  summary:
    'Start a local fake DX (@dx/mock), print the variables that point dx at it; list what it received',
  usage,
  help: `Starts @dx/mock on 127.0.0.1 (a spec-driven fake of the DX Core API and its token endpoint)
and prints the DX_* variables that point dx at it. The printed credentials are the mock's test
values.

  eval "$(dx mock)"   output captured: as ssh-agent, the mock runs on in the background (its
                      log in a file it names), and the lines set DX_BASE_URL, DX_TOKEN_URL,
                      DX_CLIENT_ID, DX_CLIENT_SECRET, DX_MOCK_PID and DX_MOCK_LOG; end it with
                      kill $DX_MOCK_PID
  dx mock             on a terminal: stays in the foreground, logs one line per request on
                      stderr, stops on Ctrl-C

Flags:
  --port <n>                TCP port (default: a free one)
  --latency <ms>            delay every answer
  --rate-limit <per-second> answer 429 with Retry-After beyond this rate (leaky bucket)
  --background              run on in the background, whatever stdout is
  --foreground              stay in the foreground, whatever stdout is
  --log <path>              the background mock's log file (default: a new file in the
                            temporary folder)
  --quiet                   no request log
  --json                    print the variables as one JSON line instead

dx mock downlinks:
${downlinksHelp.replace(/^/gm, '  ').replace(/^ +$/gm, '')}
Examples:
  dx mock --port 4010                     # in a terminal of its own, until Ctrl-C
  eval "$(dx mock)"; dx send --device 0018B20000000B20 --fport 2 --hex 01; dx mock downlinks
  dx mock --rate-limit 5 --latency 50     # then try dx send-bulk against it
`,
  run,
};
