import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { parse } from "yaml";
import { type ApiChange, diffApis, levelOf } from "./api-changes.ts";
import { METHODS } from "./operations.ts";
import { type BumpLevel, highest, isBumpLevel, RANK } from "./semver-level.ts";
import { repoRoot } from "./specs.ts";

export type SpecChange = ApiChange;

export interface Classification {
  level: BumpLevel;
  changes: SpecChange[];
}

interface DiffReport {
  bump?: string;
  changes?: {
    path: string;
    kind: string;
    impact: string;
    property?: string;
    verdicts?: { message: string }[];
  }[];
}

// Without `diff-recommended` redocly has no rules to rate changes with and passes
// everything; the rule set lives here so no redocly.yaml elsewhere can change it.
const DIFF_CONFIG = "extends:\n  - diff-recommended\n";
const HTTP_METHODS = new Set<string>(METHODS);

/** `#/paths/~1users~1{id}/get/responses/200` → `GET /users/{id} › responses › 200`. */
export function readablePointer(pointer: string): string {
  const parts = pointer.replace(/^#\/?/, "").split("/").filter(Boolean)
    .map((p) => decodeURIComponent(p).replaceAll("~1", "/").replaceAll("~0", "~"));
  if (parts[0] === "paths" && parts[1]) {
    const method = parts[2] && HTTP_METHODS.has(parts[2]) ? `${parts[2].toUpperCase()} ` : "";
    return [`${method}${parts[1]}`, ...parts.slice(method ? 3 : 2)].join(" › ");
  }
  return parts.join(" › ") || "(document)";
}

/**
 * Rates the change from `before` to `after` (two versions of one spec): every change
 * in words from `diffApis`, and the level the higher of its rating and redocly diff's
 * with its recommended rules (a second opinion: a removed operation, parameter or
 * response property, or a newly required request field, is major; anything added
 * optionally is minor; documentation only is a patch). redocly's own messages are
 * not used as the description: it pairs properties by position, so a removed
 * property and an added one read as a rename.
 */
export function classifySpecChange(fileName: string, before: string, after: string): Classification {
  if (before === after) return { level: "none", changes: [] };
  const changes = diffApis(parse(before) as Record<string, unknown>, parse(after) as Record<string, unknown>);
  const second = redoclyDiff(fileName, before, after);
  const ours = levelOf(changes);
  // Should redocly see more than our reading, say so rather than hide it.
  const unexplained = second.changes.filter((c) => RANK[c.impact] > RANK[ours]);
  const level = highest([ours, second.level]);
  // A textual change nobody rates (comments, key order) still ships new generated headers.
  return { level: level === "none" ? "patch" : level, changes: [...changes, ...unexplained] };
}

/** `redocly diff --format json` of the two versions: its bump, and each rated change at its place. */
function redoclyDiff(fileName: string, before: string, after: string): Classification {
  const dir = mkdtempSync(join(tmpdir(), "esign-spec-diff-"));
  try {
    // Same file name on both sides, so redocly's messages name the spec.
    const name = basename(fileName);
    for (const side of ["base", "revision"]) mkdirSync(join(dir, side));
    writeFileSync(join(dir, "base", name), before);
    writeFileSync(join(dir, "revision", name), after);
    writeFileSync(join(dir, "redocly.yaml"), DIFF_CONFIG);
    const cli = join(repoRoot, "node_modules", "@redocly", "cli", "bin", "cli.js");
    const run = spawnSync(
      process.execPath,
      [cli, "diff", join("base", name), join("revision", name), "--format", "json", "--fail-on", "none", "--config", "redocly.yaml"],
      {
        cwd: dir,
        encoding: "utf8",
        env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" },
        maxBuffer: 64 * 1024 * 1024,
      },
    );
    const json = run.stdout.slice(run.stdout.indexOf("{"));
    let report: DiffReport;
    try {
      report = JSON.parse(json) as DiffReport;
    } catch {
      throw new Error(`redocly diff could not compare ${fileName}:\n${run.stderr.replace(/^.*[║╔╚].*$\n?/gm, "").trim()}`);
    }
    const changes = (report.changes ?? []).flatMap((c): SpecChange[] => {
      if (!isBumpLevel(c.impact) || c.impact === "none") return [];
      const messages = (c.verdicts ?? []).map((v) => v.message);
      const what = messages.length > 0 ? messages.join(" ") : `${c.kind}${c.property ? ` ${c.property}` : ""}`;
      return [{ impact: c.impact, kind: "changed", text: `redocly diff rates a change at \`${readablePointer(c.path)}\` ${c.impact}: ${what}` }];
    });
    return { level: isBumpLevel(report.bump) ? report.bump : "none", changes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
