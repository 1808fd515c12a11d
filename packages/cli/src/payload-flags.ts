import { readFile } from 'node:fs/promises';
import {
  encodeCayenneLpp,
  encodeWithCodec,
  type CayenneLppItem,
  type PayloadInput,
} from '@dx/downlink-helpers';
import type { FlagSpec } from './args.js';
import { runCodecIsolated } from './codec/run-codec.js';
import { UsageError } from './exit-codes.js';
import type { Io } from './io.js';

/** The payload flags `dx send` and `dx encode` share: exactly one form, or a codec. */
export const PAYLOAD_FLAGS = {
  hex: { type: 'string' },
  base64: { type: 'string' },
  text: { type: 'string' },
  lpp: { type: 'string' },
  codec: { type: 'string' },
  input: { type: 'string' },
} as const satisfies FlagSpec;

export interface PayloadFlags {
  hex?: string | undefined;
  base64?: string | undefined;
  text?: string | undefined;
  lpp?: string | undefined;
  codec?: string | undefined;
  input?: string | undefined;
}

/** What the flags resolve to: a payload the helpers check, and the codec's FPort if any. */
export interface ResolvedPayload {
  payload: PayloadInput;
  /** The FPort a codec chose, used when `--fport` is not given. */
  codecFPort?: number | undefined;
  warnings: string[];
}

const FORMS = ['hex', 'base64', 'text', 'lpp', 'codec'] as const;

/** Whether any payload flag (or `--input`, which belongs to one) is on the command line. */
export function hasPayloadFlag(flags: PayloadFlags): boolean {
  return FORMS.some((form) => flags[form] !== undefined) || flags.input !== undefined;
}

/**
 * Turns the payload flags into a {@link PayloadInput}. Only the shape of the command line is
 * checked here (one form, JSON that parses, a module that loads); every payload rule is the
 * helpers' (`buildDownlinkMessage`, `encodeCayenneLpp`, `encodeWithCodec`).
 */
export async function resolvePayload(
  flags: PayloadFlags,
  usage: string,
  io: Io,
  fPort?: number,
): Promise<ResolvedPayload> {
  const chosen = FORMS.filter((form) => flags[form] !== undefined);
  if (chosen.length === 0) {
    throw new UsageError(
      'missing payload: give one of --hex, --base64, --text, --lpp or --codec with --input',
      usage,
    );
  }
  if (chosen.length > 1) {
    throw new UsageError(
      `one payload only: got ${chosen.map((f) => `--${f}`).join(' and ')}`,
      usage,
    );
  }
  if (flags.input !== undefined && chosen[0] !== 'codec') {
    throw new UsageError('--input goes with --codec', usage);
  }
  if (flags.hex !== undefined) return { payload: { hex: flags.hex }, warnings: [] };
  if (flags.base64 !== undefined) return { payload: { base64: flags.base64 }, warnings: [] };
  if (flags.text !== undefined)
    return { payload: { text: checkText(flags.text, usage) }, warnings: [] };
  if (flags.lpp !== undefined) {
    const items = parseJson(flags.lpp, '--lpp', usage) as CayenneLppItem[];
    return { payload: encodeCayenneLpp(items), warnings: [] };
  }
  return runCodec(flags.codec as string, flags.input, usage, fPort, io);
}

/**
 * Node decodes the command line as UTF-8 and turns bytes that are not UTF-8 (a terminal set to
 * Latin-1, say) into U+FFFD, so the bytes sent would not be those typed. Refused rather than
 * sent: such bytes go with --hex.
 */
function checkText(text: string, usage: string): string {
  const at = text.indexOf('\uFFFD');
  if (at < 0) return text;
  throw new UsageError(
    `--text: character ${at + 1} is U+FFFD, which stands for bytes that were not UTF-8 (check the terminal's encoding); give such bytes with --hex`,
    usage,
  );
}

function parseJson(text: string, flag: string, usage: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag}: not valid JSON (${(error as Error).message})`, usage);
  }
}

/** `--input` is JSON text, or `@file.json` to read it from a file. */
async function readInput(input: string | undefined, usage: string): Promise<unknown> {
  if (input === undefined) throw new UsageError('--codec needs --input <json>', usage);
  if (!input.startsWith('@')) return parseJson(input, '--input', usage);
  const path = input.slice(1);
  const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--input: cannot read ${path} (${error.code ?? error.message})`, usage);
  });
  return parseJson(text, `--input ${path}`, usage);
}

/**
 * Runs a TS013 codec module (ESM or CommonJS, `encodeDownlink` as a named export or on the
 * default export) isolated in a child process (see run-codec.ts), and checks what it returned
 * with `encodeWithCodec`, as for any codec. `--fport` overrides the codec's FPort.
 */
async function runCodec(
  path: string,
  input: string | undefined,
  usage: string,
  fPort: number | undefined,
  io: Io,
): Promise<ResolvedPayload> {
  const data = await readInput(input, usage);
  const codec = await runCodecIsolated(path, data, { usage, stderr: io.stderr, self: io.self });
  const { message, warnings } = encodeWithCodec(codec, data, fPort === undefined ? {} : { fPort });
  return {
    payload: { hex: message.payloadHex },
    codecFPort: Number(message.targetPorts),
    warnings,
  };
}
