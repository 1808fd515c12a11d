/* generated using openapi-typescript-codegen -- do not edit */
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
export { DxCoreClient } from './DxCoreClient';

export { ApiError } from './core/ApiError';
export { BaseHttpRequest } from './core/BaseHttpRequest';
export { CancelablePromise, CancelError } from './core/CancelablePromise';
export { OpenAPI } from './core/OpenAPI';
export type { OpenAPIConfig } from './core/OpenAPI';

export type { DownlinkMessage } from './models/DownlinkMessage';
export type { DownlinkMessageResponse } from './models/DownlinkMessageResponse';
export type { DownlinkSecurityParams } from './models/DownlinkSecurityParams';
export type { ErrorResponse } from './models/ErrorResponse';

export { DownlinkService } from './services/DownlinkService';
