/**
 * Writes each package's public surface to packages/<folder>/api-report.md.
 *
 *   npm run api:report               write the reports
 *   npm run api:report -- --check    exit 1 naming every package whose surface changed, or that exports what its README never mentions
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { buildReports, renderReport, reportFile, undocumented } from "./lib/api-report.ts";

const usage = "usage: npm run api:report [-- --check]";
let check = false;
try {
  const { values } = parseArgs({ options: { check: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) {
    console.log(`${usage}\n\nWrites each package's public surface to packages/<folder>/api-report.md; --check compares instead of writing.`);
    process.exit(0);
  }
  check = values.check === true;
} catch (error) {
  console.error(`api:report: ${(error as Error).message}. ${usage}`);
  process.exit(2);
}

let problems = 0;
for (const report of buildReports()) {
  const file = reportFile(report.folder);
  const text = renderReport(report);
  const missing = undocumented(report);
  for (const name of missing) {
    console.error(`✗ ${report.name} exports ${name}, which its README never mentions: document it or stop exporting it`);
    problems++;
  }
  if (check) {
    if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
      console.error(`✗ packages/${report.folder}/api-report.md is not what ${report.name} exports: run \`npm run api:report\` and review the diff`);
      problems++;
    }
  } else if (!existsSync(file) || readFileSync(file, "utf8") !== text) {
    writeFileSync(file, text);
    console.log(`✓ packages/${report.folder}/api-report.md written`);
  }
}
if (problems > 0) process.exitCode = 1;
else if (check) console.log("api:report: every package's surface matches its report");
