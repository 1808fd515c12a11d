export { DownlinkError, type DownlinkErrorCode, type DownlinkErrorOptions } from './errors.js';
export { hexToBytes, bytesToHex, toByteArray, type FieldOptions } from './hex.js';
export { base64ToBytes, bytesToBase64 } from './base64.js';
export { textToBytes } from './text.js';
export {
  encodeLayout,
  type LayoutField,
  type NumberField,
  type NumberType,
  type FlagsField,
  type BitField,
  type BytesField,
} from './binary-layout.js';
export { encodeCayenneLpp, type CayenneLppItem, type CayenneLppScalarType } from './cayenne-lpp.js';
export {
  encodeWithCodec,
  type DownlinkCodec,
  type CodecEncodeResult,
  type CodecDownlink,
  type EncodeWithCodecOptions,
} from './codec-adapter.js';
export { normalizeDevEui } from './deveui.js';
export { validateFPort, type FPortOptions } from './fport.js';
export { maxPayloadSize, type Region, type DataRate, type PayloadSizeOptions } from './regions.js';
export { timeOnAir, type TimeOnAirParams } from './time-on-air.js';
export {
  buildDownlinkMessage,
  checkPayloadSize,
  payloadToBytes,
  type BuildDownlinkOptions,
  type DownlinkMessage,
  type PayloadInput,
  type SecurityParams,
} from './downlink-message.js';
export { sendDownlink, type SendDownlinkOptions } from './send-downlink.js';
