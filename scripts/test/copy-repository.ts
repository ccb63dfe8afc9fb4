import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { repoRoot } from "../lib/specs.ts";

/** The repository's files (tracked and new, not ignored), copied; node_modules linked, workspace packages pointing into the copy. */
export function copyRepository(): string {
  const target = mkdtempSync(join(tmpdir(), "esign-spec-change-"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: repoRoot, encoding: "utf8" })
    .split("\0")
    .filter((f) => f !== "" && existsSync(join(repoRoot, f)));
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(target, file));
  }
  const modules = join(target, "node_modules");
  mkdirSync(join(modules, "@esign-users"), { recursive: true });
  for (const entry of readdirSync(join(repoRoot, "node_modules"))) {
    if (entry === "@esign-users" || entry === "esign-users" || entry === ".bin") continue;
    symlinkSync(join(repoRoot, "node_modules", entry), join(modules, entry));
  }
  for (const folder of readdirSync(join(target, "packages"))) {
    const manifest = join(target, "packages", folder, "package.json");
    if (!existsSync(manifest)) continue;
    // A package's own node_modules (versions that could not be hoisted).
    const own = join(repoRoot, "packages", folder, "node_modules");
    if (existsSync(own)) symlinkSync(own, join(target, "packages", folder, "node_modules"));
    const name = (JSON.parse(readFileSync(manifest, "utf8")) as { name: string }).name;
    symlinkSync(join(target, "packages", folder), join(modules, name));
  }
  return target;
}

/** Links a package added to the copy into its node_modules, as `npm install` would. */
export function linkPackage(copy: string, folder: string): void {
  const name = (JSON.parse(readFileSync(join(copy, "packages", folder, "package.json"), "utf8")) as { name: string }).name;
  symlinkSync(join(copy, "packages", folder), join(copy, "node_modules", name));
}
