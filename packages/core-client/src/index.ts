/**
 * `@dx/core-client`: a typed client for the ThingPark DX Core API, generated from
 * `specs/dx-core/openapi.yaml`, with a hand-written request runtime.
 *
 * @packageDocumentation
 */
export { DxCoreClient } from './generated/DxCoreClient';
export { DownlinkService } from './generated/services/DownlinkService';
export { BaseHttpRequest } from './generated/core/BaseHttpRequest';
export { CancelablePromise, CancelError } from './generated/core/CancelablePromise';
export type { OpenAPIConfig } from './generated/core/OpenAPI';
export type { ApiRequestOptions } from './generated/core/ApiRequestOptions';
export type { DownlinkMessage } from './generated/models/DownlinkMessage';
export type { DownlinkMessageResponse } from './generated/models/DownlinkMessageResponse';
export type { DownlinkSecurityParams } from './generated/models/DownlinkSecurityParams';
export type { ErrorResponse } from './generated/models/ErrorResponse';
export {
  AbortError,
  ApiError,
  AuthError,
  DxError,
  InvalidRequestError,
  NetworkError,
  ResponseParseError,
  TimeoutError,
  type AuthStep,
  type RequestSummary,
} from './errors.js';
export {
  createDxClient,
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
