/**
 * The one error class of `@dx/downlink-helpers`.
 *
 * `instanceof` is answered from a brand, with `@dx/core-client`'s scheme: an error thrown by
 * the ESM copy of this package matches the class imported from the CJS copy, and the reverse.
 */
import * as core from '@dx/core-client';

/**
 * Stable machine-readable reason of a {@link DownlinkError}. New codes may be added in minor
 * releases; existing codes never change meaning.
 *
 * @example
 * ```ts
 * import { DownlinkError, type DownlinkErrorCode } from '@dx/downlink-helpers';
 *
 * function isInputProblem(code: DownlinkErrorCode): boolean {
 *   return code !== 'CODEC_ERROR';
 * }
 * ```
 */
export type DownlinkErrorCode =
  | 'INVALID_HEX'
  | 'INVALID_BASE64'
  | 'INVALID_TEXT'
  | 'INVALID_FPORT'
  | 'INVALID_DEVEUI'
  | 'INVALID_DEVICE'
  | 'INVALID_SECURITY_PARAMS'
  | 'PAYLOAD_TOO_LARGE'
  | 'VALUE_OUT_OF_RANGE'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_REGION'
  | 'UNKNOWN_DATA_RATE'
  | 'CODEC_ERROR';

/**
 * Optional parts of a {@link DownlinkError}.
 *
 * @example
 * ```ts
 * import { DownlinkError } from '@dx/downlink-helpers';
 *
 * new DownlinkError('INVALID_HEX', 'payload', 'invalid hex digit "g" at position 5', { position: 5 });
 * ```
 */
export interface DownlinkErrorOptions {
  /** 0-based index of the offending character (strings) or element (arrays). */
  position?: number | undefined;
  /** Extra messages, e.g. the `errors` a TS013 codec returned. */
  details?: readonly string[] | undefined;
  /** The underlying exception, e.g. what a codec threw. */
  cause?: unknown;
}

/**
 * Thrown by every function of this package when an input would be rejected by the network
 * or cannot be encoded without loss. Never thrown with a secret (such as `asKey`) in it.
 *
 * @example
 * ```ts
 * import { DownlinkError, hexToBytes } from '@dx/downlink-helpers';
 *
 * try {
 *   hexToBytes('01 0g');
 * } catch (err) {
 *   if (err instanceof DownlinkError) {
 *     err.code; // 'INVALID_HEX'
 *     err.field; // 'hex'
 *     err.position; // 4
 *     err.message; // 'hex: invalid hex digit "g" at position 4'
 *   }
 * }
 * ```
 */
export class DownlinkError extends Error {
  static override [Symbol.hasInstance](value: unknown): boolean {
    return core.hasErrorBrand(value, 'DownlinkError');
  }

  // Declared, not initialised: class fields would cost code for what the constructor sets.
  /** Stable reason, see {@link DownlinkErrorCode}. */
  declare readonly code: DownlinkErrorCode;
  /** The input at fault, as the caller named it: `payload`, `fPort`, `items[2].value`... */
  declare readonly field: string;
  /** 0-based index of the offending character or element, when one can be named. */
  declare readonly position: number | undefined;
  /** Extra messages, e.g. the errors a codec reported. */
  declare readonly details: readonly string[] | undefined;

  /**
   * @param code - stable reason
   * @param field - the input at fault; the message starts with it
   * @param problem - what is wrong, without the field name
   */
  constructor(
    code: DownlinkErrorCode,
    field: string,
    problem: string,
    options: DownlinkErrorOptions = {},
  ) {
    // Error itself takes `cause` from the options, and only when the key is present.
    super(`${field}: ${problem}`, options);
    this.code = code;
    this.field = field;
    this.position = options.position;
    this.details = options.details;
  }

  static {
    // On the prototype, not on each instance: nothing to do per error, and neither shows in
    // `Object.keys`, spreads or inspect output. `name` stays writable, as Error's is.
    this.prototype.name = 'DownlinkError';
    core.setErrorBrands(this.prototype, ['DownlinkError']);
  }

  /** Plain data for logs and API responses: name, message and the own fields above. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, message: this.message, ...(this as object) };
  }
}
