import { timeAgainstBare } from "../lib/against-bare.ts";
import { type RunResult, runOk } from "../../../scripts/lib/processes.ts";
import { ms, ratio, spread } from "../lib/format.ts";
import { childEnv, LOAD_PAIRS } from "../lib/pairs.ts";
import { benchDir } from "../lib/paths.ts";
import type { Outcome } from "../lib/report.ts";
import { smallerIsBetter } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";

/**
 * The child loads the package, checks it exported something, and prints how long the
 * load itself took in-process (a second, steadier view of the same cost). The bare
 * child runs the same script around an object literal: printing a line costs a Node
 * process several milliseconds (the console and stdout are set up on first use), and a
 * bare `node -e 0` that skipped it added that cost to both sides' figures.
 */
const loadAndTime = (load: string) =>
  `const t = process.hrtime.bigint(); const m = ${load}; const ms = Number(process.hrtime.bigint() - t) / 1e6; if (Object.keys(m).length === 0) process.exit(3); console.log(ms);`;

/** What the bare child "loads": the same script, with nothing to load. */
const NOTHING = "({ bare: true })";

const MODES = [
  {
    name: "require()",
    args: (pkg: string | undefined) => ["-e", loadAndTime(pkg ? `require(${JSON.stringify(pkg)})` : NOTHING)],
  },
  {
    name: "import()",
    args: (pkg: string | undefined) => [
      "--input-type=module",
      "-e",
      loadAndTime(pkg ? `await import(${JSON.stringify(pkg)})` : NOTHING),
    ],
  },
] as const;

/**
 * Time from spawning `node` to its exit, loading the package and nothing else, minus
 * the same for a bare `node` started with the same flags in the same iteration. Bare,
 * ours and theirs run one after the other in every iteration, in a rotating order.
 */
export async function measureColdStart(outcome: Outcome, iterations: number): Promise<void> {
  const lines: string[] = [];
  for (const mode of MODES) {
    for (const pair of LOAD_PAIRS) {
      const timed = (pkg: string | undefined) => ({
        run: () => runOk(process.execPath, mode.args(pkg), { cwd: benchDir, env: childEnv() }),
      });
      const { ours, theirs, bare, results } = await timeAgainstBare(
        { bare: timed(undefined), ours: timed(pair.ours), theirs: timed(pair.theirs) },
        iterations,
      );
      const inProcess = (runs: RunResult[]) => summarize(runs.map((r) => Number(r.stdout.trim())));
      const r = smallerIsBetter(ours, theirs);
      outcome.rows.push({
        measure: `Cold start, ${mode.name}`,
        subject: pair.label,
        ours: ms(ours.median),
        theirs: ms(theirs.median),
        ratio: r,
        target: { text: "≥ 10× faster", met: r >= 10 },
      });
      const loadOurs = inProcess(results.ours);
      const loadTheirs = inProcess(results.theirs);
      lines.push(
        `| ${mode.name} | ${pair.label} | ${spread(ours, ms)} | ${spread(theirs, ms)} | ${ms(
          bare.median,
        )} | ${ratio(r)} | ${ms(loadOurs.median)} / ${ms(loadTheirs.median)} (${ratio(
          smallerIsBetter(loadOurs, loadTheirs),
        )}) |`,
      );
    }
  }
  outcome.sections.push({
    title: "Cold start",
    body: [
      `Each figure: wall time of \`node -e "require(pkg)"\` (or \`node --input-type=module -e "await import(pkg)"\`) from spawn to exit, minus a bare \`node\` with the same flags running the same script around an object literal (so it prints its line too) in the same iteration (median of the per-iteration differences); ${iterations} iterations, bare/ours/theirs in rotating order, after one untimed warm-up round. Ours load their built \`dist/\` (what npm users get). The difference of two process timings is noisy when the load is small (a bare start varies by tens of ms), so the last column also gives the load as timed inside the child, around the \`require\`/\`import\` alone.`,
      "",
      "| loader | pair | ours | official | bare node | ratio | in-process load ours / official (ratio) |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n"),
  });
}
