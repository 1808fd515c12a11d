/* generated using openapi-typescript-codegen -- do not edit */
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
import type { DownlinkMessage } from '../models/DownlinkMessage';
import type { DownlinkMessageResponse } from '../models/DownlinkMessageResponse';
import type { CancelablePromise } from '../core/CancelablePromise';
import type { BaseHttpRequest } from '../core/BaseHttpRequest';
export class DownlinkService {
  constructor(public readonly httpRequest: BaseHttpRequest) {}
  /**
   * Downlink message sending
   * Sends a new downlink message to the device, if that device is within authorized scopes. The message is queued in the LRC until the device is able to retrieve it (depending on its configured class).
   * @returns DownlinkMessageResponse The message was queued.
   * @throws ApiError
   */
  public sendDownlinkMessage({
    device,
    requestBody,
    confirmDownlink,
    flushDownlinkQueue,
  }: {
    /**
     * Ref or DevEUI of the device to which the downlink message should be sent. (unconfirmed: some integrations report that only the ref works.)
     */
    device: string,
    /**
     * Contents of the downlink message to send
     */
    requestBody: DownlinkMessage,
    /**
     * Indicates to send a downlink reception confirmation
     */
    confirmDownlink?: boolean,
    /**
     * Indicates to flush the LRC downlink queue before adding the new message to the queue
     */
    flushDownlinkQueue?: boolean,
  }): CancelablePromise<DownlinkMessageResponse> {
    return this.httpRequest.request({
      method: 'POST',
      url: '/devices/{device}/downlinkMessages',
      path: {
        'device': device,
      },
      query: {
        'confirmDownlink': confirmDownlink,
        'flushDownlinkQueue': flushDownlinkQueue,
      },
      body: requestBody,
      mediaType: 'application/json',
      errors: {
        400: `The message or a parameter is invalid.`,
        401: `The access token is missing, invalid or expired.`,
        403: `The device is outside the token's authorized scopes.`,
        404: `No such device.`,
        429: `Too many requests; honour Retry-After.`,
        500: `Server error; the message may or may not have been queued.`,
        503: `Service unavailable; the message was not queued.`,
      },
    });
  }
}
