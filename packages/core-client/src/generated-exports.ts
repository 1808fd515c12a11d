/**
 * The generated API, re-exported under documentation of our own: generated files carry no
 * usage examples and must not be edited, so each public name is declared here once more,
 * as the same value (so `instanceof` and `new` work unchanged) with a TSDoc comment.
 */
import { DxCoreClient as GeneratedDxCoreClient } from './generated/DxCoreClient';
import { BaseHttpRequest as GeneratedBaseHttpRequest } from './generated/core/BaseHttpRequest';
import { CancelablePromise as GeneratedCancelablePromise } from './generated/core/CancelablePromise';
import type { ApiRequestOptions as GeneratedApiRequestOptions } from './generated/core/ApiRequestOptions';
import type { OpenAPIConfig as GeneratedOpenAPIConfig } from './generated/core/OpenAPI';
import type { DownlinkMessage as GeneratedDownlinkMessage } from './generated/models/DownlinkMessage';
import type { DownlinkMessageResponse as GeneratedDownlinkMessageResponse } from './generated/models/DownlinkMessageResponse';
import type { DownlinkSecurityParams as GeneratedDownlinkSecurityParams } from './generated/models/DownlinkSecurityParams';
import type { ErrorResponse as GeneratedErrorResponse } from './generated/models/ErrorResponse';
import { DownlinkService as GeneratedDownlinkService } from './generated/services/DownlinkService';

/**
 * The generated DX Core client class. Prefer {@link createDxClient}, which configures auth,
 * timeouts and retries; `new DxCoreClient({ BASE, TOKEN })` gives the bare client (30 s timeout,
 * no retries, the token from `TOKEN`).
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
export const DxCoreClient: typeof GeneratedDxCoreClient = GeneratedDxCoreClient;
/**
 * An instance of the DX Core client: `client.downlink` holds the downlink operations.
 *
 * @example
 * ```ts
 * function queue(client: DxCoreClient) {
 *   return client.downlink.sendDownlinkMessage({ device: 'ref-1', requestBody: { payloadHex: '01', targetPorts: '1' } });
 * }
 * ```
 */
export type DxCoreClient = GeneratedDxCoreClient;

/**
 * The downlink operations: `client.downlink` of a `DxCoreClient`, or built alone on
 * {@link createDxRequest}, so that a bundle carries this service and no other.
 *
 * @example
 * ```ts
 * const downlink = new DownlinkService(createDxRequest({ auth: { token } }));
 * await downlink.sendDownlinkMessage({ device, requestBody, confirmDownlink: true });
 * ```
 */
export const DownlinkService: typeof GeneratedDownlinkService = GeneratedDownlinkService;
/**
 * An instance of the downlink operations.
 *
 * @example
 * ```ts
 * const downlink: DownlinkService = client.downlink;
 * ```
 */
export type DownlinkService = GeneratedDownlinkService;

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
export const BaseHttpRequest: typeof GeneratedBaseHttpRequest = GeneratedBaseHttpRequest;
/**
 * An instance of a transport (`client.request`).
 *
 * @example
 * ```ts
 * const transport: BaseHttpRequest = client.request;
 * ```
 */
export type BaseHttpRequest = GeneratedBaseHttpRequest;

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
export const CancelablePromise: typeof GeneratedCancelablePromise = GeneratedCancelablePromise;
/**
 * A cancelable promise of `T`.
 *
 * @example
 * ```ts
 * const pending: CancelablePromise<DownlinkMessageResponse> = client.downlink.sendDownlinkMessage(args);
 * ```
 */
export type CancelablePromise<T> = GeneratedCancelablePromise<T>;

/**
 * Settings of the generated client (`BASE`, `TOKEN`, `HEADERS`, ...).
 *
 * @example
 * ```ts
 * const config: Partial<OpenAPIConfig> = { BASE: 'https://dx-api.thingpark.com/core/latest/api', TOKEN: token };
 * ```
 */
export type OpenAPIConfig = GeneratedOpenAPIConfig;

/**
 * One operation call as the generated services describe it to the transport.
 *
 * @example
 * ```ts
 * const options: ApiRequestOptions = { method: 'POST', url: '/devices/{device}/downlinkMessages', path: { device } };
 * ```
 */
export type ApiRequestOptions = GeneratedApiRequestOptions;

/**
 * A LoRaWAN downlink to queue: the FRMPayload as hex and the FPort as a decimal string.
 * `@dx/downlink-helpers` builds it from bytes, Cayenne LPP or a device codec, with validation.
 *
 * @example
 * ```ts
 * const message: DownlinkMessage = { payloadHex: '03670110', targetPorts: '2' };
 * ```
 */
export type DownlinkMessage = GeneratedDownlinkMessage;

/**
 * Application Server credentials of a downlink. `asKey` is a secret: it is never copied into
 * errors.
 *
 * @example
 * ```ts
 * const securityParams: DownlinkSecurityParams = { asId: 'my-as', asKey: process.env.AS_KEY! };
 * ```
 */
export type DownlinkSecurityParams = GeneratedDownlinkSecurityParams;

/**
 * What DX answers once a downlink is queued (`status` is `"QUEUED"`; other fields vary).
 *
 * @example
 * ```ts
 * const result: DownlinkMessageResponse = await client.downlink.sendDownlinkMessage(args);
 * if (result.status !== 'QUEUED') throw new Error(`not queued: ${result.status}`);
 * ```
 */
export type DownlinkMessageResponse = GeneratedDownlinkMessageResponse;

/**
 * Error body of the DX APIs, as found in `ApiError.body` (fields are optional).
 *
 * @example
 * ```ts
 * if (err instanceof ApiError) showMessage((err.body as ErrorResponse).message);
 * ```
 */
export type ErrorResponse = GeneratedErrorResponse;
