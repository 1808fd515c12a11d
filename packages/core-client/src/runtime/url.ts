import type { ApiRequestOptions } from '../generated/core/ApiRequestOptions';
import type { OpenAPIConfig } from '../generated/core/OpenAPI';
import { InvalidRequestError } from '../errors.js';
import { UNFIT_BASE } from '../options.js';

/**
 * Path parameters are encoded with `encodeURIComponent` (not the generator's `encodeURI`), so
 * that a device id holding `/ ? # %` or `..` stays one path segment and can't reach another
 * endpoint. A missing or empty path parameter would produce `//` in the URL: refused instead,
 * and so is a value the encoder can't take (a lone UTF-16 surrogate, on which
 * `encodeURIComponent` throws a bare `URIError`).
 */
function pathParameter(name: string, value: unknown, encode: (v: string) => string): string {
  const text = typeof value === 'number' && Number.isFinite(value) ? String(value) : value;
  const problem =
    typeof text !== 'string'
      ? `must be a string, got ${text === null ? 'null' : typeof text}`
      : text === ''
        ? 'must not be empty'
        : text === '.' || text === '..'
          ? `must not be "${text}"`
          : '';
  if (problem) throw new InvalidRequestError(name, problem);
  try {
    return encode(text as string);
  } catch {
    throw new InvalidRequestError(name, 'cannot be encoded in a URL');
  }
}

/** Defined query values; an array repeats its name, an object can't be a query value. */
function queryString(query: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'object' && item !== null) {
        throw new InvalidRequestError(name, 'must not be an object');
      }
      if (item !== undefined && item !== null) params.append(name, String(item));
    }
  }
  return `${params}`;
}

/**
 * BASE (trailing slashes dropped) + templated path + query, the way the DX API expects it.
 * `createDxClient` checks its `baseUrl` when the client is created; a BASE given to the bare
 * generated client is checked here: credentials in it would be sent and quoted in errors, and
 * the path would be appended to a query or fragment.
 */
export function buildUrl(config: OpenAPIConfig, options: ApiRequestOptions): string {
  if (UNFIT_BASE.test(config.BASE)) {
    throw new InvalidRequestError('BASE', 'must not hold user:pass@, a query or a fragment');
  }
  const encode = config.ENCODE_PATH ?? encodeURIComponent;
  const path = options.url.replace(/\{([^}]+)\}/g, (_match, name: string) =>
    pathParameter(name, options.path?.[name], encode),
  );
  const query = queryString(options.query);
  return config.BASE.replace(/\/+$/, '') + path + (query ? `?${query}` : '');
}
