import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { parse } from "yaml";
import { type BumpLevel, isBumpLevel } from "./semver-level.ts";

export interface PendingChangeset {
  /** Path relative to the repository. */
  file: string;
  /** Package name → bump level. */
  releases: Map<string, BumpLevel>;
  summary: string;
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

/** The changesets not yet turned into versions: `.changeset/*.md` but the README. */
export function pendingChangesets(root: string): PendingChangeset[] {
  const dir = join(root, ".changeset");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".md") && f.toLowerCase() !== "readme.md")
    .sort()
    .flatMap((f) => {
      const text = readFileSync(join(dir, f), "utf8");
      const match = FRONTMATTER.exec(text);
      if (!match) return [];
      const front = (parse(match[1] as string) ?? {}) as Record<string, unknown>;
      const releases = new Map<string, BumpLevel>();
      for (const [name, level] of Object.entries(front)) if (isBumpLevel(level)) releases.set(name, level);
      return [{ file: relative(root, join(dir, f)), releases, summary: (match[2] as string).trim() }];
    });
}

/** Writes (or replaces) one changeset in the format `changeset version` reads. Returns its path. */
export function writeChangeset(root: string, id: string, releases: Map<string, BumpLevel>, summary: string): string {
  const lines = [...releases].filter(([, level]) => level !== "none").map(([name, level]) => `"${name}": ${level}`);
  const file = join(root, ".changeset", `${id}.md`);
  writeFileSync(file, `---\n${lines.join("\n")}\n---\n\n${summary.trim()}\n`);
  return relative(root, file);
}
