import type { ApiRequestOptions } from '../generated/core/ApiRequestOptions';
import type { OpenAPIConfig } from '../generated/core/OpenAPI';
import { InvalidRequestError } from '../errors.js';

/**
 * Path parameters are encoded with `encodeURIComponent` (not the generator's `encodeURI`), so
 * that a device id holding `/ ? # %` or `..` stays one path segment and can't reach another
 * endpoint. A missing or empty path parameter would produce `//` in the URL: refused instead.
 */
function pathParameter(name: string, value: unknown, encode: (v: string) => string): string {
  if (typeof value === 'number' && Number.isFinite(value)) return encode(String(value));
  const problem =
    typeof value !== 'string'
      ? `must be a string, got ${value === null ? 'null' : typeof value}`
      : value === ''
        ? 'must not be empty'
        : value === '.' || value === '..'
          ? `must not be "${value}"`
          : '';
  if (problem) throw new InvalidRequestError(name, problem);
  return encode(value as string);
}

// Built by hand rather than with URLSearchParams: this runs on every call, and the object
// costs more than the two booleans it usually carries.
function appendQuery(parts: string[], name: string, value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) appendQuery(parts, name, item);
  } else if (typeof value === 'object' && value !== null) {
    throw new InvalidRequestError(name, 'must not be an object');
  } else if (value !== undefined && value !== null) {
    parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`);
  }
}

/** Path templates split once: even entries are literal text, odd ones parameter names. */
const templates = new Map<string, string[]>();

/** The last BASE seen and its form without trailing slashes: a client keeps one BASE. */
let lastBase = '';
let lastTrimmedBase = '';

/** BASE (trailing slashes dropped) + templated path + query, the way the DX API expects it. */
export function buildUrl(config: OpenAPIConfig, options: ApiRequestOptions): string {
  const encode = config.ENCODE_PATH ?? encodeURIComponent;
  let segments = templates.get(options.url);
  // The generated services hold a fixed set of templates, so the cache stays that small.
  if (segments === undefined)
    templates.set(options.url, (segments = options.url.split(/\{([^}]+)\}/)));
  if (config.BASE !== lastBase) {
    lastBase = config.BASE;
    lastTrimmedBase = lastBase.replace(/\/+$/, '');
  }
  let url = lastTrimmedBase + segments[0];
  for (let i = 1; i < segments.length; i += 2) {
    const name = segments[i]!;
    url += pathParameter(name, options.path?.[name], encode) + segments[i + 1];
  }
  const parts: string[] = [];
  for (const name in options.query) appendQuery(parts, name, options.query[name]);
  return parts.length ? `${url}?${parts.join('&')}` : url;
}
