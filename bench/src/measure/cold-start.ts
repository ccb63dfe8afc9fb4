import { runOk } from "../lib/children.ts";
import { ms, ratio, spread } from "../lib/format.ts";
import { childEnv, PAIRS } from "../lib/pairs.ts";
import { benchDir } from "../lib/paths.ts";
import type { Outcome } from "../lib/report.ts";
import { smallerIsBetter } from "../lib/report.ts";
import { summarize } from "../lib/stats.ts";

/**
 * The child loads the package, checks it exported something, and prints how long the
 * load itself took in-process (a second, steadier view of the same cost).
 */
const loadAndTime = (load: string) =>
  `const t = process.hrtime.bigint(); const m = ${load}; const ms = Number(process.hrtime.bigint() - t) / 1e6; if (Object.keys(m).length === 0) process.exit(3); console.log(ms);`;

const MODES = [
  {
    name: "require()",
    args: (pkg: string | undefined) => ["-e", pkg ? loadAndTime(`require(${JSON.stringify(pkg)})`) : "0"],
  },
  {
    name: "import()",
    args: (pkg: string | undefined) => [
      "--input-type=module",
      "-e",
      pkg ? loadAndTime(`await import(${JSON.stringify(pkg)})`) : "0",
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
    for (const pair of PAIRS) {
      const subjects = [
        { key: "bare", pkg: undefined },
        { key: "ours", pkg: pair.ours },
        { key: "theirs", pkg: pair.theirs },
      ] as const;
      const wall: Record<string, number[]> = { bare: [], ours: [], theirs: [] };
      const inProcess: Record<string, number[]> = { ours: [], theirs: [] };
      // One untimed round first: the file system cache is then as warm for one as for the other.
      for (const s of subjects) await runOk(process.execPath, mode.args(s.pkg), { cwd: benchDir, env: childEnv() });
      for (let i = 0; i < iterations; i++) {
        for (let k = 0; k < subjects.length; k++) {
          const s = subjects[(i + k) % subjects.length] as (typeof subjects)[number];
          const result = await runOk(process.execPath, mode.args(s.pkg), { cwd: benchDir, env: childEnv() });
          (wall[s.key] as number[]).push(result.ms);
          if (s.key !== "bare") (inProcess[s.key] as number[]).push(Number(result.stdout.trim()));
        }
      }
      const bare = wall.bare as number[];
      const ours = summarize((wall.ours as number[]).map((t, i) => t - (bare[i] as number)));
      const theirs = summarize((wall.theirs as number[]).map((t, i) => t - (bare[i] as number)));
      const r = smallerIsBetter(ours, theirs);
      outcome.rows.push({
        measure: `Cold start, ${mode.name}`,
        subject: pair.label,
        ours: ms(ours.median),
        theirs: ms(theirs.median),
        ratio: r,
        target: { text: "≥ 10× faster", met: r >= 10 },
      });
      const loadOurs = summarize(inProcess.ours as number[]);
      const loadTheirs = summarize(inProcess.theirs as number[]);
      lines.push(
        `| ${mode.name} | ${pair.label} | ${spread(ours, ms)} | ${spread(theirs, ms)} | ${ms(
          summarize(bare).median,
        )} | ${ratio(r)} | ${ms(loadOurs.median)} / ${ms(loadTheirs.median)} (${ratio(
          smallerIsBetter(loadOurs, loadTheirs),
        )}) |`,
      );
    }
  }
  outcome.sections.push({
    title: "Cold start",
    body: [
      `Each figure: wall time of \`node -e "require(pkg)"\` (or \`node --input-type=module -e "await import(pkg)"\`) from spawn to exit, minus a bare \`node\` with the same flags run in the same iteration (median of the per-iteration differences); ${iterations} iterations, bare/ours/theirs in rotating order, after one untimed warm-up round. Ours load their built \`dist/\` (what npm users get). The difference of two process timings is noisy when the load is small (a bare start varies by tens of ms), so the last column also gives the load as timed inside the child, around the \`require\`/\`import\` alone.`,
      "",
      "| loader | pair | ours | official | bare node | ratio | in-process load ours / official (ratio) |",
      "| --- | --- | --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n"),
  });
}
