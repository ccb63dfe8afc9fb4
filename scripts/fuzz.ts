/**
 * `npm run fuzz`: the model-based fuzzing of packages/esign-users/test/fuzz.test.ts
 * with many more sequences, then its figures (sequences, commands and seconds per
 * provider, which each test records in its `meta`) written to artifacts/fuzz.json
 * for `npm run reliability:report`. The test itself writes nothing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseCommand, usageError } from "./lib/cli.ts";
import { repoRoot } from "./lib/specs.ts";

const COMMAND = "npm run fuzz --";
const { values } = parseCommand({
  command: COMMAND,
  summary:
    "Runs the facade's model-based fuzzing against every provider's sandbox with more sequences than `npm test`\n" +
    "(200), and writes the figures to artifacts/fuzz.json for `npm run reliability:report`.",
  options: {
    runs: { type: "string", value: "<n>", default: process.env.FUZZ_RUNS ?? "2000", description: "sequences per provider (also FUZZ_RUNS)" },
    seed: { type: "string", value: "<n>", description: "replay the sequences of a failure's seed (also FUZZ_SEED)" },
    out: { type: "string", value: "<file>", default: "artifacts/fuzz.json", description: "where to write the figures" },
  },
});
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) usageError(COMMAND, `--runs ${values.runs}: give a whole number of sequences`);
const seed = values.seed ?? process.env.FUZZ_SEED;
if (seed !== undefined && !/^-?[0-9]+$/.test(seed)) usageError(COMMAND, `--seed ${seed}: give the number fast-check printed`);

process.env.FUZZ_RUNS = String(runs);
if (seed !== undefined) process.env.FUZZ_SEED = seed;
const { startVitest } = await import("vitest/node");
const vitest = await startVitest("test", ["test/fuzz.test.ts"], {
  root: join(repoRoot, "packages", "esign-users"),
  run: true,
  watch: false,
  reporters: ["default"],
});
interface Figures {
  provider: string;
  runs: number;
  commands: number;
  seconds: number;
}
interface TaskNode {
  meta: { fuzz?: Figures };
  result?: { state?: string };
  tasks?: TaskNode[];
}
const leaves = (task: TaskNode): TaskNode[] => (task.tasks ? task.tasks.flatMap(leaves) : [task]);
const tests = (vitest.state.getFiles() as unknown as TaskNode[]).flatMap(leaves);
await vitest.close();

const providers = Object.fromEntries(
  tests.flatMap((t) => (t.meta.fuzz ? [[t.meta.fuzz.provider, { runs: t.meta.fuzz.runs, commands: t.meta.fuzz.commands, seconds: t.meta.fuzz.seconds }]] : [])),
);
const failed = tests.filter((t) => t.result?.state !== "pass");
if (failed.length > 0 || Object.keys(providers).length === 0) {
  console.error(`fuzz: ${failed.length} provider(s) failed; ${values.out} not written (replay with --seed <seed>)`);
  process.exit(1);
}
const file = resolve(repoRoot, values.out);
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, `${JSON.stringify({ runsPerProvider: runs, providers }, null, 2)}\n`);
console.log(`fuzz: wrote ${relative(repoRoot, file)} (${Object.keys(providers).length} providers, ${runs} sequences each)`);
process.exit(0);
