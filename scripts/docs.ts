/**
 * Builds the documentation site into docs-site/ (git-ignored), offline:
 *   docs-site/api/           API reference of every published package (typedoc)
 *   docs-site/specs/*.html   one readable page per OpenAPI spec (redocly build-docs)
 *   docs-site/index.html     links to both
 *
 *   npm run docs
 */
import { spawn } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { listSpecs, repoRoot } from "./lib/specs.ts";
import { exportEntries, publishablePackages, sourceOf, type WorkspacePackage } from "./lib/workspace.ts";

const out = join(repoRoot, "docs-site");
const cache = join(repoRoot, "node_modules", ".cache", "esign-docs");
const started = performance.now();
const env = { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true", NO_COLOR: "1" };

function run(args: string[], extraEnv: Record<string, string> = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...env, ...extraEnv }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${args.slice(0, 3).join(" ")} … failed:\n${output.replace(/^.*[║╔╚].*$\n?/gm, "").trim()}`));
    });
  });
}

/** At most `limit` at a time, for a machine of two cores. */
async function inBatches<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: limit }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
  }));
}

const typedoc = join(repoRoot, "node_modules", "typedoc", "bin", "typedoc");
const redocly = join(repoRoot, "node_modules", "@redocly", "cli", "bin", "cli.js");

/**
 * One TypeScript program over every package's sources (tests left out), one
 * module per export entry, named by its import path.
 */
async function apiReference(packages: WorkspacePackage[]): Promise<void> {
  const entries = packages.flatMap((pkg) =>
    exportEntries(pkg).map((e) => ({ specifier: e.specifier, file: sourceOf(pkg, e.importDefault ?? "") })),
  );
  // Inside node_modules/, so TypeScript finds @types/node above it.
  const tsconfig = join(cache, "tsconfig.json");
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(repoRoot, "tsconfig.base.json"),
      compilerOptions: { noEmit: true },
      include: packages.map((p) => join(p.dir, "src")),
    }),
  );
  // typedoc's own module names: the entry's path from the common folder, without extension or /index.
  const names = Object.fromEntries(
    entries.map((e) => [relative(join(repoRoot, "packages"), e.file).replace(/\.ts$/, "").replace(/\/index$/, ""), e.specifier]),
  );
  await run(
    [
      typedoc,
      "--tsconfig", tsconfig,
      ...entries.flatMap((e) => ["--entryPoints", e.file]),
      "--plugin", join(repoRoot, "scripts", "lib", "typedoc-package-names.mjs"),
      "--name", "esign-users",
      "--readme", "none",
      "--excludeInternal",
      "--logLevel", "Error",
      "--out", join(out, "api"),
    ],
    { ESIGN_DOCS_MODULE_NAMES: JSON.stringify(names) },
  );
}

async function main(): Promise<void> {
  rmSync(out, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(join(out, "specs"), { recursive: true });
  mkdirSync(cache, { recursive: true });
  const packages = publishablePackages();
  const specs = listSpecs();

  await Promise.all([
    apiReference(packages),
    // Inline bundle: the pages work without reaching Redocly's CDN.
    inBatches(specs, 2, (s) =>
      run([redocly, "build-docs", s.file, "--inlineBundle", "--title", `${s.name} — esign-users`, "-o", join(out, "specs", `${s.name}.html`)]),
    ),
  ]);

  const links = specs.map((s) => `<li><a href="specs/${s.name}.html">${s.name}</a> <small>(${s.relFile})</small></li>`);
  writeFileSync(
    join(out, "index.html"),
    `<!doctype html><meta charset="utf-8"><title>esign-users documentation</title>
<h1>esign-users documentation</h1>
<p><a href="api/index.html">API reference</a> of ${packages.map((p) => `<code>${p.name}</code>`).join(", ")}.</p>
<h2>Provider APIs (from our OpenAPI specs)</h2>
<ul>${links.join("")}</ul>
`,
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`docs: API reference of ${packages.length} packages and ${specs.length} spec pages in ${relative(repoRoot, out)}/ (${seconds} s)`);
}

main().catch((error: unknown) => {
  console.error((error as Error).message);
  process.exit(1);
});
