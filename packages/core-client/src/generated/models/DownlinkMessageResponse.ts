/* generated using openapi-typescript-codegen -- do not edit */
/* istanbul ignore file */
/* tslint:disable */
/* eslint-disable */
/**
 * What DX answers once the message is queued. (unconfirmed: only status is relied on by public integrations; other fields vary.)
 */
export type DownlinkMessageResponse = Record<string, any>;
