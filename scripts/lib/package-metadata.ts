import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { exportEntries, type Manifest, type WorkspacePackage } from "./workspace.ts";

/**
 * What npm shows and needs for every published package. One place, so a new
 * provider package gets the same metadata with `npm run packages:check -- --fix`.
 */
export const REPOSITORY_URL = "git+https://github.com/esign-users/esign-users.git";
const WEB = "https://github.com/esign-users/esign-users";
export const NODE_RANGE = ">=20.11";

/**
 * TypeScript's node10 resolution ("moduleResolution": "node", still common) ignores
 * `exports`, so a subpath like `@esign-users/docusign/v2` needs `typesVersions` to
 * find its declarations.
 */
function subpathTypes(pkg: Pick<WorkspacePackage, "manifest" | "name">): Partial<Manifest> {
  const subpaths = exportEntries(pkg).filter((e) => e.subpath !== "." && e.importTypes);
  if (subpaths.length === 0) return {};
  return { typesVersions: { "*": Object.fromEntries(subpaths.map((e) => [e.subpath.slice(2), [e.importTypes]])) } };
}

/** Folders holding a `bin` target outside dist/ (a committed shim that works before any build). */
function binFolders(manifest: Manifest): string[] {
  const targets = typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {});
  const folders = targets.map((t) => t.replace(/^\.\//, "").split("/")[0] ?? "").filter((f) => f && f !== "dist");
  return [...new Set(folders)].sort();
}

export function expectedMetadata(pkg: Pick<WorkspacePackage, "folder" | "manifest" | "name">): Partial<Manifest> {
  return {
    ...subpathTypes(pkg),
    license: "MIT",
    author: "esign-users contributors",
    homepage: `${WEB}/tree/main/packages/${pkg.folder}#readme`,
    bugs: { url: `${WEB}/issues` },
    repository: { type: "git", url: REPOSITORY_URL, directory: `packages/${pkg.folder}` },
    type: "module",
    sideEffects: false,
    files: ["dist", ...binFolders(pkg.manifest), "CHANGELOG.md", "LICENSE"],
    engines: { node: NODE_RANGE },
    // Provenance links each tarball to the CI run that built it; publishing from a laptop is refused.
    publishConfig: { access: "public", provenance: true },
  };
}

export interface MetadataProblem {
  field: string;
  message: string;
  /** True when `--fix` can set the field itself. */
  fixable: boolean;
}

/** Fields whose value follows from the package alone; exports are checked, never rewritten. */
export function checkMetadata(pkg: WorkspacePackage): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  const m = pkg.manifest;
  for (const [key, want] of Object.entries(expectedMetadata(pkg))) {
    if (!isDeepStrictEqual(m[key], want)) {
      problems.push({ field: key, message: `should be ${JSON.stringify(want)}, is ${JSON.stringify(m[key])}`, fixable: true });
    }
  }
  if (typeof m.description !== "string" || m.description.length < 20) {
    problems.push({ field: "description", message: "needs a sentence saying what the package is", fixable: false });
  }
  if (!Array.isArray(m.keywords) || m.keywords.length === 0) {
    problems.push({ field: "keywords", message: "needs keywords for npm search", fixable: false });
  }
  problems.push(...checkExports(pkg));
  problems.push(...checkReadme(pkg));
  return problems;
}

function checkExports(pkg: WorkspacePackage): MetadataProblem[] {
  const problems: MetadataProblem[] = [];
  const add = (field: string, message: string) => problems.push({ field, message, fixable: false });
  const entries = exportEntries(pkg);
  if (!entries.some((e) => e.subpath === ".")) add("exports", 'needs a "." entry');
  if ((pkg.manifest.exports ?? {})["./package.json"] !== "./package.json") {
    add("exports", 'needs "./package.json": "./package.json" (tools read it)');
  }
  for (const e of entries) {
    const at = `exports["${e.subpath}"]`;
    // Separate declaration files per format, or TypeScript under node16 treats CJS types as ESM ("masquerading").
    if (!e.importTypes?.endsWith(".d.ts")) add(`${at}.import.types`, "should be a .d.ts file, listed first");
    if (!e.importDefault?.endsWith(".js")) add(`${at}.import.default`, "should be the ESM .js file");
    if (!e.requireTypes?.endsWith(".d.cts")) add(`${at}.require.types`, "should be a .d.cts file, listed first");
    if (!e.requireDefault?.endsWith(".cjs")) add(`${at}.require.default`, "should be the CommonJS .cjs file");
  }
  const root = entries.find((e) => e.subpath === ".");
  if (root) {
    // node10 resolution (old TypeScript, old bundlers) reads only these.
    if (pkg.manifest.main !== root.requireDefault) add("main", `should be ${root.requireDefault}`);
    if (pkg.manifest.module !== root.importDefault) add("module", `should be ${root.importDefault}`);
    if (pkg.manifest.types !== root.importTypes) add("types", `should be ${root.importTypes}`);
  }
  return problems;
}

function checkReadme(pkg: WorkspacePackage): MetadataProblem[] {
  const file = join(pkg.dir, "README.md");
  if (!existsSync(file)) return [{ field: "README.md", message: "missing: npm shows it as the package page", fixable: false }];
  const readme = readFileSync(file, "utf8");
  const problems: MetadataProblem[] = [];
  const escaped = pkg.name.replace(/[/-]/g, "\\$&");
  if (!new RegExp(`npm install (?:-D |--save-dev )?${escaped}\\b`).test(readme)) {
    problems.push({ field: "README.md", message: `should show \`npm install ${pkg.name}\``, fixable: false });
  }
  if (!new RegExp(`from ["']${escaped}["']`).test(readme)) {
    problems.push({ field: "README.md", message: `should have an example importing from "${pkg.name}"`, fixable: false });
  }
  return problems;
}

// npm and readers expect this order; fields not listed keep their place after these.
const ORDER = [
  "name", "version", "private", "description", "keywords", "license", "author", "homepage", "bugs", "repository",
  "type", "sideEffects", "main", "module", "types", "typesVersions", "bin", "exports", "files", "engines", "publishConfig",
  "scripts", "dependencies", "peerDependencies", "optionalDependencies", "devDependencies",
];

/** Sets every fixable field and writes package.json back in the usual field order. Returns the fields changed. */
export function applyMetadata(pkg: WorkspacePackage): string[] {
  const fixed = checkMetadata(pkg).filter((p) => p.fixable).map((p) => p.field);
  if (fixed.length === 0) return [];
  const merged: Manifest = { ...pkg.manifest, ...expectedMetadata(pkg) };
  const ordered: Record<string, unknown> = {};
  for (const key of ORDER) if (key in merged) ordered[key] = merged[key];
  for (const [key, value] of Object.entries(merged)) if (!(key in ordered)) ordered[key] = value;
  writeFileSync(join(pkg.dir, "package.json"), `${JSON.stringify(ordered, null, 2)}\n`);
  return fixed;
}
