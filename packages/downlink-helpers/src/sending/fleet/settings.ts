import { checkBoolean, checkInteger, checkSignal } from '../../checks.js';
import { describeName, wrongType } from '../../describe.js';
import { DownlinkError } from '../../errors.js';
import { OUTAGE_MS } from '../circuit-breaker.js';
import type { FleetPace } from '../fleet-pace.js';
import type { DownlinkJournal } from '../journal.js';
import type { FleetProgress, SendDownlinksOptions } from './run-types.js';

/** The options of a run, checked, with their defaults filled in. */
export interface Settings {
  concurrency: number;
  ratePerSecond: number | undefined;
  journal: DownlinkJournal | undefined;
  resendUnknown: boolean;
  signal: AbortSignal | undefined;
  onProgress: ((progress: FleetProgress) => void) | undefined;
  total: number | undefined;
  maxAttempts: number;
  outageMs: number;
  pace: FleetPace | undefined;
}

export function checkOptions(options: SendDownlinksOptions, items: unknown): Settings {
  if (typeof options !== 'object' || options === null) {
    throw wrongType('options', 'an object', options);
  }
  const { ratePerSecond, journal, signal, onProgress, pace } = options;
  if (
    ratePerSecond !== undefined &&
    !(typeof ratePerSecond === 'number' && ratePerSecond > 0 && ratePerSecond < Infinity)
  ) {
    throw new DownlinkError(
      'VALUE_OUT_OF_RANGE',
      'ratePerSecond',
      `expected a positive finite number, got ${typeof ratePerSecond === 'number' ? ratePerSecond : describeName(ratePerSecond)}`,
    );
  }
  if (
    journal !== undefined &&
    (typeof journal?.read !== 'function' || typeof journal.append !== 'function')
  ) {
    throw wrongType('journal', 'a DownlinkJournal (read and append)', journal);
  }
  if (
    pace !== undefined &&
    (typeof pace?.take !== 'function' ||
      typeof pace.onThrottled !== 'function' ||
      typeof pace.onServed !== 'function')
  ) {
    throw wrongType('pace', 'a FleetPace (take, onThrottled and onServed)', pace);
  }
  checkSignal(signal);
  if (onProgress !== undefined && typeof onProgress !== 'function') {
    throw wrongType('onProgress', 'a function', onProgress);
  }
  return {
    concurrency: checkInteger(options.concurrency ?? 8, 'concurrency', 1, 1024),
    ratePerSecond,
    journal,
    resendUnknown: checkBoolean(options.resendUnknown, 'resendUnknown', false),
    signal,
    onProgress,
    total:
      options.total === undefined
        ? Array.isArray(items)
          ? items.length
          : undefined
        : checkInteger(options.total, 'total', 0, Number.MAX_SAFE_INTEGER),
    maxAttempts: checkInteger(options.maxAttempts ?? 10, 'maxAttempts', 1, 100),
    outageMs: checkInteger(options.outageMs ?? OUTAGE_MS, 'outageMs', 0, 2 ** 31 - 1),
    pace,
  };
}
