declare const __DX_CORE_CLIENT_VERSION__: string | undefined;

/**
 * This package's version, stamped in at build time (sources run by tests say `0.0.0-dev`).
 *
 * @example
 * ```ts
 * const userAgent = `my-app (@dx/core-client ${VERSION})`;
 * ```
 */
export const VERSION: string =
  typeof __DX_CORE_CLIENT_VERSION__ === 'string' ? __DX_CORE_CLIENT_VERSION__ : '0.0.0-dev';
