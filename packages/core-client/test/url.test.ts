import { describe, expect, it } from 'vitest';
import { InvalidRequestError } from '../src/index.js';
import { buildUrl } from '../src/runtime/url.js';
import type { ApiRequestOptions } from '../src/generated/core/ApiRequestOptions';
import type { OpenAPIConfig } from '../src/generated/core/OpenAPI';

const config = (BASE: string, extra: Partial<OpenAPIConfig> = {}): OpenAPIConfig => ({
  BASE,
  VERSION: '1',
  WITH_CREDENTIALS: false,
  CREDENTIALS: 'include',
  ...extra,
});
const options = (url: string, extra: Partial<ApiRequestOptions> = {}): ApiRequestOptions => ({
  method: 'POST',
  url,
  ...extra,
});

describe('buildUrl', () => {
  it('fills every parameter of a template, wherever it sits', () => {
    const url = buildUrl(
      config('https://h/api'),
      options('/{a}/x/{b}{c}', { path: { a: 'one', b: 'two/2', c: 3 } }),
    );
    expect(url).toBe('https://h/api/one/x/two%2F23');
  });

  it('reuses a template for other values and other bases', () => {
    const template = '/devices/{device}/downlinkMessages';
    expect(buildUrl(config('https://h/api'), options(template, { path: { device: 'A' } }))).toBe(
      'https://h/api/devices/A/downlinkMessages',
    );
    expect(buildUrl(config('http://o//'), options(template, { path: { device: 'B c' } }))).toBe(
      'http://o/devices/B%20c/downlinkMessages',
    );
  });

  it('keeps each base when calls with different bases alternate', () => {
    const template = options('/s');
    const bases = ['https://a/api/', 'https://b/x', 'https://a/api/', 'https://b/x//'];
    expect(bases.map((base) => buildUrl(config(base), template))).toEqual([
      'https://a/api/s',
      'https://b/x/s',
      'https://a/api/s',
      'https://b/x/s',
    ]);
  });

  it('keeps a template without parameters as is', () => {
    expect(buildUrl(config('https://h/api/'), options('/status'))).toBe('https://h/api/status');
  });

  it('appends defined query values only, arrays as repeated names', () => {
    const url = buildUrl(
      config('https://h'),
      options('/q', { query: { a: true, skip: undefined, none: null, list: [1, 'x y'] } }),
    );
    expect(url).toBe('https://h/q?a=true&list=1&list=x+y');
  });

  it('uses ENCODE_PATH when the config has one', () => {
    const url = buildUrl(
      config('https://h', { ENCODE_PATH: (v) => v.toUpperCase() }),
      options('/d/{device}', { path: { device: 'ab' } }),
    );
    expect(url).toBe('https://h/d/AB');
  });

  it.each([
    ['missing', undefined, 'device: must be a string, got undefined'],
    ['empty', '', 'device: must not be empty'],
    ['dot-dot', '..', 'device: must not be ".."'],
    ['an object', {}, 'device: must be a string, got object'],
  ])('refuses a %s path parameter with a typed error', (_, device, message) => {
    const build = () => buildUrl(config('https://h'), options('/d/{device}', { path: { device } }));
    expect(build).toThrow(InvalidRequestError);
    expect(build).toThrow(message);
  });
});
