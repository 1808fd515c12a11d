import { checkObject } from '../checks.js';
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
 * What {@link encodeCodecBytes} reads from a codec: checked bytes, the FPort and the warnings.
 */
export interface CodecBytes {
  bytes: Uint8Array;
  fPort: number;
  warnings: string[];
}

/**
 * Runs a TS013 codec's `encodeDownlink({ data })` and checks what it returns, as
 * `encodeWithCodec` documents: everything the codec gets wrong is a `CODEC_ERROR`. The FPort is
 * `extra.fPort` when given (checked by the caller), else the codec's. Bytes only: turning them
 * into a DX message is the sending layer's job.
 */
export function encodeCodecBytes<TData>(
  codec: DownlinkCodec<TData>,
  data: TData,
  extra: { fPort?: number | undefined; allowTestPort?: boolean | undefined },
): CodecBytes {
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
  return { bytes, fPort, warnings };
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
