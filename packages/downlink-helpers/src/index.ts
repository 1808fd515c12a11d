export { DownlinkError, type DownlinkErrorCode, type DownlinkErrorOptions } from './errors.js';
export { hexToBytes, bytesToHex, toByteArray, type FieldOptions } from './encoders/hex.js';
export { base64ToBytes, bytesToBase64 } from './encoders/base64.js';
export { textToBytes } from './encoders/text.js';
export {
  encodeLayout,
  type LayoutField,
  type NumberField,
  type NumberType,
  type FlagsField,
  type BitField,
  type BytesField,
} from './encoders/binary-layout.js';
export {
  encodeCayenneLpp,
  type CayenneLppItem,
  type CayenneLppScalarType,
} from './encoders/cayenne-lpp.js';
export { type DownlinkCodec, type CodecEncodeResult } from './encoders/codec-adapter.js';
export {
  encodeWithCodec,
  type CodecDownlink,
  type EncodeWithCodecOptions,
} from './sending/codec-downlink.js';
export { normalizeDevEui } from './lorawan/deveui.js';
export { normalizeDevice } from './lorawan/device.js';
export { validateFPort, type FPortOptions } from './lorawan/fport.js';
export {
  maxPayloadSize,
  type Region,
  type DataRate,
  type PayloadSizeOptions,
} from './lorawan/regions.js';
export { timeOnAir, type TimeOnAirParams } from './lorawan/time-on-air.js';
export {
  buildDownlinkMessage,
  checkPayloadSize,
  MAX_PAYLOAD_SIZE,
  payloadToBytes,
  type BuildDownlinkOptions,
  type DownlinkMessage,
  type PayloadInput,
  type SecurityParams,
} from './sending/downlink-message.js';
export {
  buildDownlinkRequest,
  sendDownlink,
  type DownlinkRequest,
  type SendDownlinkOptions,
} from './sending/send-downlink.js';
export { type DownlinkClient } from './sending/downlink-client.js';
export { type DownlinkOutcome } from './sending/outcome.js';
export { type FleetOutage, type OutageReason } from './sending/circuit-breaker.js';
export { type FleetPace } from './sending/fleet-pace.js';
export {
  createMemoryJournal,
  JOURNAL_EVENTS,
  type DownlinkJournal,
  type JournalEvent,
  type JournalRecord,
} from './sending/journal.js';
export {
  sendDownlinks,
  type FleetItem,
  type FleetProgress,
  type FleetResult,
  type FleetRun,
  type FleetWait,
  type SendDownlinksOptions,
} from './sending/send-downlinks.js';
