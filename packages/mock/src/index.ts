/**
 * `@dx/mock`: a fake ThingPark DX API for tests, driven by the committed OpenAPI spec. A real
 * HTTP server on 127.0.0.1 (`startDxMock`); msw handlers from `@dx/mock/msw`; `dx-mock` command.
 *
 * @packageDocumentation
 */
export { startDxMock, type DxMock, type StartDxMockOptions } from './server.js';
export {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_MAX_RECORDS,
  type DxMockOptions,
} from './options.js';
export { MAX_BODY_BYTES } from './exchange.js';
export type { DxMockControls, DxMockCounts } from './controls.js';
export {
  fetchMockDownlinks,
  MOCK_DOWNLINKS_PATH,
  type MockDownlink,
  type MockDownlinkList,
} from './inspect.js';
export {
  FAULTS,
  type DxFault,
  type DxFaultOptions,
  type DxFaultRule,
  type DxFaultShareOptions,
  type DxFaultTarget,
} from './behaviour/faults.js';
export type { DxRateLimit } from './behaviour/rate-limit.js';
export { REDACTED, type DxDownlinkRecord, type DxRequestRecord } from './records.js';
export {
  DOWNLINK_OPERATION,
  type DxOperationAnswer,
  type DxOperationHandler,
  type DxOperationHandlers,
  type DxOperationRequest,
} from './behaviour/handlers.js';
export type { JsonSchema, OpenApiDocument } from './spec/openapi-types.js';
export { DX_CORE_SPEC } from './spec/spec.gen.js';
