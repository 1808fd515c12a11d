import { parseArgs, type ParseArgsConfig } from 'node:util';
import { HelpRequested, UsageError } from './exit-codes.js';

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** Flags every command that talks to DX takes. Secrets are deliberately not among them. */
export const CONNECTION_FLAGS = {
  profile: { type: 'string' },
  'base-url': { type: 'string' },
  'token-url': { type: 'string' },
  'client-id': { type: 'string' },
} as const satisfies FlagSpec;

/** Names that would put a secret on the command line, and so in shell history and `ps`. */
const SECRET_FLAG = /secret(?!-stdin$)|passw|api-?key|as-?key|^(access-)?token$/i;

/** `--name`, `--name=value` or `-n`: the flag name only, never the value. */
function flagName(arg: string): string | undefined {
  if (!arg.startsWith('-') || arg === '-' || arg === '--') return undefined;
  return arg.split('=', 1)[0];
}

/**
 * Refuses a flag named like a secret before anything else reads the command line, with the
 * way to give that secret instead. The value is never repeated.
 */
function refuseSecretFlags(argv: readonly string[], usage: string): void {
  for (const arg of argv) {
    if (arg === '--') return;
    const name = flagName(arg);
    if (name === undefined || !SECRET_FLAG.test(name.replace(/^-+/, ''))) continue;
    const env = /token/i.test(name) ? 'DX_TOKEN' : 'DX_CLIENT_SECRET';
    throw new UsageError(
      `${name}: secrets are never taken as flags (they would land in shell history and ` +
        `process lists). Set ${env} in the environment, or store the client secret in a ` +
        `profile: dx config set --profile <name> --secret-stdin`,
      usage,
    );
  }
}

/**
 * `util.parseArgs` in strict mode, with errors that name the flag but never echo a value
 * (a mistyped flag could carry a secret). `--help` / `-h` throws `HelpRequested` once the
 * command line parses: `main` prints the command's help.
 */
export function parseFlags<T extends FlagSpec>(
  argv: readonly string[],
  options: T,
  usage: string,
  allowPositionals = false,
) {
  refuseSecretFlags(argv, usage);
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error, argv), usage);
  }
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested();
  return parsed;
}

function describeParseError(error: unknown, argv: readonly string[]): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  // Node's messages quote the flag as typed; only keep what precedes a possible value.
  const quoted = /'(-[^'=\s]*)/.exec(message)?.[1];
  const flag = quoted ?? argv.map(flagName).find(Boolean) ?? 'argument';
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag ${flag}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /argument missing/.test(message) ? `${flag} needs a value` : `${flag} takes no value`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return 'unexpected argument (every input is given with a flag, e.g. --device)';
    default:
      return 'could not read the command line';
  }
}

/** A whole number within bounds, or a usage error naming the flag. */
export function integerFlag(
  value: string | undefined,
  flag: string,
  min: number,
  max: number,
  usage: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) {
    throw new UsageError(`--${flag} must be a whole number ${min}..${max}`, usage);
  }
  return n;
}

/** A positive number (decimals allowed), or a usage error naming the flag. */
export function positiveNumberFlag(
  value: string | undefined,
  flag: string,
  usage: string,
): number | undefined {
  if (value === undefined) return undefined;
  const n = /^\d+(\.\d+)?$/.test(value) ? Number(value) : Number.NaN;
  if (!(n > 0)) throw new UsageError(`--${flag} must be a positive number`, usage);
  return n;
}
