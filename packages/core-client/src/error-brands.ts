/**
 * Brand-based `instanceof` for the error classes of the `@dx/*` packages.
 *
 * An application can load the ESM and the CJS build of a package side by side (the "dual
 * package hazard"): an error thrown by one copy must still match the class imported from the
 * other. So `instanceof` is answered from brands stored under a global symbol rather than from
 * the prototype chain. `@dx/downlink-helpers` brands its `DownlinkError` the same way.
 */

const BRANDS = Symbol.for('@dx/core-client/error-brands');

type Branded = { [BRANDS]?: readonly string[] };

/**
 * Stores `brands` on `target` (an error, or the prototype of an error class), not enumerable:
 * kept out of `toJSON`, `JSON.stringify` and the default `util.inspect`.
 *
 * @example
 * ```ts
 * import { hasErrorBrand, setErrorBrands } from '@dx/core-client';
 *
 * class QuotaError extends Error {
 *   static [Symbol.hasInstance](value: unknown) {
 *     return hasErrorBrand(value, 'QuotaError');
 *   }
 *   static {
 *     setErrorBrands(this.prototype, ['QuotaError']);
 *   }
 * }
 * ```
 */
export function setErrorBrands(target: object, brands: readonly string[]): void {
  Object.defineProperty(target, BRANDS, { value: brands });
}

/**
 * Whether `value` carries `brand` (on itself or its prototype chain), whichever copy of a
 * package made it.
 *
 * @example
 * ```ts
 * import { hasErrorBrand } from '@dx/core-client';
 *
 * hasErrorBrand(new Error('x'), 'DxError'); // false
 * ```
 */
export function hasErrorBrand(value: unknown, brand: string): boolean {
  return (value as Branded | null | undefined)?.[BRANDS]?.includes(brand) === true;
}
