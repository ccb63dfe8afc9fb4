/**
 * Writes each package's public surface to packages/<folder>/api-report.md.
 *
 *   npm run api:report               write the reports
 *   npm run api:report -- --check    exit 1 naming every package whose surface changed, or that exports what its README never mentions
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseCommand } from "./lib/cli.ts";
import { buildReports, renderReport, reportFile, undocumented } from "./lib/api-report.ts";

const { values } = parseCommand({
  command: "npm run api:report --",
  summary:
    "Writes each published package's public surface to packages/<folder>/api-report.md, and names every\n" +
    "hand-written export its README never mentions. npm test fails when a report is out of date.",
  options: { check: { type: "boolean", description: "compare instead of writing; exit 1 naming each difference" } },
});
const check = values.check;

let problems = 0;
for (const report of buildReports()) {
  const file = reportFile(report.folder);
  const text = renderReport(report);
  const missing = undocumented(report);
  for (const name of missing) {
    console.error(`✗ ${report.name} exports ${name}, which its README never mentions: document it or stop exporting it`);
    problems++;
  }
  const stale = !existsSync(file) || readFileSync(file, "utf8") !== text;
  if (check) {
    if (stale) {
      console.error(`✗ packages/${report.folder}/api-report.md is not what ${report.name} exports: run \`npm run api:report\` and review the diff`);
      problems++;
    }
  } else if (stale) {
    writeFileSync(file, text);
    console.log(`✓ packages/${report.folder}/api-report.md written`);
  }
}
if (problems > 0) process.exitCode = 1;
else if (check) console.log("api:report: every package's surface matches its report");
