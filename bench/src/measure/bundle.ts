import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { type RunResult, run } from "../../../scripts/lib/processes.ts";
import { bytes, ratio } from "../lib/format.ts";
import { childEnv, PAIRS } from "../lib/pairs.ts";
import { benchDir, workDir } from "../lib/paths.ts";
import { type Outcome, smallerIsBetter } from "../lib/report.ts";
import type { SandboxHost } from "../lib/sandbox.ts";

const bundleDir = join(workDir, "bundles");

interface Bundled {
  minified: number;
  gzipped: number;
  /** Input files esbuild took in, and how many of them came from node_modules. */
  inputs: number;
  warnings: number;
  /** Minified bytes each package put in the bundle, largest first. */
  byPackage: [string, number][];
}

/** One script that gets one user, bundled with everything it imports, minified. */
async function bundle(name: string): Promise<Bundled> {
  const outfile = join(bundleDir, `${name}.cjs`);
  const result = await build({
    entryPoints: [join(benchDir, "src", "bundle", `${name}.ts`)],
    outfile,
    bundle: true,
    minify: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    metafile: true,
    logLevel: "silent",
  });
  const code = readFileSync(outfile);
  const byPackage = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(path);
      byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
    }
  }
  return {
    minified: code.length,
    gzipped: gzipSync(code, { level: 9 }).length,
    inputs: Object.keys(result.metafile.inputs).length,
    warnings: result.warnings.length,
    byPackage: [...byPackage].sort((a, b) => b[1] - a[1]),
  };
}

/** The package an input file belongs to: `node_modules/<name>` or the workspace folder `packages/<name>`. */
function packageOf(path: string): string {
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (modules?.[1]) return modules[1];
  const workspace = /packages\/([^/]+)\//.exec(path);
  if (workspace?.[1]) return workspace[1] === "esign-users" ? "esign-users" : `@esign-users/${workspace[1]}`;
  return "(the script)";
}

/**
 * What a get-one-user script (`src/bundle/*.ts`, bundled or not) needs to reach the
 * sandbox, and the user it must print.
 */
export function getOneUserRun(host: SandboxHost, provider: "docusign" | "boldsign") {
  const c = host.connections[provider];
  const userId = c.userIds[0] ?? "";
  const env = childEnv({
    BENCH_URL: c.url,
    BENCH_SECRET: c.secret,
    BENCH_ACCOUNT: c.accountId ?? "",
    BENCH_USER_ID: userId,
  });
  /** Undefined when the run printed the user it was asked for, else what went wrong. */
  const problem = (file: string, result: RunResult): string | undefined => {
    const printed = result.stdout.trim().split("\n").at(-1) ?? "";
    if (result.code === 0 && printed === JSON.stringify({ userId })) return undefined;
    return `${file} did not get the user: exit ${result.code}, ${`${result.stdout}${result.stderr}`.slice(0, 500)}`;
  };
  return { env, problem };
}

/** Runs a bundle against the sandbox: it must print the user it was asked for, in one request. */
async function check(name: string, host: SandboxHost, provider: "docusign" | "boldsign"): Promise<string | undefined> {
  const { env, problem } = getOneUserRun(host, provider);
  const file = join(bundleDir, `${name}.cjs`);
  const result = await run(process.execPath, [file], { cwd: bundleDir, env, timeoutMs: 30_000 });
  const seen = await host.verify(provider, 1, "getUser", 200).then(
    () => "",
    (e: Error) => e.message,
  );
  const failed = problem(`bundle ${name}`, result);
  return failed || seen ? `${failed ?? `bundle ${name}`} ${seen}` : undefined;
}

/**
 * esbuild, the same settings for both (`platform: "node"`, CommonJS output, minified,
 * every import bundled), of a script that creates a client and gets one user; gzip -9
 * of the result. Each bundle is then run against the sandbox to prove it works.
 */
export async function measureBundle(outcome: Outcome, host: SandboxHost): Promise<void> {
  mkdirSync(bundleDir, { recursive: true });
  const lines: string[] = [];
  const origins: string[] = [];
  for (const pair of PAIRS) {
    const oursName = `ours-${pair.provider}`;
    const theirsName = `theirs-${pair.provider}`;
    const ours = await bundle(oursName);
    const theirs = await bundle(theirsName);
    for (const name of [oursName, theirsName]) {
      const problem = await check(name, host, pair.provider);
      if (problem) outcome.failures.push(problem);
    }
    const r = smallerIsBetter(ours.gzipped, theirs.gzipped);
    origins.push(
      `| ${pair.label} | ${ours.byPackage.map(([name, size]) => `${name} ${bytes(size)}`).join(", ")} | ${theirs.byPackage
        .slice(0, 5)
        .map(([name, size]) => `${name} ${bytes(size)}`)
        .join(", ")}${theirs.byPackage.length > 5 ? `, and ${theirs.byPackage.length - 5} more` : ""} |`,
    );
    outcome.rows.push({
      measure: "Bundle (esbuild, minified + gzip) of get-one-user",
      subject: pair.label,
      ours: bytes(ours.gzipped),
      theirs: bytes(theirs.gzipped),
      ratio: r,
      target: { text: "≥ 20× smaller", met: r >= 20 },
    });
    lines.push(
      `| ${pair.label} | ${bytes(ours.minified)} / ${bytes(ours.gzipped)} (${ours.inputs} files) | ${bytes(
        theirs.minified,
      )} / ${bytes(theirs.gzipped)} (${theirs.inputs} files) | ${ratio(
        smallerIsBetter(ours.minified, theirs.minified),
      )} / ${ratio(r)} |`,
    );
  }
  outcome.sections.push({
    title: "Bundle",
    body: [
      '`bench/src/bundle/*.ts`: a script that creates the client and gets one user. esbuild with the same settings for both (`bundle: true, minify: true, platform: "node", format: "cjs", target: "node20"`, nothing external but Node\'s built-ins); size of the output, and of it gzipped at level 9. Each bundle is then run on bare `node` against the sandbox and must print the user it asked for.',
      "",
      "| pair | ours: minified / gzip (input files) | official: minified / gzip (input files) | ratio minified / gzip |",
      "| --- | --- | --- | --- |",
      ...lines,
      "",
      "Where the minified bytes come from, by package (esbuild's metafile):",
      "",
      "| pair | ours | official (largest five) |",
      "| --- | --- | --- |",
      ...origins,
    ].join("\n"),
  });
}
