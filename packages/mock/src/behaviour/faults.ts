/**
 * Scripted faults: for the next N requests, or for a share of them (seeded, so a run can be
 * repeated exactly). Each fault is one thing a real network or DX can do to a call.
 */
import {
  anyString,
  check,
  integer,
  nonNegativeInteger,
  numberFrom,
  oneOf,
  positiveInteger,
  type Rule,
} from '../checks.js';

/**
 * Every scripted fault. The README lists each with its effect and whether the downlink counts
 * as queued.
 *
 * @example
 * ```ts
 * for (const fault of FAULTS) mock.failNext(1, fault);
 * ```
 */
export const FAULTS = [
  /** 429 with `Retry-After`, before processing: not queued. */
  'too-many-requests',
  /** 503 with `Retry-After`, before processing: not queued. */
  'unavailable',
  /** 500 before processing: not queued. */
  'server-error',
  /** Processed (a downlink is queued), then answered 500: DX's "may or may not have been queued". */
  'server-error-after',
  /** No answer at all; the connection stays open until the client gives up: not queued. */
  'timeout',
  /** The connection is reset before processing: not queued. */
  'reset-before',
  /** Processed (a downlink is queued), then the connection is reset: the client never hears back. */
  'reset-after',
  /** 401 `token_expired` once, and the presented token stops working: not queued. */
  'token-expired',
  /** A redirect (307 by default) to `location` (default: the same URL): not queued. */
  'redirect',
] as const;

/**
 * The name of a scripted fault; see {@link FAULTS}.
 *
 * @example
 * ```ts
 * const fault: DxFault = 'token-expired';
 * ```
 */
export type DxFault = (typeof FAULTS)[number];

/**
 * Which requests a fault may hit: DX Core operations (default), the token endpoint, or both.
 *
 * @example
 * ```ts
 * mock.failNext(1, 'unavailable', { target: 'token' satisfies DxFaultTarget });
 * ```
 */
export type DxFaultTarget = 'api' | 'token' | 'any';

/**
 * Settings of one scripted fault.
 *
 * @example
 * ```ts
 * const options: DxFaultOptions = { retryAfterSeconds: 30 };
 * mock.failNext(1, 'too-many-requests', options);
 * ```
 */
export interface DxFaultOptions {
  /** `Retry-After` of `too-many-requests` and `unavailable`, in seconds. Default 1. */
  retryAfterSeconds?: number;
  /** Where `redirect` points. Default: the URL that was requested. */
  location?: string;
  /** Status of `redirect`. Default 307 (method and body kept). */
  redirectStatus?: 301 | 302 | 303 | 307 | 308;
  /** Default `api`. */
  target?: DxFaultTarget;
}

/**
 * Settings of a fault that hits a share of the requests.
 *
 * @example
 * ```ts
 * mock.failShare(0.25, 'timeout', { seed: 1 } satisfies DxFaultShareOptions);
 * ```
 */
export interface DxFaultShareOptions extends DxFaultOptions {
  /** Seed of the random choice; the same seed hits the same requests. Default: unseeded. */
  seed?: number;
}

/**
 * A fault rule given at start: `{ fault, next: 3 }` or `{ fault, share: 0.2, seed: 7 }`.
 *
 * @example
 * ```ts
 * const rules: DxFaultRule[] = [{ fault: 'unavailable', next: 2 }, { fault: 'timeout', share: 0.1, seed: 7 }];
 * ```
 */
export type DxFaultRule = { fault: DxFault } & (
  ({ next: number } & DxFaultOptions) | ({ share: number } & DxFaultShareOptions)
);

/** A fault chosen for one request, with its settings resolved. */
export interface ChosenFault {
  fault: DxFault;
  retryAfterSeconds: number;
  location: string | undefined;
  redirectStatus: number;
}

interface PlannedFault {
  chosen: ChosenFault;
  target: DxFaultTarget;
  /** Requests left for a `next` rule. */
  remaining?: number;
  /** For a `share` rule: hit when `random() < ratio`. */
  ratio?: number;
  random?: () => number;
}

/** mulberry32: tiny, fast, and good enough to pick which requests fail. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** How a fault's values are named in errors: control-call arguments, or rule fields. */
interface Names {
  count: string;
  ratio: string;
  fault: string;
  /** Prefix of the option fields, e.g. `options.` or `options.faults[2].`. */
  option: string;
}

const CALL_NAMES: Names = { count: 'count', ratio: 'ratio', fault: 'fault', option: 'options.' };

function ruleNames(index: number): Names {
  const at = `options.faults[${index}]`;
  return { count: `${at}.next`, ratio: `${at}.share`, fault: `${at}.fault`, option: `${at}.` };
}

const faultName = oneOf(FAULTS);
const redirectStatuses = oneOf([301, 302, 303, 307, 308] as const);
const targets = oneOf(['api', 'token', 'any'] as const);
const ratioRule = numberFrom(0, 1);
const ruleShape: Rule<DxFaultRule> = {
  test: (v): v is DxFaultRule =>
    typeof v === 'object' && v !== null && ('next' in v || 'share' in v),
  must: 'a fault rule, { fault, next } or { fault, share }',
};

function checkFault(
  fault: unknown,
  options: DxFaultOptions | undefined,
  names: Names,
): { chosen: ChosenFault; target: DxFaultTarget } {
  const option = (key: keyof DxFaultShareOptions): string => `${names.option}${key}`;
  const location = options?.location;
  const chosen: ChosenFault = {
    fault: check(names.fault, fault, faultName),
    retryAfterSeconds: check(
      option('retryAfterSeconds'),
      options?.retryAfterSeconds ?? 1,
      nonNegativeInteger,
    ),
    location: location === undefined ? undefined : check(option('location'), location, anyString),
    redirectStatus: check(
      option('redirectStatus'),
      options?.redirectStatus ?? 307,
      redirectStatuses,
    ),
  };
  return { chosen, target: check(option('target'), options?.target ?? 'api', targets) };
}

export class FaultPlan {
  #rules: PlannedFault[] = [];

  failNext(count: number, fault: DxFault, options?: DxFaultOptions): void {
    this.#next(count, fault, options, CALL_NAMES);
  }

  failShare(ratio: number, fault: DxFault, options?: DxFaultShareOptions): void {
    this.#share(ratio, fault, options, CALL_NAMES);
  }

  /** A rule of `options.faults`, at `index` there (to name it in an error). */
  add(rule: unknown, index: number): void {
    const { fault, ...options } = check(`options.faults[${index}]`, rule, ruleShape);
    const names = ruleNames(index);
    if ('next' in options) this.#next(options.next, fault, options, names);
    else this.#share(options.share, fault, options, names);
  }

  #next(count: unknown, fault: unknown, options: DxFaultOptions | undefined, names: Names): void {
    const remaining = check(names.count, count, positiveInteger);
    this.#rules.push({ ...checkFault(fault, options, names), remaining });
  }

  #share(
    ratio: unknown,
    fault: unknown,
    options: DxFaultShareOptions | undefined,
    names: Names,
  ): void {
    const checkedRatio = check(names.ratio, ratio, ratioRule);
    const rule = checkFault(fault, options, names);
    const seed =
      options?.seed === undefined ? undefined : check(`${names.option}seed`, options.seed, integer);
    const random = seed === undefined ? Math.random : seededRandom(seed);
    this.#rules.push({ ...rule, ratio: checkedRatio, random });
  }

  clear(): void {
    this.#rules = [];
  }

  /** The fault for a request to `target`, if any: `next` rules first, in the order given. */
  take(target: 'api' | 'token'): ChosenFault | undefined {
    const applies = (rule: PlannedFault): boolean =>
      rule.target === 'any' || rule.target === target;
    const counted = this.#rules.find(
      (r) => r.remaining !== undefined && r.remaining > 0 && applies(r),
    );
    if (counted) {
      counted.remaining! -= 1;
      if (counted.remaining === 0) this.#rules.splice(this.#rules.indexOf(counted), 1);
      return counted.chosen;
    }
    for (const rule of this.#rules) {
      if (rule.ratio !== undefined && applies(rule) && rule.random!() < rule.ratio) {
        return rule.chosen;
      }
    }
    return undefined;
  }
}
