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

export interface Comparison {
  ours: number;
  baseline: number;
  /** Median over rounds of ours/baseline throughput measured in the same round. */
  ratio: number;
}

/**
 * Alternates the two contenders round by round (ours first on even rounds, baseline first on
 * odd ones) so that drift in machine load hits both alike; reports median ops/s and the median
 * of the per-round ratios.
 */
export async function compare(
  ours: Contender,
  baseline: Contender,
  rounds: number,
  ops: number,
): Promise<Comparison> {
  const oursRates: number[] = [];
  const baseRates: number[] = [];
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [ours, baseline] : [baseline, ours];
    const rates = new Map<Contender, number>();
    for (const contender of order) {
      const start = performance.now();
      await contender.run(ops);
      rates.set(contender, ops / ((performance.now() - start) / 1000));
    }
    const o = rates.get(ours) as number;
    const b = rates.get(baseline) as number;
    oursRates.push(o);
    baseRates.push(b);
    ratios.push(o / b);
  }
  return { ours: median(oursRates), baseline: median(baseRates), ratio: median(ratios) };
}

export function formatRate(rate: number): string {
  return Math.round(rate).toLocaleString('en-US');
}
