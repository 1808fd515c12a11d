import type { DownlinkRequest } from '@dx/downlink-helpers';

/** The planned request as `--dry-run` shows it: the DX call, query flags only when set. */
export function describePlan(plan: DownlinkRequest): Record<string, unknown> {
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
