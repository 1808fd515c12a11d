import type { DxCoreClient } from '@dx/core-client';
import { sendDownlink, type SendDownlinkOptions } from '@dx/downlink-helpers';

/** The request `sendDownlink` would make: what `--dry-run` prints. */
export interface PlannedRequest {
  device: string;
  requestBody: { payloadHex: string; targetPorts: string; securityParams?: unknown };
  confirmDownlink?: boolean | undefined;
  flushDownlinkQueue?: boolean | undefined;
}

/**
 * Runs the real `sendDownlink` against a client that records the request instead of sending
 * it: a dry run checks exactly what a real send checks (the DevEUI-or-ref rule, FPort,
 * payload, size), with no second implementation of any rule. Throws the helpers' errors.
 */
export async function planDownlink(options: SendDownlinkOptions): Promise<PlannedRequest> {
  let planned: PlannedRequest | undefined;
  const recorder = {
    downlink: {
      sendDownlinkMessage(request: PlannedRequest) {
        planned = request;
        return Promise.resolve({});
      },
    },
  } as unknown as DxCoreClient;
  await sendDownlink(recorder, options);
  return planned as PlannedRequest;
}

/** The planned request as `--dry-run` shows it: the DX call, query flags only when set. */
export function describePlan(plan: PlannedRequest): Record<string, unknown> {
  const query: Record<string, boolean> = {};
  if (plan.confirmDownlink !== undefined) query.confirmDownlink = plan.confirmDownlink;
  if (plan.flushDownlinkQueue !== undefined) query.flushDownlinkQueue = plan.flushDownlinkQueue;
  const { securityParams, ...body } = plan.requestBody;
  return {
    method: 'POST',
    path: `/devices/${encodeURIComponent(plan.device)}/downlinkMessages`,
    query,
    // The AS key is a secret: say it is there, never print it.
    body: securityParams === undefined ? body : { ...body, securityParams: '(set, not shown)' },
  };
}
