/* generated using openapi-typescript-codegen -- do not edit */
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * Error body of the DX APIs. (unconfirmed: fields differ between endpoints, so all are optional.)
 *
 * @example
 * ```ts
 * const value: ErrorResponse = {"code":"404","message":"No such device."};
 * ```
 */
export type ErrorResponse = {
  /**
   * Machine-readable error code.
   */
  code?: string;
  /**
   * Human-readable explanation.
   */
  message?: string;
};

