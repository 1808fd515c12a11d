/** Shared helpers of the benchmark scripts: interleaved rounds, medians, a markdown table. */

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
  /** Every round's ops/s, in round order. */
  rates: number[];
  /** Every round's ratio to the baseline, in round order. */
  ratios: number[];
}

/** Standings of the same contenders measured in several processes, as if in one long run. */
export function pool(runs: readonly (readonly Standing[])[]): Standing[] {
  const first = runs[0] ?? [];
  return first.map((standing, i) => {
    const rates = runs.flatMap((run) => run[i]?.rates ?? []);
    const ratios = runs.flatMap((run) => run[i]?.ratios ?? []);
    return { name: standing.name, rate: median(rates), ratio: median(ratios), rates, ratios };
  });
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
  const ratios = all.map((): number[] => []);
  for (let round = 0; round < rounds; round++) {
    const measured: number[] = [];
    for (let k = 0; k < all.length; k++) {
      const index = (round + k) % all.length;
      const start = performance.now();
      await all[index]!.run(ops);
      measured[index] = ops / ((performance.now() - start) / 1000);
    }
    all.forEach((_, i) => {
      rates[i]!.push(measured[i]!);
      ratios[i]!.push(measured[i]! / measured[0]!);
    });
  }
  return all.map((c, i) => ({
    name: c.name,
    rate: median(rates[i]!),
    ratio: median(ratios[i]!),
    rates: rates[i]!,
    ratios: ratios[i]!,
  }));
}

export function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}
