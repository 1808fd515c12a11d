import { wrongType } from '../../describe.js';
import { DownlinkError } from '../../errors.js';
import type { FleetItem, FleetResult } from './run-types.js';
import { digestArgs } from '../journal.js';
import { buildDownlinkRequest, type DownlinkRequest } from '../send-downlink.js';

export type Source = Iterator<FleetItem> | AsyncIterator<FleetItem>;

export function openSource(items: unknown): Source {
  const iterable = items as Partial<AsyncIterable<FleetItem> & Iterable<FleetItem>> | null;
  const asyncIterator = iterable?.[Symbol.asyncIterator];
  if (typeof asyncIterator === 'function') return asyncIterator.call(iterable);
  const iterator = iterable?.[Symbol.iterator];
  if (typeof iterator === 'function') return iterator.call(iterable);
  throw wrongType('items', 'an iterable or async iterable', items);
}

/** An item that passed validation, on its way to DX. */
export interface Prepared {
  index: number;
  id: string | number | undefined;
  key: string;
  args: DownlinkRequest;
  digest: string;
  /** Requests that left for DX. */
  attempts: number;
  /** Tries, token failures included (bounded by `maxAttempts`). */
  tries: number;
  /** A `start` record exists for it (this run or an earlier one). */
  started: boolean;
  notBefore: number;
  /** Why its last try failed, for the progress line while it waits. */
  problem?: string;
}

/** An item that failed validation: what its result holds, and why. */
export interface Rejected {
  base: Omit<FleetResult, 'outcome'>;
  error: unknown;
}

/** Validates item `index` of the input; `seenIds` holds the ids of the items before it. */
export function prepareItem(
  item: unknown,
  index: number,
  seenIds: Set<string>,
): Prepared | Rejected {
  const id = (item as Partial<FleetItem> | null)?.id;
  const given = (item as Partial<FleetItem> | null)?.device;
  const device = typeof given === 'string' ? given : '';
  const invalid = (error: unknown): Rejected => ({
    base: { index, ...(id === undefined ? {} : { id }), device, attempts: 0 },
    error,
  });
  if (id !== undefined) {
    if (typeof id !== 'string' && !(typeof id === 'number' && Number.isFinite(id))) {
      return invalid(wrongType('id', 'a string or a finite number', id));
    }
    // By its journal key: 1 and '1' are the same item there, so they are the same here.
    if (seenIds.has(String(id))) {
      return invalid(
        new DownlinkError('INVALID_ARGUMENT', 'id', `${JSON.stringify(id)} appears twice`, {
          position: index,
        }),
      );
    }
    seenIds.add(String(id));
  }
  let args: DownlinkRequest;
  try {
    args = buildDownlinkRequest(item as FleetItem);
  } catch (error) {
    return invalid(error);
  }
  return {
    index,
    id,
    key: id === undefined ? `#${index}` : `id:${id}`,
    args,
    digest: digestArgs(args),
    attempts: 0,
    tries: 0,
    started: false,
    notBefore: 0,
  };
}

/** The fields of `p`'s result that do not depend on its outcome. */
export function resultBase(p: Prepared): Omit<FleetResult, 'outcome'> {
  return {
    index: p.index,
    ...(p.id === undefined ? {} : { id: p.id }),
    device: p.args.device,
    attempts: p.attempts,
  };
}
