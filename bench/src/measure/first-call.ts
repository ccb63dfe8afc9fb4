import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { timeAgainstBare } from "../lib/against-bare.ts";
import { run } from "../../../scripts/lib/processes.ts";
import { ms, ratio, spread } from "../lib/format.ts";
import { PAIRS } from "../lib/pairs.ts";
import { benchDir, workDir } from "../lib/paths.ts";
import { type Outcome, smallerIsBetter } from "../lib/report.ts";
import type { SandboxHost } from "../lib/sandbox.ts";
import { getOneUserRun } from "./bundle.ts";

/** The bare child prints a line as the scripts do: the first line a process prints costs it several ms. */
const BARE = 'console.log("bare")';

// Under bench/ so that `require` finds the installed packages from bench/node_modules up.
const scriptDir = join(workDir, "first-call");

/**
 * What a short-lived process (a CLI, a serverless function) waits for: load the
 * package, create the client, get one user. The scripts are the bundle measure's
 * (`src/bundle/*.ts`), compiled to CommonJS with every package left to `require`, so
 * each loads the installed packages as an application would.
 */
export async function measureFirstCall(outcome: Outcome, host: SandboxHost, iterations: number): Promise<void> {
  mkdirSync(scriptDir, { recursive: true });
  const lines: string[] = [];
  for (const pair of PAIRS) {
    const { env, problem } = getOneUserRun(host, pair.provider);
    const timed = (file: string | undefined) => ({
      async run() {
        const result = await run(process.execPath, file ? [file] : ["-e", BARE], { cwd: benchDir, env, timeoutMs: 30_000 });
        const failed = file && problem(file, result);
        if (failed) throw new Error(failed);
        return result;
      },
    });
    const ours = await compile(`ours-${pair.provider}`);
    const theirs = await compile(`theirs-${pair.provider}`);
    const timing = await timeAgainstBare({ bare: timed(undefined), ours: timed(ours), theirs: timed(theirs) }, iterations);
    // Every run, ours and theirs, asked for the user once and got it (this also leaves
    // the sandbox's count at zero for the next measure).
    await host.verify(pair.provider, 2 * (iterations + 1), "getUser", 200);
    const r = smallerIsBetter(timing.ours, timing.theirs);
    outcome.rows.push({
      measure: "Cold start to first user (load, create client, get one user)",
      subject: pair.label,
      ours: ms(timing.ours.median),
      theirs: ms(timing.theirs.median),
      ratio: r,
    });
    lines.push(
      `| ${pair.label} | ${spread(timing.ours, ms)} | ${spread(timing.theirs, ms)} | ${ms(timing.bare.median)} | ${ratio(r)} |`,
    );
  }
  outcome.sections.push({
    title: "Cold start to first user",
    body: [
      `Wall time of \`node script.cjs\` from spawn to exit, where the script loads the package, creates a client and gets one user from the sandbox on 127.0.0.1, minus a bare \`node\` that prints one line, in the same iteration (median of the per-iteration differences); ${iterations} iterations, bare/ours/theirs in rotating order, after one untimed round. The scripts are \`bench/src/bundle/*.ts\`, compiled to CommonJS with the packages left to \`require\`. Every run must print the user it asked for. No target: this is what a CLI or a serverless function waits for, beyond the load alone.`,
      "",
      "| pair | ours | official | bare node | ratio |",
      "| --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n"),
  });
}

async function compile(name: string): Promise<string> {
  const outfile = join(scriptDir, `${name}.cjs`);
  await build({
    entryPoints: [join(benchDir, "src", "bundle", `${name}.ts`)],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "silent",
  });
  return outfile;
}
