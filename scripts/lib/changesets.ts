import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import readChangesets from "@changesets/read";
import writeChangesetFile from "@changesets/write";
import { type BumpLevel, isBumpLevel } from "./semver-level.ts";

export interface PendingChangeset {
  /** Path relative to the repository. */
  file: string;
  /** Package name → bump level. */
  releases: Map<string, BumpLevel>;
  summary: string;
}

/** The changesets not yet turned into versions, read by changesets' own reader. */
export async function pendingChangesets(root: string): Promise<PendingChangeset[]> {
  if (!existsSync(join(root, ".changeset"))) return [];
  const found = await readChangesets(root);
  return found
    .map((c) => ({
      file: join(".changeset", `${c.id}.md`),
      releases: new Map(c.releases.flatMap((r) => (isBumpLevel(r.type) ? [[r.name, r.type] as const] : []))),
      summary: c.summary.trim(),
    }))
    .sort((a, b) => a.file.localeCompare(b.file));
}

export interface WrittenChangeset {
  /** Path relative to the repository. */
  file: string;
  /**
   * `written`; `unchanged` (it already said this); `kept`: a different changeset of that
   * name was there (edited by hand, or written for an earlier state of the spec) and
   * `force` was not given.
   */
  outcome: "written" | "unchanged" | "kept";
}

/** The text changesets' own writer produces for these releases and summary. */
async function render(releases: Map<string, BumpLevel>, summary: string): Promise<string> {
  // @changesets/write names the file with a random id; spec:diff needs one stable
  // name per spec (a rerun replaces its changeset instead of adding another), so it
  // writes into a scratch folder and the text is taken from there.
  const scratch = mkdtempSync(join(tmpdir(), "esign-changeset-"));
  try {
    const id = await writeChangesetFile(
      {
        summary: summary.trim(),
        releases: [...releases].filter(([, level]) => level !== "none").map(([name, level]) => ({ name, type: level as Exclude<BumpLevel, "none"> })),
      },
      scratch,
      { prettier: false },
    );
    return `${readFileSync(join(scratch, ".changeset", `${id}.md`), "utf8").trimEnd()}\n`;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Writes `.changeset/<id>.md` unless a different one is there and `force` is not set. */
export async function writeChangeset(
  root: string,
  id: string,
  releases: Map<string, BumpLevel>,
  summary: string,
  options: { force?: boolean } = {},
): Promise<WrittenChangeset> {
  const file = join(".changeset", `${id}.md`);
  const text = await render(releases, summary);
  const path = join(root, file);
  if (existsSync(path)) {
    const current = readFileSync(path, "utf8");
    if (current === text) return { file, outcome: "unchanged" };
    if (!options.force) return { file, outcome: "kept" };
  }
  writeFileSync(path, text);
  return { file, outcome: "written" };
}
