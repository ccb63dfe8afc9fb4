import { ratio } from "./format.ts";
import type { Machine } from "./machine.ts";
import type { Outcome } from "./report.ts";

const met = (ok: boolean) => (ok ? "✅ met" : "❌ missed");

/** RESULTS.md: the summary table first, then the machine, the versions and how each figure was made. */
export function renderResults(
  outcome: Outcome,
  machine: Machine,
  versions: Record<string, string>,
  loadAtEnd: number,
  seconds: number,
): string {
  const lines = [
    "# Benchmark results",
    "",
    `Written by \`npm run bench\` (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC, ${seconds.toFixed(
      0,
    )} s). See [README.md](README.md) for what each figure means and how it is measured.`,
    "",
    "## Ours against the official SDKs",
    "",
    "Ratio: how many times better ours is (their time or size ÷ ours; our throughput ÷ theirs). Figures are medians.",
    "",
    "| measure | pair | ours | official | ratio | target | |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...outcome.rows.map(
      (r) =>
        `| ${r.measure} | ${r.subject} | ${r.ours} | ${r.theirs} | ${ratio(r.ratio)} | ${r.target?.text ?? "–"} | ${
          r.target ? met(r.target.met) : ""
        } |`,
    ),
    "",
  ];
  if (outcome.solo.length > 0) {
    lines.push(
      "## Generation pipeline",
      "",
      "| measure | median | target | |",
      "| --- | --- | --- | --- |",
      ...outcome.solo.map((r) => `| ${r.measure} | ${r.value} | ${r.target.text} | ${met(r.target.met)} |`),
      "",
    );
  }
  if (outcome.failures.length > 0) {
    lines.push("## Failed runs", "", ...outcome.failures.map((f) => `- ${f.replace(/\n/g, " ")}`), "");
  }
  lines.push(
    "## Machine",
    "",
    `- CPU: ${machine.cpu}, ${machine.cores} cores`,
    `- Memory: ${machine.memory}`,
    `- OS: ${machine.os}`,
    `- Node ${machine.node}, npm ${machine.npm}`,
    `- Load average (1 min) at start / end: ${machine.loadAtStart.toFixed(2)} / ${loadAtEnd.toFixed(
      2,
    )} — other work on the machine slows timings down`,
    "",
    "## Versions",
    "",
    "| package | version |",
    "| --- | --- |",
    ...Object.entries(versions).map(([name, version]) => `| ${name} | ${version} |`),
    "",
  );
  for (const section of outcome.sections) lines.push(`## ${section.title}`, "", section.body, "");
  return `${lines.join("\n").trimEnd()}\n`;
}
