/** Shared helpers of the benchmark scripts: interleaved rounds, medians, rates. */

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return Number.NaN;
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export interface Contender {
  name: string;
  /** Runs `ops` operations and resolves when done. */
  run(ops: number): Promise<void> | void;
}

export interface Standing {
  name: string;
  /** Median ops/s over the rounds. */
  rate: number;
  /** Median over rounds of this contender's ops/s divided by the baseline's in the same round. */
  ratio: number;
  /** How many rounds the medians are over. */
  rounds: number;
}

/**
 * Runs the baseline and every contender once per round, in an order that rotates from round to
 * round, so that drift in machine load hits all alike; reports each one's median ops/s and the
 * median of its per-round ratios to the baseline (the baseline's own ratio is 1).
 */
export async function compareAll(
  baseline: Contender,
  contenders: readonly Contender[],
  rounds: number,
  ops: number,
): Promise<Standing[]> {
  const all = [baseline, ...contenders];
  const rates = all.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < all.length; k++) {
      const index = (round + k) % all.length;
      const start = performance.now();
      await all[index]!.run(ops);
      rates[index]!.push(ops / ((performance.now() - start) / 1000));
    }
  }
  return all.map((c, i) => ({
    name: c.name,
    rate: median(rates[i]!),
    ratio: median(rates[i]!.map((rate, round) => rate / rates[0]![round]!)),
    rounds,
  }));
}

export function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}
