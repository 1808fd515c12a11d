/* generated using openapi-typescript-codegen -- do not edit */
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * What DX answers once the message is queued. (unconfirmed: only status is relied on by public integrations, which compare it with "QUEUED", so it is required; other fields vary and are allowed.)
 *
 * @example
 * ```ts
 * const value: DownlinkMessageResponse = {"status":"QUEUED"};
 * ```
 */
export type DownlinkMessageResponse = {
  /**
   * Queueing status; "QUEUED" on success.
   */
  status: string;
};

