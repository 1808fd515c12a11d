import {
  type BuildDownlinkOptions,
  type DownlinkMessage,
  buildDownlinkMessage,
} from '../sending/downlink-message.js';
import { checkObject, checkOptions } from '../checks.js';
import { describeType, wrongType } from '../describe.js';
import { DownlinkError } from '../errors.js';
import { validateFPort } from '../lorawan/fport.js';
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
  options?: EncodeWithCodecOptions,
): CodecDownlink {
  const extra = checkOptions(options) as EncodeWithCodecOptions;
  const encode = checkObject(codec, 'codec').encodeDownlink;
  if (typeof encode !== 'function') throw wrongType('codec', 'an encodeDownlink function', encode);
  let bytes: Uint8Array;
  let warnings: string[];
  let fPort = extra.fPort;
  // 0: the codec runs, 1: its result is read (a getter or proxy may throw), 2: our checks.
  let stage = 0;
  try {
    const result: unknown = codec.encodeDownlink({ data });
    stage = 1;
    if (typeof result !== 'object' || result === null || Array.isArray(result)) {
      throw codecError(`returned ${describeType(result)}, expected { bytes, fPort }`);
    }
    const record = result as Record<string, unknown>;
    if (typeof record.then === 'function') {
      throw codecError('returned a Promise; TS013 codecs are synchronous');
    }
    // Copies: what is checked below is what is used, and no codec code runs after this.
    const copy = (value: unknown, bytes?: boolean): unknown =>
      Array.isArray(value) || (bytes && value instanceof Uint8Array) ? [...value] : value;
    const returned = copy(record.bytes, true);
    const returnedWarnings = copy(record.warnings);
    const errors = checkMessages(copy(record.errors), 'errors');
    const returnedPort = record.fPort;
    stage = 2;
    if (errors.length > 0) {
      throw new DownlinkError('CODEC_ERROR', 'codec', `failed: ${errors.join('; ')}`, {
        details: errors,
      });
    }
    // Only an array or a Uint8Array of this realm was copied into an array.
    if (!Array.isArray(returned)) {
      throw codecError(
        `bytes: expected an array of integers 0..255, got ${describeType(returned)}`,
      );
    }
    bytes = toByteArray(returned, 'bytes');
    warnings = checkMessages(returnedWarnings, 'warnings');
    if (fPort == null) {
      if (returnedPort === undefined) {
        throw new DownlinkError('INVALID_FPORT', 'fPort', 'neither the codec nor options give one');
      }
      fPort = validateFPort(returnedPort as number, {
        allowTestPort: extra.allowTestPort,
        field: 'codec.fPort',
      });
    }
  } catch (cause) {
    if (!(cause instanceof DownlinkError) || stage < 1) {
      const reason = cause instanceof Error ? cause.message : describeType(cause);
      throw codecError(`threw: ${reason}`, cause);
    }
    // Errors of ours stand as they are; bytes and fPort checks name the codec's values.
    if (stage < 2 || cause.code === 'CODEC_ERROR' || cause.field === 'fPort') throw cause;
    throw codecError(cause.message, cause, cause.position);
  }
  return { message: buildDownlinkMessage({ ...extra, payload: bytes, fPort }), warnings };
}

function checkMessages(messages: unknown, name: string): string[] {
  if (messages === undefined) return [];
  if (!Array.isArray(messages) || !messages.every((m) => typeof m === 'string')) {
    throw codecError(`${name}: expected an array of strings, got ${describeType(messages)}`);
  }
  return messages as string[];
}

function codecError(problem: string, cause?: unknown, position?: number): DownlinkError {
  // Only pass `cause` when there is one: Error would otherwise keep an own `cause: undefined`.
  return new DownlinkError(
    'CODEC_ERROR',
    'codec',
    problem,
    cause === undefined ? { position } : { position, cause },
  );
}
