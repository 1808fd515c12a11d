/**
 * The one error class of `@dx/downlink-helpers`.
 *
 * `instanceof` is answered from a brand stored under a global symbol rather than from the
 * prototype chain, because an application can load the ESM and the CJS build of this package
 * side by side (the "dual package hazard"): an error thrown by one copy must still match the
 * class imported from the other.
 */

const BRAND = Symbol.for('@dx/downlink-helpers/DownlinkError');

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
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as { [BRAND]?: unknown })[BRAND] === true
    );
  }

  /** Stable reason, see {@link DownlinkErrorCode}. */
  readonly code: DownlinkErrorCode;
  /** The input at fault, as the caller named it: `payload`, `fPort`, `items[2].value`... */
  readonly field: string;
  /** 0-based index of the offending character or element, when one can be named. */
  readonly position: number | undefined;
  /** Extra messages, e.g. the errors a codec reported. */
  readonly details: readonly string[] | undefined;

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
    super(
      `${field}: ${problem}`,
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    // Non-enumerable like Error's own name, so inspect and spreads show only the data.
    Object.defineProperty(this, 'name', {
      value: 'DownlinkError',
      enumerable: false,
      configurable: true,
      writable: true,
    });
    this.code = code;
    this.field = field;
    this.position = options.position;
    this.details = options.details;
    Object.defineProperty(this, BRAND, { value: true, enumerable: false });
  }

  /** Plain data for logs and API responses. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      field: this.field,
      message: this.message,
      ...(this.position === undefined ? {} : { position: this.position }),
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}

/** Shows a character the way a reader can find it: visible ASCII as is, the rest as U+XXXX. */
export function describeChar(text: string, index: number): string {
  const code = text.codePointAt(index) ?? 0;
  const hex = `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  if (code > 0x20 && code < 0x7f) return `"${String.fromCharCode(code)}"`;
  if (code > 0x7f && !(code >= 0xd800 && code <= 0xdfff)) {
    return `"${String.fromCodePoint(code)}" (${hex})`;
  }
  return hex;
}

/** Names the JS type of an untyped input for messages, never its contents. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** Shows a number as is and anything else by its type, so hostile objects are never stringified. */
export function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeType(value);
}
