/**
 * `@dx/core-client`: a typed client for the ThingPark DX Core API, generated from
 * `specs/dx-core/openapi.yaml`, with a hand-written request runtime.
 *
 * @packageDocumentation
 */
/**
 * Every service and model of the spec, as the pipeline derives them (`pnpm generate` writes
 * this file with their documentation from the spec): a new fragment's operations are exported
 * without editing this file.
 */
export * from './generated/spec-exports.js';
/**
 * The generated DX Core client class: one property per service of the spec (`downlink`, ...).
 * Prefer {@link createDxClient}, which configures auth, timeouts and retries;
 * `new DxCoreClient({ BASE, TOKEN })` gives the bare client (30 s timeout, no retries, the
 * token from `TOKEN`).
 *
 * @example
 * ```ts
 * const client = new DxCoreClient({ BASE: 'https://dx-api.thingpark.com/core/latest/api', TOKEN: token });
 * await client.downlink.sendDownlinkMessage({
 *   device: '0018B20000000B20',
 *   requestBody: { payloadHex: '03670110', targetPorts: '2' },
 * });
 * ```
 */
export { DxCoreClient } from './generated/DxCoreClient.js';
/**
 * Base class of the transport the generated client calls; extend it to plug in your own.
 *
 * @example
 * ```ts
 * class Recording extends BaseHttpRequest {
 *   request<T>(options: ApiRequestOptions): CancelablePromise<T> { ... }
 * }
 * const client = new DxCoreClient({ BASE }, Recording);
 * ```
 */
export { BaseHttpRequest } from './generated/core/BaseHttpRequest.js';
/**
 * The generated cancelable promise class, for custom `BaseHttpRequest` implementations. What
 * operations of this package return has the same surface (`then`, `catch`, `finally`,
 * `cancel()`, `isCancelled`) but is a native promise, so test for `cancel` rather than using
 * `instanceof CancelablePromise`. `cancel()` aborts the HTTP request in flight.
 *
 * @example
 * ```ts
 * const pending = client.downlink.sendDownlinkMessage({ device, requestBody });
 * pending.cancel();
 * ```
 */
export { CancelablePromise } from './generated/core/CancelablePromise.js';
/**
 * What the executor of a {@link CancelablePromise} is given to register its cancel handler.
 *
 * @example
 * ```ts
 * new CancelablePromise<void>((resolve, reject, onCancel) => onCancel(() => controller.abort()));
 * ```
 */
export type { OnCancel } from './generated/core/CancelablePromise.js';
/**
 * Settings of the generated client (`BASE`, `TOKEN`, `HEADERS`, ...).
 *
 * @example
 * ```ts
 * const config: Partial<OpenAPIConfig> = { BASE: 'https://dx-api.thingpark.com/core/latest/api', TOKEN: token };
 * ```
 */
export type { OpenAPIConfig } from './generated/core/OpenAPI.js';
/**
 * One operation call as the generated services describe it to the transport.
 *
 * @example
 * ```ts
 * const options: ApiRequestOptions = { method: 'POST', url: '/devices/{device}/downlinkMessages', path: { device } };
 * ```
 */
export type { ApiRequestOptions } from './generated/core/ApiRequestOptions.js';
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
  checkArray,
  checkBoolean,
  checkFunction,
  checkInteger,
  checkNumber,
  checkObject,
  checkString,
  optionError,
  type CheckFailure,
  type CheckProblem,
} from './checks.js';
export {
  createDxClient,
  createDxRequest,
  DEFAULT_BASE_URL,
  FLEET_TRANSPORT,
  type FleetTransport,
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
  backoffDelay,
  DEFAULT_RETRY_OPTIONS,
  parseRetryAfter,
  type RetryOptions,
  type ResolvedRetryOptions,
} from './retry-policy.js';
export { VERSION } from './version.js';
