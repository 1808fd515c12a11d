/**
 * `dx`: parses the command name and dispatches to `commands/<name>/index.ts`. Every command
 * is a thin room over `@dx/downlink-helpers`, `@dx/core-client` and `@dx/mock`. Importing this
 * module has no side effects: `bin.ts` wires it to the process, tests call `main` with their
 * own streams.
 */
import { version } from '../package.json';
import { config } from './commands/config/index.js';
import { encode } from './commands/encode/index.js';
import { mock } from './commands/mock/index.js';
import { sendBulk } from './commands/send-bulk/index.js';
import { send } from './commands/send/index.js';
import { AuthError } from '@dx/core-client';
import { errorJson } from './errors-report.js';
import { CredentialsError, EXIT, HelpRequested, UsageError } from './exit-codes.js';
import type { Command, Io } from './io.js';
import { printable } from './output/printable.js';

/** In `dx --help` order. `devices` (issue 16) will join as `commands/devices/index.ts`. */
const COMMANDS: readonly Command[] = [send, sendBulk, encode, mock, config];

const USAGE = 'dx <command> [flags]   (dx <command> --help for its flags and examples)';

function topHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const list = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n');
  return `dx ${version}: send LoRaWAN downlinks through ThingPark DX.

Usage: ${USAGE}

Commands:
${list}

Connection settings: flags, then DX_BASE_URL, DX_TOKEN_URL, DX_CLIENT_ID, DX_CLIENT_SECRET or
DX_TOKEN, then the profile (dx config). Secrets are never taken as flags.

Exit codes: 0 all queued or skipped, 1 anything failed, unknown, not-sent or invalid, 2 usage
error, 4 credentials missing or refused, 5 send-bulk stopped by an outage (rerun to resume),
130 interrupted, 143 SIGTERM.

Examples:
  eval "$(dx mock)"                                  # a local fake DX, for trying things out
  dx send --device 0018B20000000B20 --fport 2 --hex 0101
  dx send-bulk --file fleet.csv --rate 10 --journal fleet.journal
  dx encode --lpp '[{"channel":3,"type":"temperature","value":27.2}]' --region EU868 --data-rate 0
`;
}

export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout).write(topHelp());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${version}\n`);
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command) throw new UsageError(`unknown command "${name.split('=', 1)[0]}"`);
    return await command.run(rest, io);
  } catch (error) {
    return reportError(error, io, command);
  }
}

function reportError(error: unknown, io: Io, command: Command | undefined): number {
  if (error instanceof HelpRequested && command) {
    io.stdout.write(`Usage: ${command.usage}\n\n${command.help}`);
    return EXIT.ok;
  }
  if (error instanceof UsageError) {
    const usage = error.usage ?? USAGE;
    const more = command ? `dx ${command.name} --help` : 'dx --help';
    io.stderr.write(
      `dx: ${printable(error.message)}\nUsage: ${usage}\nRun '${more}' for the flags and examples.\n`,
    );
    return EXIT.usage;
  }
  if ((error as { interrupted?: boolean } | null)?.interrupted) return EXIT.interrupted;
  const { message } = errorJson(error);
  io.stderr.write(`dx: ${printable(message)}\n`);
  // AuthError: DX or its token endpoint refused the credentials.
  if (error instanceof CredentialsError || error instanceof AuthError) return EXIT.credentials;
  return EXIT.failed;
}
