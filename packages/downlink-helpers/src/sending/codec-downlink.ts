import { checkOptions } from '../checks.js';
import { encodeCodecBytes, type DownlinkCodec } from '../encoders/codec-adapter.js';
import {
  type BuildDownlinkOptions,
  type DownlinkMessage,
  buildDownlinkMessage,
} from './downlink-message.js';

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
  const { bytes, fPort, warnings } = encodeCodecBytes(codec, data, extra);
  return { message: buildDownlinkMessage({ ...extra, payload: bytes, fPort }), warnings };
}
