import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The bench folder and the repository around it, wherever the run starts from. */
export const benchDir = join(import.meta.dirname, "..", "..");
export const repoRoot = join(benchDir, "..");
/** Scratch space for bundles and compiled child scripts (git-ignored). */
export const workDir = join(benchDir, ".work");

/**
 * The folder of an installed package as Node would find it from `from`: the nearest
 * `node_modules/<name>` walking up. (Resolving `<name>/package.json` fails for
 * packages whose `exports` do not list it.)
 */
export function packageDir(name: string, from = benchDir): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name} is not installed (looked up from ${from})`);
  }
}

export interface Manifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

export function packageVersion(name: string): string {
  return readManifest(packageDir(name)).version;
}
