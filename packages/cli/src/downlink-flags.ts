import type { SendDownlinkOptions } from '@dx/downlink-helpers';
import type { FlagSpec } from './args.js';
import { UsageError } from './exit-codes.js';
import type { Io } from './io.js';
import {
  hasPayloadFlag,
  PAYLOAD_FLAGS,
  resolvePayload,
  type PayloadFlags,
} from './payload-flags.js';
import { radioOptions, SIZE_FLAGS, type RadioFlags } from './payload-report.js';

/** What a downlink is, as flags: `dx send` needs them, `dx send-bulk` takes them for every line. */
export const DOWNLINK_FLAGS = {
  fport: { type: 'string' },
  ...PAYLOAD_FLAGS,
  confirm: { type: 'boolean' },
  flush: { type: 'boolean' },
  'test-port': { type: 'boolean' },
  ...SIZE_FLAGS,
} as const satisfies FlagSpec;

export interface DownlinkFlags extends PayloadFlags, RadioFlags {
  fport?: string | undefined;
  confirm?: boolean | undefined;
  flush?: boolean | undefined;
  'test-port'?: boolean | undefined;
}

/** The `sendDownlink` options the flags give, and the flag to name for each in a message. */
export type DownlinkSettings = Partial<SendDownlinkOptions>;

export const FLAG_OF: Readonly<Record<string, string>> = {
  payload: '--hex, --base64, --text, --lpp or --codec',
  fPort: '--fport',
  confirm: '--confirm',
  flushQueue: '--flush',
  allowTestPort: '--test-port',
  region: '--region',
  dataRate: '--data-rate',
  dwellTime: '--dwell-time',
  repeaterCompatible: '--repeater',
};

/** `--fport 2` as a number; anything else goes to the helpers as typed, which name the problem. */
const fPortValue = (value: string): number | string =>
  /^\d+$/.test(value) ? Number(value) : value;

/**
 * The downlink settings given as flags, only those given: a payload is resolved (and a codec
 * run) once. With `required`, a payload and an FPort (or a codec that chooses one) must be there.
 */
export async function downlinkFromFlags(
  values: DownlinkFlags,
  usage: string,
  required: boolean,
  io: Io,
): Promise<{ settings: DownlinkSettings; warnings: string[] }> {
  const fPortGiven = values.fport === undefined ? undefined : fPortValue(values.fport);
  const resolved =
    required || hasPayloadFlag(values)
      ? await resolvePayload(
          values,
          usage,
          io,
          typeof fPortGiven === 'number' ? fPortGiven : undefined,
        )
      : undefined;
  const fPort = fPortGiven ?? resolved?.codecFPort;
  if (required && fPort === undefined) throw new UsageError('missing --fport', usage);
  const settings: DownlinkSettings = {
    ...(resolved === undefined ? {} : { payload: resolved.payload }),
    ...(fPort === undefined ? {} : { fPort: fPort as number }),
    ...(values.confirm ? { confirm: true } : {}),
    ...(values.flush ? { flushQueue: true } : {}),
    ...(values['test-port'] ? { allowTestPort: true } : {}),
    ...radioOptions(values),
  };
  return { settings, warnings: resolved?.warnings ?? [] };
}
