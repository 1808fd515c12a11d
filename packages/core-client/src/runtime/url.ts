import type { ApiRequestOptions } from '../generated/core/ApiRequestOptions';
import type { OpenAPIConfig } from '../generated/core/OpenAPI';
import { InvalidRequestError } from '../errors.js';

/**
 * Path parameters are encoded with `encodeURIComponent` (not the generator's `encodeURI`), so
 * that a device id holding `/ ? # %` or `..` stays one path segment and can't reach another
 * endpoint. A missing or empty path parameter would produce `//` in the URL: refused instead.
 */
function encodePathParameter(name: string, value: unknown, encode: (v: string) => string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return encode(String(value));
  if (typeof value !== 'string')
    throw new InvalidRequestError(name, `must be a string, got ${describe(value)}`);
  if (value.length === 0) throw new InvalidRequestError(name, 'must not be empty');
  if (value === '.' || value === '..')
    throw new InvalidRequestError(name, `must not be "${value}"`);
  return encode(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function appendQuery(params: URLSearchParams, name: string, value: unknown): void {
  if (value === undefined || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) appendQuery(params, name, item);
    return;
  }
  if (typeof value === 'object') throw new InvalidRequestError(name, 'must not be an object');
  params.append(name, String(value));
}

/** BASE + templated path + query, the way the DX API expects it. */
export function buildUrl(config: OpenAPIConfig, options: ApiRequestOptions): string {
  const encode = config.ENCODE_PATH ?? encodeURIComponent;
  const path = options.url.replace(/\{([^}]+)\}/g, (_, name: string) =>
    encodePathParameter(name, options.path?.[name], encode),
  );
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(options.query ?? {})) appendQuery(params, name, value);
  const query = params.toString();
  const base = config.BASE.endsWith('/') ? config.BASE.slice(0, -1) : config.BASE;
  return `${base}${path}${query ? `?${query}` : ''}`;
}
