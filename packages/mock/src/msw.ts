/**
 * `@dx/mock/msw`: the same mock as `startDxMock` (same core: validation, faults, records) as
 * Mock Service Worker request handlers, for tests that run in-process or in a browser.
 *
 * @packageDocumentation
 */
import { delay, http, HttpResponse, type RequestHandler } from 'msw';
import { check, httpUrl, object } from './checks.js';
import type { DxMockControls } from './controls.js';
import { createMockCore } from './core.js';
import type { DxMockOptions } from './options.js';
import { serverUrlOf, specOf, tokenUrlOf } from './spec/spec.js';

/** Settings of {@link dxHandlers}. */
export interface DxHandlersOptions extends DxMockOptions {
  /** The base URL to answer at. Default: the spec's server, which is `createDxClient`'s default. */
  baseUrl?: string;
  /** The token URL to answer at. Default: the spec's, which is `createDxClient`'s default. */
  tokenUrl?: string;
}

/** The handlers to give msw, plus the records and controls of the mock behind them. */
export interface DxMswMock extends DxMockControls {
  /** For `setupServer(...mock.handlers)` or `setupWorker(...mock.handlers)`. */
  readonly handlers: RequestHandler[];
  /** The base URL the handlers answer at. */
  readonly url: string;
  /** The token URL the handlers answer at. */
  readonly tokenUrl: string;
}

/**
 * msw handlers that act as DX: the DX Core operations under `baseUrl` and the OAuth2 token
 * endpoint at `tokenUrl`, by default where `createDxClient` sends requests when given no
 * `baseUrl` or `tokenUrl`, accepting the same default credentials as `startDxMock`.
 *
 * @example
 * ```ts
 * const dx = dxHandlers();
 * const server = setupServer(...dx.handlers);
 * server.listen();
 * const client = createDxClient({ auth: { clientId: dx.clientId, clientSecret: dx.clientSecret } });
 * ```
 */
export function dxHandlers(options: DxHandlersOptions = {}): DxMswMock {
  check('options', options, object);
  const spec = specOf(options);
  const url = check('options.baseUrl', options.baseUrl ?? serverUrlOf(spec), httpUrl).replace(
    /\/$/,
    '',
  );
  const tokenUrl = check('options.tokenUrl', options.tokenUrl ?? tokenUrlOf(spec), httpUrl);
  const core = createMockCore(options, { baseUrl: url, tokenUrl });

  const resolver = async ({ request }: { request: Request }): Promise<Response> => {
    const answer = await core.handle({
      method: request.method,
      url: new URL(request.url),
      headers: Object.fromEntries(request.headers),
      body: new Uint8Array(await request.arrayBuffer()),
    });
    if (answer.kind === 'no-answer') {
      await delay('infinite');
    }
    if (answer.kind !== 'respond') return HttpResponse.error();
    const empty = answer.body === '' || answer.status === 204 || answer.status === 304;
    return new HttpResponse(empty ? null : answer.body, {
      status: answer.status,
      headers: answer.headers,
    });
  };

  return Object.assign(core, {
    // The bare base URL too: the server answers it (404, no operation there), so must msw.
    handlers: [
      http.all(tokenUrl, resolver),
      http.all(url, resolver),
      http.all(`${url}/*`, resolver),
    ],
    url,
    tokenUrl,
  });
}

export type { DxMockControls } from './controls.js';
export type { DxMockOptions } from './options.js';
