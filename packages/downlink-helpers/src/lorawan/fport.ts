import { checkBoolean, checkFieldName, checkOptions } from '../checks.js';
import { wrongType } from '../describe.js';
import { DownlinkError } from '../errors.js';

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
export function validateFPort(fPort: number, options?: FPortOptions): number {
  const { field: name, allowTestPort } = checkOptions(options);
  const field = checkFieldName(name, 'fPort');
  const testPortAllowed = checkBoolean(allowTestPort, 'allowTestPort', false);
  if (typeof fPort !== 'number') {
    throw wrongType(field, 'an integer 1..223', fPort, 'INVALID_FPORT');
  }
  const integer = Number.isInteger(fPort);
  if ((integer && fPort >= 1 && fPort <= 223) || (fPort === 224 && testPortAllowed)) {
    return fPort;
  }
  // The ports LoRaWAN gives a meaning to get a hint, so that no one retries them blindly.
  const hint =
    fPort === 224
      ? ' (224, the compliance test port, needs allowTestPort: true)'
      : fPort === 0
        ? ' (FPort 0 carries MAC commands only)'
        : integer && fPort > 224 && fPort <= 255
          ? ' (225..255 are reserved)'
          : '';
  throw new DownlinkError('INVALID_FPORT', field, `${fPort} is not an integer 1..223${hint}`);
}
