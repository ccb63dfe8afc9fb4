import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildReports, renderReport, reportFile, undocumented } from "../lib/api-report.ts";

describe("api:report", () => {
  it("every published package's committed report is what it exports, and its README names every hand-written export", () => {
    const reports = buildReports();
    expect(reports.map((r) => r.name)).toContain("@esign-users/runtime");
    for (const report of reports) {
      expect(readFileSync(reportFile(report.folder), "utf8"), `packages/${report.folder}/api-report.md: run npm run api:report`).toBe(
        renderReport(report),
      );
      expect(undocumented(report), `${report.name}'s README`).toEqual([]);
    }
  });

  const root = mkdtempSync(join(tmpdir(), "api-report-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it("a new export changes the report and, until the README mentions it, is named as undocumented", () => {
    const dir = join(root, "packages", "tiny");
    mkdirSync(join(dir, "src"), { recursive: true });
    writeFileSync(
      join(dir, "package.json"),
      JSON.stringify({ name: "@x/tiny", exports: { ".": { "@esign-users/source": "./src/index.ts" } } }),
    );
    writeFileSync(join(dir, "README.md"), "# tiny\n\n`greet(name)` says hello.\n");
    writeFileSync(join(dir, "src", "index.ts"), 'export function greet(name: string): string { return `hi ${name}`; }\n');
    const before = buildReports(root);
    expect(before).toHaveLength(1);
    expect(renderReport(before[0]!)).toContain("- function `greet`: `(name: string): string`");
    expect(undocumented(before[0]!, root)).toEqual([]);

    writeFileSync(join(dir, "src", "index.ts"), 'export function greet(name: string): string { return `hi ${name}`; }\nexport const shout = (s: string) => s.toUpperCase();\n');
    const after = buildReports(root);
    expect(renderReport(after[0]!)).not.toBe(renderReport(before[0]!));
    expect(renderReport(after[0]!)).toContain("- const `shout`");
    expect(undocumented(after[0]!, root)).toEqual(["shout"]);
  });
});
