import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { repoRoot } from "./specs.ts";
import { exportEntries, publishablePackages, type WorkspacePackage } from "./workspace.ts";

/** Where the budgets live: check name → size-limit limit ("6.4 kB", 1000-byte kB). */
export const BUDGETS_FILE = join(repoRoot, ".size-limit.budgets.json");

export interface SizeCheck {
  name: string;
  path: string;
  /** Dependencies left out, so the check measures the package's own code. */
  ignore?: string[];
  limit?: string;
  gzip: true;
}

export function readBudgets(): Record<string, string> {
  return existsSync(BUDGETS_FILE) ? (JSON.parse(readFileSync(BUDGETS_FILE, "utf8")) as Record<string, string>) : {};
}

// The sandbox is a Node.js test tool with a CLI: its size costs no user a download.
const isBrowserFacing = (pkg: WorkspacePackage) => pkg.manifest.bin === undefined;

/**
 * One check per entry point of every published, browser-facing package: its own
 * code, minified and gzipped, dependencies left out (each is measured on its own).
 * The facade — the package depending on the others — is also measured whole, as a
 * browser app would ship it.
 */
export function sizeChecks(): Omit<SizeCheck, "limit">[] {
  const packages = publishablePackages().filter(isBrowserFacing);
  const names = new Set(packages.map((p) => p.name));
  return packages.flatMap((pkg) => {
    const deps = Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies });
    const entries = exportEntries(pkg).filter((e) => e.importDefault);
    const own = entries.map((e) => ({
      name: `${e.specifier} (own code)`,
      path: relative(repoRoot, join(pkg.dir, e.importDefault as string)),
      ignore: deps,
      gzip: true as const,
    }));
    const isFacade = deps.filter((d) => names.has(d)).length > 1;
    const whole = isFacade
      ? entries.map((e) => ({
          name: `${e.specifier} (with dependencies)`,
          path: relative(repoRoot, join(pkg.dir, e.importDefault as string)),
          gzip: true as const,
        }))
      : [];
    return [...own, ...whole];
  });
}

/**
 * The checks with their budgets. A check without a budget fails, so a new package
 * cannot slip in unmeasured: `npm run size:budgets` proposes one. `SIZE_LIMIT_MEASURE=1`
 * (set by that script) measures without budgets.
 */
export function sizeLimitConfig(): SizeCheck[] {
  const budgets = readBudgets();
  const measuring = process.env.SIZE_LIMIT_MEASURE === "1";
  const checks = sizeChecks();
  const missing = checks.filter((c) => !budgets[c.name]).map((c) => c.name);
  if (!measuring && missing.length > 0) {
    throw new Error(
      `No size budget for ${missing.join(", ")}: run \`npm run size:budgets\` (it measures and writes .size-limit.budgets.json with 15 % headroom).`,
    );
  }
  return checks.map((c) => (measuring ? c : { ...c, limit: budgets[c.name] }));
}
