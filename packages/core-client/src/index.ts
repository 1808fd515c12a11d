/**
 * `@dx/core-client`: a typed client for the ThingPark DX Core API, generated from
 * `specs/dx-core/openapi.yaml`, with a hand-written request runtime.
 *
 * @packageDocumentation
 */
export {
  BaseHttpRequest,
  CancelablePromise,
  DxCoreClient,
  type ApiRequestOptions,
  type DownlinkMessage,
  type DownlinkMessageResponse,
  type DownlinkSecurityParams,
  DownlinkService,
  type ErrorResponse,
  type OpenAPIConfig,
} from './generated-exports.js';
export {
  ApiError,
  AuthError,
  CancelError,
  DxError,
  InvalidRequestError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
  type AuthStep,
  type RequestSummary,
} from './errors.js';
export { hasErrorBrand, setErrorBrands } from './error-brands.js';
export {
  createDxClient,
  createDxRequest,
  DEFAULT_BASE_URL,
  type ClientCredentialsAuth,
  type DxClientOptions,
  type StaticTokenAuth,
} from './create-client.js';
export {
  createTokenProvider,
  DEFAULT_TOKEN_URL,
  staticTokenProvider,
  type TokenProvider,
  type TokenProviderOptions,
} from './token-provider.js';
export {
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  type RetryOptions,
  type ResolvedRetryOptions,
} from './retry-policy.js';
export { VERSION } from './version.js';
