import semver from "semver";

/** How much a change requires a package's version to grow. */
export type BumpLevel = "none" | "patch" | "minor" | "major";

export const RANK: Record<BumpLevel, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export const isBumpLevel = (value: unknown): value is BumpLevel => typeof value === "string" && value in RANK;
export const atLeast = (have: BumpLevel, want: BumpLevel): boolean => RANK[have] >= RANK[want];
export const highest = (levels: BumpLevel[]): BumpLevel =>
  levels.reduce<BumpLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), "none");

/**
 * The level by which `to` grew from `from` (1.2.3 → 1.3.0 is minor), by `semver.diff`;
 * "none" when it did not grow. A pre-release step counts as its release's level
 * (1.2.3 → 2.0.0-rc.0 is major), a pre-release number alone as a patch.
 */
export function levelBetween(from: string, to: string): BumpLevel {
  if (!semver.gt(to, from)) return "none";
  const diff = semver.diff(from, to);
  if (diff === "major" || diff === "premajor") return "major";
  if (diff === "minor" || diff === "preminor") return "minor";
  return "patch";
}
