/**
 * Measures every size-limit check and writes budgets for the ones that have none.
 *
 *   npm run size:budgets               add budgets for new checks (size + 15 %)
 *   npm run size:budgets -- --reset    re-derive every budget from today's sizes
 *
 * `npm run size` then fails whenever a package grows past its budget.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseCommand } from "./lib/cli.ts";
import { BUDGETS_FILE, readBudgets } from "./lib/size-checks.ts";
import { repoRoot } from "./lib/specs.ts";

const HEADROOM = 1.15;
const { values } = parseCommand({
  command: "npm run size:budgets --",
  summary: "Measures every size-limit check and writes a budget (size + 15 %) for each check that has none.\n`npm run size` then fails whenever a package grows past its budget.",
  options: { reset: { type: "boolean", description: "re-derive every budget from today's sizes" } },
});
const reset = values.reset;

const run = spawnSync(
  process.execPath,
  ["--import", "tsx/esm", join(repoRoot, "node_modules", "size-limit", "bin.js"), "--json"],
  { cwd: repoRoot, encoding: "utf8", env: { ...process.env, SIZE_LIMIT_MEASURE: "1" } },
);
const results = JSON.parse(run.stdout.slice(run.stdout.indexOf("["))) as { name: string; size: number }[];
const kB = (bytes: number) => `${(bytes / 1000).toFixed(2)} kB`;
// Rounded up to 0.1 kB, in size-limit's 1000-byte kB.
const budgetFor = (bytes: number) => `${(Math.ceil((bytes * HEADROOM) / 100) / 10).toFixed(1)} kB`;

const budgets = readBudgets();
for (const { name, size } of results) {
  if (size < 0) {
    console.log(`  ${name}: not built, no budget (run npm run build first)`);
    continue;
  }
  if (!budgets[name] || reset) budgets[name] = budgetFor(size);
  console.log(`  ${name}: ${kB(size)}, budget ${budgets[name]}`);
}
const sorted = Object.fromEntries(Object.entries(budgets).sort(([a], [b]) => a.localeCompare(b)));
writeFileSync(BUDGETS_FILE, `${JSON.stringify(sorted, null, 2)}\n`);
console.log(`wrote ${BUDGETS_FILE}`);
