import type { RunResult } from "../../../scripts/lib/processes.ts";
import { type Summary, summarize } from "./stats.ts";

/** One process to time: how to run it once (bare `node`, ours, or theirs). */
export interface Timed {
  run(): Promise<RunResult>;
}

export interface AgainstBare {
  /** Per-iteration wall time minus bare `node`'s in the same iteration. */
  ours: Summary;
  theirs: Summary;
  bare: Summary;
  /** Every run's result, for what the child printed. */
  results: { ours: RunResult[]; theirs: RunResult[] };
}

/**
 * Times ours and theirs against a bare `node`: one untimed round first (so the file
 * system cache is as warm for one as for the other), then `iterations` rounds of
 * bare, ours and theirs in a rotating order, each figure taken as the difference
 * with the bare run of its own round.
 */
export async function timeAgainstBare(
  subjects: { bare: Timed; ours: Timed; theirs: Timed },
  iterations: number,
): Promise<AgainstBare> {
  const order = ["bare", "ours", "theirs"] as const;
  for (const key of order) await subjects[key].run();
  const results: Record<(typeof order)[number], RunResult[]> = { bare: [], ours: [], theirs: [] };
  for (let i = 0; i < iterations; i++) {
    for (let k = 0; k < order.length; k++) {
      const key = order[(i + k) % order.length] as (typeof order)[number];
      results[key].push(await subjects[key].run());
    }
  }
  const minusBare = (runs: RunResult[]) => summarize(runs.map((r, i) => r.ms - (results.bare[i] as RunResult).ms));
  return {
    ours: minusBare(results.ours),
    theirs: minusBare(results.theirs),
    bare: summarize(results.bare.map((r) => r.ms)),
    results: { ours: results.ours, theirs: results.theirs },
  };
}
