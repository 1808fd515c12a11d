/**
 * Message helpers shared by the validators. Each is a separate function so that a bundle
 * only carries the ones its entry points use.
 */
import { DownlinkError, type DownlinkErrorCode } from './errors.js';

/** Shows a character the way a reader can find it: visible ASCII as is, the rest as U+XXXX. */
export function describeChar(text: string, index: number): string {
  const code = text.codePointAt(index) as number;
  if (code > 32 && code < 127) return `"${text[index]}"`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** Names the JS type of an untyped input for messages, never its contents. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'an array' : typeof value;
}

/** Shows a number as is and anything else by its type, so hostile objects are never stringified. */
export function describeValue(value: unknown): string {
  return typeof value === 'number' ? String(value) : describeType(value);
}

/** A string quoted as JSON (names such as regions and types are safe to show), else its type. */
export function describeName(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describeType(value);
}

/** `<field>: expected <what>, got <type>`, by default an `INVALID_ARGUMENT`. */
export function wrongType(
  field: string,
  what: string,
  value: unknown,
  code: DownlinkErrorCode = 'INVALID_ARGUMENT',
  position?: number,
): DownlinkError {
  return new DownlinkError(code, field, `expected ${what}, got ${describeType(value)}`, {
    position,
  });
}

/** `<field>: <problem> at position <at>`, the shape of every error about one character. */
export function charError(
  code: DownlinkErrorCode,
  field: string,
  problem: string,
  at: number,
): DownlinkError {
  return new DownlinkError(code, field, `${problem} at position ${at}`, { position: at });
}

/** An `INVALID_ARGUMENT` about element `index` of an array input. */
export function invalidAt(field: string, index: number, problem: string): DownlinkError {
  return new DownlinkError('INVALID_ARGUMENT', field, problem, { position: index });
}

/** A `VALUE_OUT_OF_RANGE` about element `index` of an array input. */
export function outOfRangeAt(field: string, index: number, problem: string): DownlinkError {
  return new DownlinkError('VALUE_OUT_OF_RANGE', field, problem, { position: index });
}
