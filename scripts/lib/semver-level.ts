/** How much a change requires a package's version to grow. */
export type BumpLevel = "none" | "patch" | "minor" | "major";

const RANK: Record<BumpLevel, number> = { none: 0, patch: 1, minor: 2, major: 3 };

export const isBumpLevel = (value: unknown): value is BumpLevel => typeof value === "string" && value in RANK;
export const atLeast = (have: BumpLevel, want: BumpLevel): boolean => RANK[have] >= RANK[want];
export const highest = (levels: BumpLevel[]): BumpLevel =>
  levels.reduce<BumpLevel>((a, b) => (RANK[b] > RANK[a] ? b : a), "none");

/** The level by which `to` grew from `from` (1.2.3 → 1.3.0 is minor); "none" when it did not grow. */
export function levelBetween(from: string, to: string): BumpLevel {
  const parse = (v: string) => v.split("-")[0]!.split(".").map((n) => Number.parseInt(n, 10));
  const [a, b] = [parse(from), parse(to)];
  for (const [i, level] of (["major", "minor", "patch"] as const).entries()) {
    if ((b[i] ?? 0) > (a[i] ?? 0)) return level;
    if ((b[i] ?? 0) < (a[i] ?? 0)) return "none";
  }
  return "none";
}
