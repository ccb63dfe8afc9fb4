/** Median and spread of a set of samples; every figure in RESULTS.md is one of these. */
export interface Summary {
  n: number;
  median: number;
  /** First and third quartiles (linear interpolation). */
  q1: number;
  q3: number;
  min: number;
  max: number;
}

/** The p-th percentile (0–100) of already sorted samples, interpolating between neighbours. */
export function percentileOfSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

export function percentile(samples: readonly number[], p: number): number {
  return percentileOfSorted(
    [...samples].sort((a, b) => a - b),
    p,
  );
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    median: percentileOfSorted(sorted, 50),
    q1: percentileOfSorted(sorted, 25),
    q3: percentileOfSorted(sorted, 75),
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}
