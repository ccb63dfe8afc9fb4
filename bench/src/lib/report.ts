import type { Summary } from "./stats.ts";

/** One line of the results table: our figure, the official SDK's, and how they compare. */
export interface Row {
  /** What is measured, e.g. `Cold start, require()`. */
  measure: string;
  /** Which pair, e.g. `DocuSign`. */
  subject: string;
  ours: string;
  theirs: string;
  /** How many times better ours is (>1: ours is better), in the measure's own direction. */
  ratio: number;
  target?: Target;
}

export interface Target {
  /** e.g. `≥ 10× faster`. */
  text: string;
  met: boolean;
}

/** A figure with no counterpart in the official SDK (the generation pipeline). */
export interface SoloRow {
  measure: string;
  value: string;
  target: Target;
}

export interface Section {
  title: string;
  /** Markdown: how it was measured, raw details. */
  body: string;
}

export interface Outcome {
  rows: Row[];
  solo: SoloRow[];
  sections: Section[];
  /** Measurements that could not be made; any makes the bench exit non-zero. */
  failures: string[];
}

export function emptyOutcome(): Outcome {
  return { rows: [], solo: [], sections: [], failures: [] };
}

/** Ratio of medians where smaller is better (time, bytes): theirs / ours. */
export function smallerIsBetter(ours: Summary | number, theirs: Summary | number): number {
  return value(theirs) / value(ours);
}

/** Ratio of medians where larger is better (throughput): ours / theirs. */
export function largerIsBetter(ours: Summary | number, theirs: Summary | number): number {
  return value(ours) / value(theirs);
}

function value(s: Summary | number): number {
  return typeof s === "number" ? s : s.median;
}
