import {
  type BuildDownlinkOptions,
  type DownlinkMessage,
  buildDownlinkMessage,
} from './downlink-message.js';
import { describeType, wrongType } from './describe.js';
import { DownlinkError } from './errors.js';
import { validateFPort } from './fport.js';
import { toByteArray } from './hex.js';

/**
 * What a LoRa Alliance TS013 payload codec returns from `encodeDownlink`.
 *
 * @example
 * ```ts
 * import type { CodecEncodeResult } from '@dx/downlink-helpers';
 *
 * const result: CodecEncodeResult = { bytes: [1, 0, 60], fPort: 2, warnings: [] };
 * ```
 */
export interface CodecEncodeResult {
  bytes?: readonly number[] | Uint8Array;
  fPort?: number;
  warnings?: readonly string[];
  errors?: readonly string[];
}

/**
 * Any object with a TS013 `encodeDownlink`, such as a codec of The Things Stack device
 * repository or an Actility driver.
 *
 * @example
 * ```ts
 * import type { DownlinkCodec } from '@dx/downlink-helpers';
 *
 * const codec: DownlinkCodec<{ interval: number }> = {
 *   encodeDownlink: ({ data }) => ({ bytes: [0x01, data.interval], fPort: 2 }),
 * };
 * ```
 */
export interface DownlinkCodec<TData = unknown> {
  encodeDownlink(input: { data: TData }): CodecEncodeResult;
}

/**
 * Options of {@link encodeWithCodec}: an FPort that overrides the codec's, and the checks of
 * {@link buildDownlinkMessage}.
 *
 * @example
 * ```ts
 * import type { EncodeWithCodecOptions } from '@dx/downlink-helpers';
 *
 * const options: EncodeWithCodecOptions = { fPort: 10, region: 'EU868', dataRate: 5 };
 * ```
 */
export type EncodeWithCodecOptions = Partial<Omit<BuildDownlinkOptions, 'payload'>>;

/**
 * Result of {@link encodeWithCodec}.
 *
 * @example
 * ```ts
 * import type { CodecDownlink } from '@dx/downlink-helpers';
 *
 * const result: CodecDownlink = { message: { payloadHex: '01', targetPorts: '2' }, warnings: [] };
 * ```
 */
export interface CodecDownlink {
  message: DownlinkMessage;
  /** The codec's warnings, unchanged. */
  warnings: string[];
}

/**
 * Runs a TS013 codec's `encodeDownlink({ data })` and turns its result into a DX Core
 * `DownlinkMessage`.
 *
 * Everything the codec gets wrong is a `CODEC_ERROR`, never passed on: it threw (the
 * exception is the `cause`), returned `errors` (listed in the message and in `details`),
 * returned a non-object or a Promise, no `bytes`, bytes that are not integers 0..255,
 * malformed `warnings`, or an invalid `fPort`. The FPort is the codec's unless
 * `options.fPort` is given. Then every check of {@link buildDownlinkMessage} applies (size
 * limit per region and data rate, security params).
 *
 * @example
 * ```ts
 * import { encodeWithCodec } from '@dx/downlink-helpers';
 *
 * const codec = {
 *   encodeDownlink: ({ data }: { data: { interval: number } }) => ({
 *     bytes: [0x01, data.interval >> 8, data.interval & 0xff],
 *     fPort: 2,
 *   }),
 * };
 * const { message, warnings } = encodeWithCodec(codec, { interval: 300 });
 * // message: { payloadHex: '01012C', targetPorts: '2' }, warnings: []
 * ```
 */
export function encodeWithCodec<TData>(
  codec: DownlinkCodec<TData>,
  data: TData,
  options: EncodeWithCodecOptions = {},
): CodecDownlink {
  const result = runCodec(codec, data);
  const bytes = checkBytes(result.bytes);
  const warnings = checkMessages(result.warnings, 'warnings');
  const fPort = options.fPort ?? codecFPort(result.fPort, options.allowTestPort === true);
  const message = buildDownlinkMessage({ ...options, payload: bytes, fPort });
  return { message, warnings };
}

function runCodec<TData>(codec: DownlinkCodec<TData>, data: TData): Record<string, unknown> {
  if (
    typeof codec !== 'object' ||
    codec === null ||
    typeof (codec as { encodeDownlink?: unknown }).encodeDownlink !== 'function'
  ) {
    throw wrongType('codec', 'an object with an encodeDownlink function', codec);
  }
  let result: unknown;
  try {
    result = codec.encodeDownlink({ data });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : describeType(cause);
    throw codecError(`encodeDownlink threw: ${reason}`, undefined, cause);
  }
  if (typeof result !== 'object' || result === null || Array.isArray(result)) {
    throw codecError(`encodeDownlink returned ${describeType(result)}, expected { bytes, fPort }`);
  }
  const record = readResult(result);
  const errors = checkMessages(record.errors, 'errors');
  if (errors.length > 0) {
    throw new DownlinkError('CODEC_ERROR', 'codec', `encodeDownlink failed: ${errors.join('; ')}`, {
      details: errors,
    });
  }
  return record;
}

/** Reads the result once, so a throwing getter or proxy is a CODEC_ERROR like any other. */
function readResult(result: object): Record<string, unknown> {
  try {
    const { then, bytes, fPort, warnings, errors } = result as Record<string, unknown>;
    if (typeof then === 'function') {
      throw codecError('encodeDownlink returned a Promise; TS013 codecs are synchronous');
    }
    const copy = (value: unknown): unknown => (Array.isArray(value) ? [...value] : value);
    return { bytes: copy(bytes), fPort, warnings: copy(warnings), errors: copy(errors) };
  } catch (cause) {
    if (cause instanceof DownlinkError) throw cause;
    throw codecError('reading the result of encodeDownlink threw', undefined, cause);
  }
}

function checkBytes(bytes: unknown): Uint8Array {
  if (bytes === undefined) throw codecError('encodeDownlink returned no bytes');
  if (!(bytes instanceof Uint8Array) && !Array.isArray(bytes)) {
    throw codecError(`bytes must be an array of integers 0..255, got ${describeType(bytes)}`);
  }
  try {
    // Always a copy: the message never shares memory with the codec.
    return Uint8Array.from(toByteArray(bytes, 'bytes'));
  } catch (cause) {
    const { message, position } = cause as DownlinkError;
    throw codecError(message, position);
  }
}

function checkMessages(messages: unknown, name: string): string[] {
  if (messages === undefined) return [];
  if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) {
    throw codecError(`${name} must be an array of strings, got ${describeType(messages)}`);
  }
  return [...(messages as string[])];
}

function codecFPort(fPort: unknown, allowTestPort: boolean): number {
  if (fPort === undefined) {
    throw new DownlinkError(
      'INVALID_FPORT',
      'fPort',
      'the codec returned no fPort and none was given in options',
    );
  }
  try {
    return validateFPort(fPort as number, { allowTestPort, field: 'codec.fPort' });
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : '';
    throw codecError(`returned an invalid fPort: ${reason}`, undefined, cause);
  }
}

function codecError(problem: string, position?: number, cause?: unknown): DownlinkError {
  // Only pass `cause` when there is one: Error would otherwise keep an own `cause: undefined`.
  return new DownlinkError(
    'CODEC_ERROR',
    'codec',
    problem,
    cause === undefined ? { position } : { position, cause },
  );
}
