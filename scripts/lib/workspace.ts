import { existsSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { getPackagesSync } from "@manypkg/get-packages";
import { repoRoot } from "./specs.ts";

export type Dependencies = Record<string, string>;

/** The fields of a package.json the release scripts read. */
export interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  description?: string;
  exports?: Record<string, unknown>;
  bin?: Record<string, string> | string;
  dependencies?: Dependencies;
  devDependencies?: Dependencies;
  peerDependencies?: Dependencies;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** Folder name under `packages/`, e.g. `docusign`. */
  folder: string;
  /** Absolute path of the package folder. */
  dir: string;
  /** Path relative to the repository, e.g. `packages/docusign`. */
  relDir: string;
  manifest: Manifest;
  name: string;
  version: string;
  /** Published to npm (not `private`). */
  publishable: boolean;
  /** Has hand-written code (`src/index.ts`); a folder holding only generated code is not a package yet. */
  hasSource: boolean;
}

export function readManifest(dir: string): Manifest {
  return JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Manifest;
}

/**
 * The workspaces under `packages/` (not the scripts or the bench), sorted by folder
 * name, as npm sees them: @manypkg/get-packages reads the root package.json's
 * `workspaces` globs.
 */
export function listPackages(root = repoRoot): WorkspacePackage[] {
  const base = join(root, "packages");
  return getPackagesSync(root)
    .packages.filter((p) => p.dir.startsWith(`${base}${sep}`))
    .map((p) => {
      const manifest = p.packageJson as unknown as Manifest;
      const folder = relative(base, p.dir);
      return {
        folder,
        dir: p.dir,
        relDir: `packages/${folder}`,
        manifest,
        name: manifest.name,
        version: manifest.version,
        publishable: manifest.private !== true,
        hasSource: existsSync(join(p.dir, "src", "index.ts")),
      };
    })
    .sort((a, b) => a.folder.localeCompare(b.folder));
}

/** The packages npm users get: not private, with code of their own. */
export function publishablePackages(root = repoRoot): WorkspacePackage[] {
  return listPackages(root).filter((p) => p.publishable && p.hasSource);
}

/** Runtime dependencies on other packages of this repository. */
export function internalDependencies(pkg: WorkspacePackage, all: WorkspacePackage[]): WorkspacePackage[] {
  const deps = { ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies };
  return all.filter((p) => p.name in deps);
}

/** Packages in an order where each comes after every package it depends on. */
export function topologicalOrder(packages: WorkspacePackage[]): WorkspacePackage[] {
  const done = new Set<string>();
  const ordered: WorkspacePackage[] = [];
  const visit = (pkg: WorkspacePackage, trail: string[]) => {
    if (done.has(pkg.name)) return;
    if (trail.includes(pkg.name)) throw new Error(`dependency cycle: ${[...trail, pkg.name].join(" → ")}`);
    for (const dep of internalDependencies(pkg, packages)) visit(dep, [...trail, pkg.name]);
    done.add(pkg.name);
    ordered.push(pkg);
  };
  for (const pkg of packages) visit(pkg, []);
  return ordered;
}

export interface ExportEntry {
  /** Subpath as written in the exports map, e.g. `.` or `./v2`. */
  subpath: string;
  /** The import specifier a user writes, e.g. `@esign-users/docusign/v2`. */
  specifier: string;
  importTypes: string | undefined;
  importDefault: string | undefined;
  requireTypes: string | undefined;
  requireDefault: string | undefined;
}

const field = (value: unknown, key: string): unknown =>
  value && typeof value === "object" ? (value as Record<string, unknown>)[key] : undefined;
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

/** The code entry points of the exports map (everything but `./package.json`). */
export function exportEntries(pkg: Pick<WorkspacePackage, "manifest" | "name">): ExportEntry[] {
  const exports = pkg.manifest.exports ?? {};
  return Object.entries(exports)
    .filter(([subpath]) => subpath !== "./package.json")
    .map(([subpath, target]) => ({
      subpath,
      specifier: subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
      importTypes: text(field(field(target, "import"), "types")),
      importDefault: text(field(field(target, "import"), "default")),
      requireTypes: text(field(field(target, "require"), "types")),
      requireDefault: text(field(field(target, "require"), "default")),
    }));
}

/** True when every file the exports map names exists (the package was built). */
export function isBuilt(pkg: WorkspacePackage): boolean {
  const entries = exportEntries(pkg);
  return (
    entries.length > 0 &&
    entries.every((e) =>
      [e.importTypes, e.importDefault, e.requireTypes, e.requireDefault].every(
        (file) => file !== undefined && existsSync(join(pkg.dir, file)),
      ),
    )
  );
}

/** The source file a built entry comes from: `./dist/v2.js` → `src/v2.ts`. */
export function sourceOf(pkg: WorkspacePackage, builtFile: string): string {
  return join(pkg.dir, builtFile.replace(/^\.\/dist\//, "src/").replace(/\.(c|m)?js$/, ".ts"));
}
