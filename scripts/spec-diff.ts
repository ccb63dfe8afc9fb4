/**
 * What changed in the specs, and what release it needs.
 *
 *   npm run spec:diff                    compare with the last release (tag, else origin/main, else HEAD~1),
 *                                        regenerate, and write a changeset per changed spec
 *   npm run spec:diff -- --base <ref>    compare with <ref>
 *   npm run spec:diff -- --check         CI: exit 1 when a spec changed on this branch without a changeset
 *                                        bumping its packages enough (writes nothing)
 *   npm run spec:diff -- --force         replace changesets it wrote earlier even when they were edited since
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { parseCommand } from "./lib/cli.ts";
import { writeChangeset } from "./lib/changesets.ts";
import { coverage, diffSpecs, type SpecReport } from "./lib/spec-diff.ts";
import { repoRoot } from "./lib/specs.ts";

const { values } = parseCommand({
  command: "npm run spec:diff --",
  summary:
    "Says what changed in each spec since the last release and what release it needs, regenerates the code,\n" +
    "and writes .changeset/spec-<spec>.md for each changed spec (an edited changeset is kept unless --force).",
  options: {
    base: { type: "string", value: "<ref>", description: "compare with this git ref (default: the last release tag, else origin/main, else HEAD~1)" },
    check: { type: "boolean", description: "CI: write nothing; exit 1 when a spec changed without a changeset bumping its packages enough" },
    force: { type: "boolean", description: "replace changesets spec:diff wrote earlier even if they were edited since" },
    // Another checkout (the tests use a temporary repository).
    root: { type: "string", description: "the repository to work on", hidden: true },
  },
});
const root = values.root ? resolve(values.root) : repoRoot;
const check = values.check ?? false;

function describe(report: SpecReport): string {
  const against = report.base ? `${report.base.ref} (${report.base.reason})` : "nothing (no earlier commit)";
  return `${report.target.relFile} vs ${against}: ${report.status}${report.level !== "none" ? ` → ${report.level}` : ""}`;
}

function limited(lines: string[], limit: number, more: (n: number) => string): string[] {
  return lines.length > limit ? [...lines.slice(0, limit), more(lines.length - limit)] : lines;
}

/** What the changelog says: one sentence per change, under a line saying what kind of release it is. */
function changesetSummary(r: SpecReport): string {
  const file = `\`${r.target.relFile}\``;
  const text = existsSync(r.target.file) ? readFileSync(r.target.file, "utf8") : undefined;
  const title = (text ? (parse(text) as { info?: { title?: string } } | null)?.info?.title : undefined) ?? r.target.name;
  if (r.status === "added") return `Supports ${title} (${file}), a new API version.`;
  if (r.status === "removed") return `No longer supports the API of ${file}, which was removed.`;
  if (r.changes.length === 0) return `${title} (${file}) was edited without changing the API.`;
  const heading = { major: "Breaking changes in", minor: "New in", patch: "Wording and small fixes in", none: "" }[r.level];
  const lines = limited(r.changes.map((c) => `- ${c.text}`), 40, (n) => `- … and ${n} smaller changes.`);
  return [`${heading} ${title} (${file}):`, "", ...lines].join("\n");
}

function regenerate(names: string[]): void {
  if (names.length === 0) return;
  const run = spawnSync(
    process.execPath,
    ["--import", "tsx/esm", join(repoRoot, "scripts", "generate.ts"), `--root=${root}`, ...names],
    { cwd: repoRoot, stdio: "inherit" },
  );
  if (run.status !== 0) {
    console.error("spec:diff: regeneration failed (see above); no changeset written");
    process.exit(1);
  }
}

let reports: SpecReport[];
try {
  reports = diffSpecs(root, { base: values.base, check });
} catch (error) {
  console.error((error as Error).message);
  process.exit(2);
}
const moved = reports.filter((r) => r.status !== "unchanged");
for (const r of reports) {
  console.log(`${r.status === "unchanged" ? "·" : "●"} ${describe(r)}`);
  for (const line of limited(r.changes.map((c) => `${c.impact.padEnd(5)}  ${c.text}`), 15, (n) => `… and ${n} more`)) {
    console.log(`    ${line}`);
  }
}
if (moved.length === 0) {
  console.log("spec:diff: no spec changed");
  process.exit(0);
}

if (check) {
  let missing = 0;
  for (const r of moved) {
    for (const c of await coverage(root, r)) {
      if (c.coveredBy) {
        console.log(`✓ ${c.pkg} ${c.required}: ${c.coveredBy}`);
      } else {
        missing++;
        console.log(`✗ ${c.pkg} needs a ${c.required} changeset for ${r.target.relFile} (${r.roles.get(c.pkg)})`);
      }
    }
    if (r.releases.size === 0) console.log(`✓ ${r.target.relFile}: ${r.status}, nothing to release (a new package)`);
  }
  if (missing > 0) {
    console.log("\nRun `npm run spec:diff` to write the changesets (or `npx changeset`), and commit them with the spec.");
    process.exit(1);
  }
  process.exit(0);
}

regenerate(moved.filter((r) => r.status !== "removed").map((r) => r.target.name));
let kept = 0;
for (const r of moved) {
  if (r.releases.size === 0) {
    console.log(`${r.target.relFile}: ${r.status}, a new package: no changeset (its first release is its own version)`);
    continue;
  }
  const id = `spec-${r.target.name.replaceAll(".", "-")}`;
  const { file, outcome } = await writeChangeset(root, id, r.releases, changesetSummary(r), { force: values.force });
  const bumps = [...r.releases].map(([p, l]) => `${p} ${l}`).join(", ");
  if (outcome !== "kept") {
    console.log(`${outcome === "written" ? "wrote" : "unchanged:"} ${file}: ${bumps}`);
    continue;
  }
  kept++;
  const short = (await coverage(root, r)).filter((c) => !c.coveredBy);
  console.log(
    `kept ${file}: it differs from what spec:diff would write now (edited by hand, or written for an earlier ` +
      "state of the spec); `npm run spec:diff -- --force` replaces it",
  );
  for (const c of short) console.log(`✗ but ${c.pkg} needs a ${c.required} changeset and none bumps it that much`);
  if (short.length > 0) process.exitCode = 1;
}
if (kept > 0 && process.exitCode !== 1) console.log(`${kept} changeset(s) kept as they were.`);
