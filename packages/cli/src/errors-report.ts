import { DxError } from '@dx/core-client';
import { DownlinkError } from '@dx/downlink-helpers';

/**
 * An error as NDJSON and human output show it: the library's own name, message and safe
 * fields. Library errors never hold a secret (their contract); anything else is reduced to
 * its name and message.
 */
export function errorJson(error: unknown): Record<string, unknown> {
  if (error instanceof DownlinkError) {
    return { name: 'DownlinkError', code: error.code, field: error.field, message: error.message };
  }
  if (error instanceof DxError) {
    const { name, message, status } = error as DxError & { status?: number };
    return status === undefined ? { name, message } : { name, message, status };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}
