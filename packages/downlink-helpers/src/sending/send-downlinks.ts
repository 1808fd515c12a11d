import { DownlinkError } from '../errors.js';
import { checkClient, type DownlinkClient } from './downlink-client.js';
import { openSource } from './fleet/items.js';
import type {
  FleetItem,
  FleetProgress,
  FleetResult,
  FleetWait,
  SendDownlinksOptions,
} from './fleet/run-types.js';
import { Scheduler } from './fleet/scheduler.js';
import { checkOptions } from './fleet/settings.js';

export type { FleetItem, FleetProgress, FleetResult, FleetWait, SendDownlinksOptions };

/**
 * What {@link sendDownlinks} returns: iterate it (once) to run; `summary` resolves with the
 * last progress when the iteration ends (and rejects with the error that ended it).
 *
 * @example
 * ```ts
 * import type { FleetRun } from '@dx/downlink-helpers';
 *
 * async function drain(run: FleetRun) {
 *   const problems = [];
 *   for await (const result of run) if (result.outcome !== 'queued') problems.push(result);
 *   return { problems, summary: await run.summary };
 * }
 * ```
 */
export interface FleetRun extends AsyncIterable<FleetResult> {
  summary: Promise<FleetProgress>;
}

/**
 * Sends a downlink to every item of `items`, at the rate DX allows, never twice. Each item
 * gets one {@link FleetResult} (see the outcome table in the README); results come in
 * completion order. With a client of `@dx/core-client` the run makes every attempt itself (the
 * client's own retries are set aside, its `maxDelayMs` kept): it sees every 429/503, slows
 * the whole run down and sends those items again. When DX or its token endpoint fails every
 * attempt for a while, the run stops itself: the last progress holds `outage`.
 *
 * @example
 * ```ts
 * import { createDxClient } from '@dx/core-client';
 * import { sendDownlinks } from '@dx/downlink-helpers';
 *
 * const client = createDxClient({ auth: { clientId, clientSecret } });
 * const items = devices.map((device) => ({ id: device, device, payload: { hex: '0101' }, fPort: 2 }));
 * const run = sendDownlinks(client, items, { concurrency: 16 });
 * for await (const result of run) {
 *   if (result.outcome !== 'queued') needsAttention.push(result); // failed, unknown, invalid
 * }
 * const summary = await run.summary; // { queued: 998, failed: 2, ... }
 * ```
 */
export function sendDownlinks(
  client: DownlinkClient,
  items: Iterable<FleetItem> | AsyncIterable<FleetItem>,
  options: SendDownlinksOptions = {},
): FleetRun {
  checkClient(client);
  const source = openSource(items);
  const fleet = new Scheduler(client, source, checkOptions(options, items));
  let iterated = false;
  return {
    summary: fleet.summary,
    [Symbol.asyncIterator]() {
      if (iterated) {
        throw new DownlinkError('INVALID_ARGUMENT', 'run', 'a run can be iterated only once');
      }
      iterated = true;
      return fleet.results();
    },
  };
}
