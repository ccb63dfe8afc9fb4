/**
 * `npm start`: regenerate what changed, build, then manage users on every sandbox
 * provider with the real clients, and print what happened. Each step says what it
 * does, how far it is and how long it usually takes.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { pathToFileURL } from "node:url";
import { buildWithProgress } from "./lib/build-progress.ts";
import { parseCommand } from "./lib/cli.ts";
import { listSpecs, repoRoot } from "./lib/specs.ts";
import { printTable } from "./lib/table.ts";

parseCommand({
  command: "npm start --",
  summary:
    "Regenerates the specs that changed, builds every package (with progress), then starts every provider's\n" +
    "sandbox on 127.0.0.1 and runs one script through the esign-users facade on each: create → get → list →\n" +
    "update → remove. Needs no account and no network.",
  options: {},
});

const startedAll = performance.now();
const elapsed = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;

/** Runs the generator, passing its lines through indented: which specs changed and what changed in their API. */
function regenerate(): Promise<boolean> {
  const specs = listSpecs();
  console.log(`• 1/3 regenerating the specs that changed, of ${specs.length} (under 5 s; none when nothing changed)`);
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx/esm", join(repoRoot, "scripts", "generate.ts")], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  createInterface({ input: child.stdout }).on("line", (line) => console.log(`  ${line}`));
  createInterface({ input: child.stderr }).on("line", (line) => console.error(`  ${line}`));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      console.log(`  ${code === 0 ? "done" : "failed"} in ${elapsed(started)}`);
      resolve(code === 0);
    }),
  );
}

if (!(await regenerate())) process.exit(1);

console.log("• 2/3 building the packages (turbo, cached)");
if (!(await buildWithProgress({ root: repoRoot }))) {
  console.error("npm start: the build failed (its output is above); `npm run build` shows it on its own");
  process.exit(1);
}

console.log("\nSpecs and the packages generated from them:");
const specRows: string[][] = [];
for (const spec of listSpecs()) {
  const dir = spec.version ? `src/generated/${spec.version}` : "src/generated";
  const module = await import(pathToFileURL(join(spec.outDir, "operations.ts")).href);
  specRows.push([spec.relFile, `@esign-users/${spec.provider}`, `packages/${spec.provider}/${dir}`, String(Object.keys(module.operations).length)]);
}
printTable(["spec", "package", "generated code", "operations"], specRows);

// Imported only now: the build above produced them.
console.log("\n• 3/3 the tour: every provider's sandbox, one script through the facade (a few seconds)");
const { runTour } = await import("./lib/tour.ts");
const ok = await runTour();
console.log(`\nnpm start: ${ok ? "done" : "failed"} in ${elapsed(startedAll)}`);
process.exit(ok ? 0 : 1);
