/**
 * `npm start`: regenerate what changed, build, then manage users on every sandbox
 * provider with the real clients, and print what happened.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { listSpecs, repoRoot } from "./lib/specs.ts";
import { printTable } from "./lib/table.ts";

function step(title: string, command: string, args: string[]): void {
  const started = performance.now();
  process.stdout.write(`• ${title} … `);
  const run = spawnSync(command, args, {
    cwd: repoRoot,
    encoding: "utf8",
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1", FORCE_COLOR: "0" },
  });
  if (run.status !== 0) {
    console.log("failed");
    console.error(run.stdout, run.stderr);
    process.exit(1);
  }
  console.log(`done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

step("regenerating changed specs", process.execPath, ["--import", "tsx/esm", "scripts/generate.ts", "--quiet"]);
step("building packages", process.execPath, [
  join(repoRoot, "node_modules", "turbo", "bin", "turbo"),
  "run",
  "build",
  "--output-logs=errors-only",
]);

console.log("\nSpecs and the packages generated from them:");
const specRows: string[][] = [];
for (const spec of listSpecs()) {
  const dir = spec.version ? `src/generated/${spec.version}` : "src/generated";
  const module = await import(pathToFileURL(join(spec.outDir, "operations.ts")).href);
  specRows.push([spec.relFile, `@esign-users/${spec.provider}`, `packages/${spec.provider}/${dir}`, String(Object.keys(module.operations).length)]);
}
printTable(["spec", "package", "generated code", "operations"], specRows);

// Imported only now: the build above produced them.
const { runTour } = await import("./lib/tour.ts");
const ok = await runTour();
process.exit(ok ? 0 : 1);
