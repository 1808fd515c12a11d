/* generated using openapi-typescript-codegen -- do not edit */
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { DownlinkSecurityParams } from './DownlinkSecurityParams';
/**
 * A LoRaWAN downlink to queue in the LRC (the network server).
 *
 * @example
 * ```ts
 * const value: DownlinkMessage = {"payloadHex":"03670110","targetPorts":"2"};
 * ```
 */
export type DownlinkMessage = {
  /**
   * The FRMPayload as hexadecimal, two digits per byte, no separators. Upper or lower case; at most 242 bytes (the largest LoRaWAN downlink).
   */
  payloadHex: string;
  /**
   * The LoRaWAN FPort as a decimal string, for example "2". (unconfirmed: the plural name suggests a comma-separated list may be accepted, so the pattern allows one.)
   */
  targetPorts: string;
  securityParams?: DownlinkSecurityParams;
};

