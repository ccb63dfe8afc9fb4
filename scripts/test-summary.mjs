// Sums the vitest JSON reports every package writes (test-results.json) into one
// closing line, so that a run's result reads the same however many packages ran.
//
// Kept rather than replaced by a root vitest `projects` run, which reports one total
// by itself: turbo caches each package's test task with its report, and a root run
// cannot be cached per package. Measured on the 2-core machine (load average 5–9):
// with nothing changed, `turbo run test` plus this summary took 1.3 s (median of 3)
// and counted 653 tests; one root `vitest run` with `projects: ["packages/*",
// "scripts"]` took 7 min 46 s and ran 608, because vitest does not nest projects and
// so skipped runtime's second transport project (fetch).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const folders = ["scripts", "bench", ...readdirSync(join(root, "packages")).map((p) => join("packages", p))];
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
for (const folder of folders) {
  const file = join(root, folder, "test-results.json");
  if (!existsSync(join(root, folder, "package.json"))) continue;
  if (!JSON.parse(readFileSync(join(root, folder, "package.json"), "utf8")).scripts?.test) continue; // no tests (the bench)
  if (!existsSync(file)) {
    missing.push(folder);
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${folder}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
if (missing.length > 0) console.log(`no test report from: ${missing.join(", ")}`);
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
