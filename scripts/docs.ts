/**
 * Builds the documentation site into docs-site/ (git-ignored), offline:
 *   docs-site/api/           API reference of every published package (typedoc), each
 *                            package's page opening with its README's introduction and examples
 *   docs-site/specs/*.html   one readable page per OpenAPI spec (redocly build-docs)
 *   docs-site/index.html     links to both
 *
 *   npm run docs                       build the packages first (cached), then the site
 *   npm run docs -- signable           only these packages (and their specs)
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { buildWithProgress } from "./lib/build-progress.ts";
import { parseCommand, usageError } from "./lib/cli.ts";
import { readmeGuide } from "./lib/readme-examples.ts";
import { listSpecs, repoRoot } from "./lib/specs.ts";
import { exportEntries, publishablePackages, sourceOf, type WorkspacePackage } from "./lib/workspace.ts";

const COMMAND = "npm run docs --";
const { values, positionals } = parseCommand({
  command: COMMAND,
  summary:
    "Builds the packages (turbo, cached), then the documentation site, offline: the API reference of every\n" +
    "published package (typedoc; each package's page opens with its README's introduction and examples) and\n" +
    "one page per OpenAPI spec (redocly). Prints the path of the index page to open.",
  positionals: "[package folder ...]",
  options: {
    out: { type: "string", value: "<dir>", default: "docs-site", description: "where to write the site" },
    "skip-build": { type: "boolean", description: "use the dist/ folders as they are (typedoc reads their types)" },
  },
});

const out = resolve(repoRoot, values.out);
const cache = join(repoRoot, "node_modules", ".cache", `esign-docs-${process.pid}`);
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
  // With one package that folder is its src/, so the names are taken from there.
  const common = packages.length === 1 ? join((packages[0] as WorkspacePackage).dir, "src") : join(repoRoot, "packages");
  const names = Object.fromEntries(
    entries.map((e) => [relative(common, e.file).replace(/\.ts$/, "").replace(/\/index$/, ""), e.specifier]),
  );
  // Each package's main module opens with its README's introduction and examples.
  const readmes = Object.fromEntries(
    packages
      .filter((p) => existsSync(join(p.dir, "README.md")))
      .map((p) => {
        const file = join(p.dir, "README.md");
        return [p.name, { file, text: readmeGuide(readFileSync(file, "utf8")) }];
      }),
  );
  await run(
    [
      typedoc,
      "--tsconfig", tsconfig,
      ...entries.flatMap((e) => ["--entryPoints", e.file]),
      "--plugin", join(repoRoot, "scripts", "lib", "typedoc-package-names.mjs"),
      "--name", packages.length === 1 ? (packages[0] as WorkspacePackage).name : "esign-users",
      "--readme", "none",
      "--excludeInternal",
      "--logLevel", "Error",
      "--out", join(out, "api"),
    ],
    { ESIGN_DOCS_MODULE_NAMES: JSON.stringify(names), ESIGN_DOCS_READMES: JSON.stringify(readmes) },
  );
}

async function main(): Promise<void> {
  const all = publishablePackages();
  const unknown = positionals.filter((n) => !all.some((p) => p.folder === n));
  if (unknown.length > 0) usageError(COMMAND, `no package folder named ${unknown.join(", ")}; have ${all.map((p) => p.folder).join(", ")}`);
  const packages = positionals.length > 0 ? all.filter((p) => positionals.includes(p.folder)) : all;
  const specs = listSpecs().filter((s) => positionals.length === 0 || positionals.includes(s.provider));

  // typedoc resolves imports between packages through their built types: a stale or
  // missing dist/ breaks it (TS2344), so the build comes first.
  if (!values["skip-build"]) {
    console.log("docs: building the packages first (typedoc reads their types)");
    if (!(await buildWithProgress({ root: repoRoot }))) throw new Error("docs: the build failed (see above)");
  }
  console.log(`docs: API reference of ${packages.length} package(s) and ${specs.length} spec page(s) (about a minute)…`);
  rmSync(out, { recursive: true, force: true });
  rmSync(cache, { recursive: true, force: true });
  mkdirSync(join(out, "specs"), { recursive: true });
  mkdirSync(cache, { recursive: true });

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
  rmSync(cache, { recursive: true, force: true });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const index = join(out, "index.html");
  const shown = relative(process.cwd(), index);
  console.log(`docs: written in ${seconds} s; open ${shown.startsWith("..") ? index : shown}`);
  console.log(`      ${pathToFileURL(index).href}`);
}

main().catch((error: unknown) => {
  rmSync(cache, { recursive: true, force: true });
  console.error((error as Error).message);
  process.exit(1);
});
