import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pendingChangesets } from "./changesets.ts";
import { commitOf, git, lastTag, listFilesAt, showFile } from "./git.ts";
import { atLeast, type BumpLevel, highest, levelBetween } from "./semver-level.ts";
import { classifySpecChange, type SpecChange } from "./spec-classify.ts";
import { describeSpec, type SpecTarget } from "./specs.ts";
import { listPackages, type Manifest } from "./workspace.ts";

export interface BaseRef {
  /** What git is given: a tag, a branch or a commit. */
  ref: string;
  /** Why this ref: shown in every message. */
  reason: string;
}

export type SpecStatus = "unchanged" | "changed" | "added" | "removed";

export interface SpecReport {
  target: SpecTarget;
  base: BaseRef | undefined;
  status: SpecStatus;
  level: BumpLevel;
  changes: SpecChange[];
  /** Package name → the bump this spec change requires of it. */
  releases: Map<string, BumpLevel>;
  /** Why each package is in `releases`. */
  roles: Map<string, string>;
}

/**
 * The ref a spec is compared with.
 * - `--base <ref>`: that ref.
 * - Otherwise, to see what the next release holds: the provider package's last
 *   release tag, else any last release tag, else origin/main, else HEAD~1 (HEAD in a
 *   repository of one commit).
 * - With `check` (CI): what this branch adds — the merge base with origin/main, or
 *   HEAD~1 when HEAD is main itself (a fresh clone of main checks its last commit).
 */
export function resolveBase(root: string, options: { base?: string; check: boolean; packageName: string }): BaseRef | undefined {
  if (options.base) {
    if (!commitOf(root, options.base)) throw new Error(`spec:diff: --base ${options.base} is not a commit in this repository`);
    return { ref: options.base, reason: "--base" };
  }
  // With a single commit, its own content is the only base there is (uncommitted edits still show).
  const previous = commitOf(root, "HEAD~1")
    ? { ref: "HEAD~1", reason: "the previous commit" }
    : commitOf(root, "HEAD")
      ? { ref: "HEAD", reason: "the only commit" }
      : undefined;
  const main = commitOf(root, "origin/main");
  if (options.check) {
    if (!main) return previous;
    const mergeBase = git(root, ["merge-base", "HEAD", "origin/main"]).out;
    if (mergeBase && mergeBase !== commitOf(root, "HEAD")) return { ref: mergeBase, reason: "the merge base with origin/main" };
    return previous;
  }
  const ownTag = lastTag(root, `${options.packageName}@*`);
  if (ownTag) return { ref: ownTag, reason: "its last release tag" };
  const anyTag = lastTag(root);
  if (anyTag) return { ref: anyTag, reason: "the last release tag" };
  if (main) return { ref: "origin/main", reason: "origin/main" };
  return previous;
}

function manifestAt(root: string, ref: string | undefined, relPath: string): Manifest | undefined {
  const text = ref ? showFile(root, ref, relPath) : existsSync(join(root, relPath)) ? readFileSync(join(root, relPath), "utf8") : undefined;
  return text === undefined ? undefined : (JSON.parse(text) as Manifest);
}

function providerPackageName(root: string, target: SpecTarget): string {
  return manifestAt(root, undefined, `packages/${target.provider}/package.json`)?.name ?? `@esign-users/${target.provider}`;
}

/**
 * Who ships a spec: its provider package, every published package depending on it
 * (the facade, whose `raw` clients expose the provider's types), at the same level;
 * and the sandbox, which carries a copy of the spec, as a patch.
 */
function releasesFor(root: string, target: SpecTarget, level: BumpLevel): { releases: Map<string, BumpLevel>; roles: Map<string, string> } {
  const releases = new Map<string, BumpLevel>();
  const roles = new Map<string, string>();
  if (level === "none") return { releases, roles };
  const provider = providerPackageName(root, target);
  releases.set(provider, level);
  roles.set(provider, "provider");
  const packages = listPackages(root).filter((p) => p.publishable);
  for (const p of packages) {
    const deps = { ...p.manifest.dependencies, ...p.manifest.peerDependencies };
    if (provider in deps) {
      releases.set(p.name, level);
      roles.set(p.name, `depends on ${provider}`);
    }
  }
  const sandbox = packages.find((p) => target.sandboxFile.startsWith(`${p.dir}/`));
  if (sandbox && !releases.has(sandbox.name)) {
    releases.set(sandbox.name, "patch");
    roles.set(sandbox.name, "carries the spec");
  }
  return { releases, roles };
}

function specFilesAt(root: string, ref: string): string[] {
  return listFilesAt(root, ref, "specs").filter((f) => /\.ya?ml$/.test(f));
}

/** Compares every spec of the working tree (and every spec the base had) with its base. */
export function diffSpecs(root: string, options: { base?: string; check: boolean }): SpecReport[] {
  const now = existsSync(join(root, "specs")) ? readdirSync(join(root, "specs")).filter((f) => /\.ya?ml$/.test(f)) : [];
  const bases = new Map<string, BaseRef | undefined>();
  const baseFor = (target: SpecTarget) => {
    const name = providerPackageName(root, target);
    if (!bases.has(name)) bases.set(name, resolveBase(root, { ...options, packageName: name }));
    return bases.get(name);
  };
  // Specs deleted since the base count too: probe each base for its spec list.
  const files = new Set(now);
  for (const file of now) {
    const base = baseFor(describeSpec(join(root, "specs", file), root));
    if (base) for (const f of specFilesAt(root, base.ref)) files.add(f);
  }
  if (now.length === 0) {
    const base = resolveBase(root, { ...options, packageName: "" });
    if (base) for (const f of specFilesAt(root, base.ref)) files.add(f);
  }

  return [...files].sort().map((file): SpecReport => {
    const target = describeSpec(join(root, "specs", file), root);
    const base = baseFor(target);
    const after = now.includes(file) ? readFileSync(target.file, "utf8") : undefined;
    const before = base ? showFile(root, base.ref, `specs/${file}`) : undefined;
    let status: SpecStatus;
    let level: BumpLevel;
    let changes: SpecChange[] = [];
    if (!base || before === after) {
      status = "unchanged";
      level = "none";
    } else if (before === undefined) {
      status = "added";
      // A new API version of a released package is a feature; a new package starts at its own version.
      level = manifestAt(root, base.ref, `packages/${target.provider}/package.json`) ? "minor" : "none";
    } else if (after === undefined) {
      status = "removed";
      level = "major";
    } else {
      status = "changed";
      ({ level, changes } = classifySpecChange(file, before, after));
    }
    return { target, base, status, level, changes, ...releasesFor(root, target, level) };
  });
}

export interface Coverage {
  pkg: string;
  required: BumpLevel;
  /** The changeset file or version bump that covers it; undefined when nothing does. */
  coveredBy: string | undefined;
}

/**
 * Whether each required bump is recorded: a pending changeset bumping the package
 * at least as much, or (once `changeset version` has consumed the changesets) a
 * version that already grew that much since the base.
 */
export async function coverage(root: string, report: SpecReport): Promise<Coverage[]> {
  const pending = await pendingChangesets(root);
  const packages = listPackages(root);
  return [...report.releases].map(([pkg, required]): Coverage => {
    const file = pending.find((c) => atLeast(c.releases.get(pkg) ?? "none", required))?.file;
    if (file) return { pkg, required, coveredBy: file };
    const current = packages.find((p) => p.name === pkg);
    const before = current && report.base ? manifestAt(root, report.base.ref, `${current.relDir}/package.json`) : undefined;
    if (current && before && atLeast(levelBetween(before.version, current.version), required)) {
      return { pkg, required, coveredBy: `version ${before.version} → ${current.version}` };
    }
    return { pkg, required, coveredBy: undefined };
  });
}

/** Every package's bump over several spec reports (DocuSign has two specs). */
export function combinedReleases(reports: SpecReport[]): Map<string, BumpLevel> {
  const all = new Map<string, BumpLevel>();
  for (const r of reports) for (const [pkg, level] of r.releases) all.set(pkg, highest([all.get(pkg) ?? "none", level]));
  return all;
}
