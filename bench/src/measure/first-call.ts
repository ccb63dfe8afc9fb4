import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";
import { run } from "../lib/children.ts";
import { ms, ratio, spread } from "../lib/format.ts";
import { childEnv, PAIRS } from "../lib/pairs.ts";
import { benchDir, workDir } from "../lib/paths.ts";
import { type Outcome, smallerIsBetter } from "../lib/report.ts";
import type { SandboxHost } from "../lib/sandbox.ts";
import { summarize } from "../lib/stats.ts";

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
    const c = host.connections[pair.provider];
    const userId = c.userIds[0] ?? "";
    const env = childEnv({
      BENCH_URL: c.url,
      BENCH_SECRET: c.secret,
      BENCH_ACCOUNT: c.accountId ?? "",
      BENCH_USER_ID: userId,
    });
    const subjects = [
      { key: "bare", file: undefined },
      { key: "ours", file: await compile(`ours-${pair.provider}`) },
      { key: "theirs", file: await compile(`theirs-${pair.provider}`) },
    ] as const;
    const wall: Record<string, number[]> = { bare: [], ours: [], theirs: [] };
    const once = async (file: string | undefined) => {
      const result = await run(process.execPath, file ? [file] : ["-e", "0"], { cwd: benchDir, env, deadlineMs: 30_000 });
      const printed = result.stdout.trim().split("\n").at(-1) ?? "";
      if (file && (result.code !== 0 || printed !== JSON.stringify({ userId }))) {
        throw new Error(`${file} did not get the user: exit ${result.code}, ${`${result.stdout}${result.stderr}`.slice(0, 400)}`);
      }
      return result.ms;
    };
    // One untimed round first, so that the file system cache is as warm for one as for the other.
    for (const s of subjects) await once(s.file);
    for (let i = 0; i < iterations; i++) {
      for (let k = 0; k < subjects.length; k++) {
        const s = subjects[(i + k) % subjects.length] as (typeof subjects)[number];
        (wall[s.key] as number[]).push(await once(s.file));
      }
    }
    // Every run, ours and theirs, asked for the user once and got it (this also leaves
    // the sandbox's count at zero for the next measure).
    await host.verify(pair.provider, 2 * (iterations + 1), "getUser", 200);
    const bare = wall.bare as number[];
    const ours = summarize((wall.ours as number[]).map((t, i) => t - (bare[i] as number)));
    const theirs = summarize((wall.theirs as number[]).map((t, i) => t - (bare[i] as number)));
    const r = smallerIsBetter(ours, theirs);
    outcome.rows.push({
      measure: "Cold start to first user (load, create client, get one user)",
      subject: pair.label,
      ours: ms(ours.median),
      theirs: ms(theirs.median),
      ratio: r,
    });
    lines.push(
      `| ${pair.label} | ${spread(ours, ms)} | ${spread(theirs, ms)} | ${ms(summarize(bare).median)} | ${ratio(r)} |`,
    );
  }
  outcome.sections.push({
    title: "Cold start to first user",
    body: [
      `Wall time of \`node script.cjs\` from spawn to exit, where the script loads the package, creates a client and gets one user from the sandbox on 127.0.0.1, minus a bare \`node\` in the same iteration (median of the per-iteration differences); ${iterations} iterations, bare/ours/theirs in rotating order, after one untimed round. The scripts are \`bench/src/bundle/*.ts\`, compiled to CommonJS with the packages left to \`require\`. Every run must print the user it asked for. No target: this is what a CLI or a serverless function waits for, beyond the load alone.`,
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
