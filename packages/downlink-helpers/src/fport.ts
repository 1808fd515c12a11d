import { describeType, wrongType } from './describe.js';
import { DownlinkError } from './errors.js';

/**
 * Options of {@link validateFPort}.
 *
 * @example
 * ```ts
 * import { validateFPort, type FPortOptions } from '@dx/downlink-helpers';
 *
 * const options: FPortOptions = { allowTestPort: true, field: 'port' };
 * validateFPort(224, options); // 224
 * ```
 */
export interface FPortOptions {
  /** Accept FPort 224 (LoRaWAN compliance test protocol). Default false. */
  allowTestPort?: boolean;
  /** Name of the input in errors. Default `fPort`. */
  field?: string;
}

/**
 * Checks an application FPort and returns it.
 *
 * Accepts integers 1..223, and 224 (compliance test) only with `allowTestPort: true`.
 * FPort 0 (MAC commands only), 225..255 (reserved), fractions, `NaN` and non-numbers
 * (including numeric strings such as `"2"`) are `INVALID_FPORT` errors.
 *
 * @example
 * ```ts
 * import { validateFPort } from '@dx/downlink-helpers';
 *
 * validateFPort(2); // 2
 * validateFPort(224, { allowTestPort: true }); // 224
 * ```
 */
export function validateFPort(fPort: number, options: FPortOptions = {}): number {
  const field = options.field ?? 'fPort';
  if (typeof fPort !== 'number') {
    throw wrongType(field, 'an integer 1..223', fPort, 'INVALID_FPORT');
  }
  if (fPort === 224) {
    if (options.allowTestPort === true) return fPort;
    throw new DownlinkError(
      'INVALID_FPORT',
      field,
      'FPort 224 is the compliance test port; pass allowTestPort: true to use it',
    );
  }
  if (!Number.isInteger(fPort) || fPort < 1 || fPort > 223) {
    throw new DownlinkError('INVALID_FPORT', field, `${fPort} is not ${portRule(fPort)}`);
  }
  return fPort;
}

function portRule(fPort: number): string {
  if (fPort === 0) return 'allowed: FPort 0 carries MAC commands only; use 1..223';
  if (Number.isInteger(fPort) && fPort > 224 && fPort <= 255) {
    return 'allowed: FPorts 225..255 are reserved; use 1..223';
  }
  return 'an integer 1..223';
}
