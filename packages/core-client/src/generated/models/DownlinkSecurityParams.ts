/* generated using openapi-typescript-codegen -- do not edit */
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * Application Server credentials, for devices whose payload the AS encrypts. (unconfirmed: one integration also sent creationTime.)
 *
 * @example
 * ```ts
 * const value: DownlinkSecurityParams = {"asId":"my-as","asKey":"0123456789ABCDEF0123456789ABCDEF"};
 * ```
 */
export type DownlinkSecurityParams = {
  /**
   * Application Server identifier.
   */
  asId: string;
  /**
   * Application Server key. A secret; never log it.
   */
  asKey: string;
};

