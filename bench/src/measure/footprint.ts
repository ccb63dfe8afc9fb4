import { lstatSync, readdirSync, realpathSync } from "node:fs";
import { join, sep } from "node:path";
import { runOk } from "../../../scripts/lib/processes.ts";
import { bytes, ratio } from "../lib/format.ts";
import { childEnv, LOAD_PAIRS } from "../lib/pairs.ts";
import { packageDir, readManifest, repoRoot } from "../lib/paths.ts";
import { type Outcome, smallerIsBetter } from "../lib/report.ts";

export interface ClosureEntry {
  name: string;
  version: string;
  bytes: number;
  files: number;
  /** `published` for our workspace packages (npm pack), `installed` for everything else. */
  source: "published" | "installed";
}

const workspacePackages = join(repoRoot, "packages") + sep;

/** Bytes and files of what `npm pack` would publish for a workspace package. */
async function publishedSize(dir: string): Promise<{ bytes: number; files: number }> {
  const { stdout } = await runOk("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: dir,
    env: childEnv(),
    timeoutMs: 60_000,
  });
  const [pack] = JSON.parse(stdout) as { unpackedSize: number; entryCount: number }[];
  if (!pack) throw new Error(`npm pack --dry-run gave nothing for ${dir}`);
  return { bytes: pack.unpackedSize, files: pack.entryCount };
}

/** Apparent size of an installed package folder, without the packages nested in its node_modules. */
function installedSize(dir: string): { bytes: number; files: number } {
  let total = 0;
  let files = 0;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name === "node_modules") continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) {
        total += lstatSync(full).size;
        files += 1;
      }
    }
  };
  walk(dir);
  return { bytes: total, files };
}

/**
 * A package and every package it needs at run time (dependencies, optional ones that
 * are installed, peers that are not optional), each resolved the way Node would from
 * the package that asks for it.
 */
export async function productionClosure(name: string): Promise<ClosureEntry[]> {
  const seen = new Map<string, ClosureEntry>();
  const visit = async (pkg: string, from: string | undefined, optional: boolean) => {
    let dir: string;
    try {
      dir = realpathSync(packageDir(pkg, from));
    } catch (e) {
      if (optional) return;
      throw e;
    }
    if (seen.has(dir)) return;
    const manifest = readManifest(dir);
    const ours = dir.startsWith(workspacePackages);
    const size = ours ? await publishedSize(dir) : installedSize(dir);
    seen.set(dir, {
      name: manifest.name,
      version: manifest.version,
      bytes: size.bytes,
      files: size.files,
      source: ours ? "published" : "installed",
    });
    for (const dep of Object.keys(manifest.dependencies ?? {})) await visit(dep, dir, false);
    for (const dep of Object.keys(manifest.optionalDependencies ?? {})) await visit(dep, dir, true);
    for (const dep of Object.keys(manifest.peerDependencies ?? {})) {
      await visit(dep, dir, manifest.peerDependenciesMeta?.[dep]?.optional === true);
    }
  };
  await visit(name, undefined, false);
  return [...seen.values()];
}

const total = (entries: ClosureEntry[]) => entries.reduce((sum, e) => sum + e.bytes, 0);

function describe(entries: ClosureEntry[]): string {
  return [...entries]
    .sort((a, b) => b.bytes - a.bytes)
    .map((e) => `${e.name}@${e.version} ${bytes(e.bytes)}${e.source === "published" ? " (npm pack)" : ""}`)
    .join(", ");
}

/** Disk size and package count of each package's production dependency closure. */
export async function measureFootprint(outcome: Outcome): Promise<void> {
  const lines: string[] = [];
  for (const pair of LOAD_PAIRS) {
    const ours = await productionClosure(pair.ours);
    const theirs = await productionClosure(pair.theirs);
    const sizeRatio = smallerIsBetter(total(ours), total(theirs));
    outcome.rows.push({
      measure: "Install footprint, bytes on disk",
      subject: pair.label,
      ours: bytes(total(ours)),
      theirs: bytes(total(theirs)),
      ratio: sizeRatio,
      target: { text: "≥ 20× smaller", met: sizeRatio >= 20 },
    });
    outcome.rows.push({
      measure: "Install footprint, packages",
      subject: pair.label,
      ours: String(ours.length),
      theirs: String(theirs.length),
      ratio: theirs.length / ours.length,
    });
    lines.push(
      `- **${pair.label}**, ours (${ours.length} packages, ${bytes(total(ours))}, ${ratio(
        sizeRatio,
      )} smaller): ${describe(ours)}`,
      `- **${pair.label}**, official (${theirs.length} packages, ${bytes(total(theirs))}): ${describe(theirs)}`,
    );
  }
  outcome.sections.push({
    title: "Install footprint",
    body: [
      "The package plus its production dependency closure (dependencies, installed optional dependencies, non-optional peers), each resolved as Node would from the package that needs it. Our workspace packages count what they would publish (`npm pack --dry-run --json`, `unpackedSize`); every other package counts its installed folder in `node_modules` (apparent file sizes, nested `node_modules` excluded and counted as packages of their own).",
      "",
      ...lines,
    ].join("\n"),
  });
}
