import { createDxClient, type DxCoreClient } from '@dx/core-client';
import { afterEach } from 'vitest';
import {
  startFleetServer,
  type FleetServer,
  type FleetServerOptions,
} from '../../../../scripts/test-support/fleet-server.js';
import type { FleetItem, FleetResult, FleetRun } from '../../src/index.js';

/** Starts fleet servers that are closed after each test. */
export function useFleetServers(): (options?: FleetServerOptions) => Promise<FleetServer> {
  const servers: FleetServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  return async (options) => {
    const server = await startFleetServer(options);
    servers.push(server);
    return server;
  };
}

/** A client as the fleet docs recommend it: no retries of its own. */
export function fleetClient(baseUrl: string, timeoutMs?: number): DxCoreClient {
  return createDxClient({ baseUrl, auth: { token: 'tok-SECRET' }, retry: false, timeoutMs });
}

/** `count` items to devices `dev-0`, `dev-1`, ... */
export function items(count: number, extra: Partial<FleetItem> = {}): FleetItem[] {
  return Array.from({ length: count }, (_, i) => ({
    device: `dev-${i}`,
    payload: { hex: '0102' },
    fPort: 2,
    ...extra,
  }));
}

export async function collect(run: FleetRun): Promise<FleetResult[]> {
  const results: FleetResult[] = [];
  for await (const result of run) results.push(result);
  return results;
}

export function byOutcome(results: FleetResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of results) counts[r.outcome] = (counts[r.outcome] ?? 0) + 1;
  return counts;
}
