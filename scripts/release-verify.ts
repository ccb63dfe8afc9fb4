/**
 * Publishes every package to a throwaway npm registry on 127.0.0.1 and uses them
 * the way users will: fresh projects install each provider package on its own
 * (with the sandbox) and the facade, then run a smoke script against the sandbox
 * as ESM, as CommonJS and as TypeScript (moduleResolution nodenext and bundler).
 *
 *   npm run release:verify                  build, publish, install, smoke
 *   npm run release:verify -- --skip-build  use the dist/ folders as they are
 *   npm run release:verify -- --keep        keep the temporary folder to look at
 *   npm run release:verify -- --allow-unbuilt   exit 0 even if a package could not be built
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommand } from "./lib/cli.ts";
import { onInterrupt, run as runCommand, stopAll, stopAllOnSignals } from "./lib/processes.ts";
import { type LocalRegistry, startRegistry } from "./lib/registry.ts";
import { facadeBody, smokeCases } from "./lib/smoke-cases.ts";
import { createProject, runSmokes, type SmokeResult, type SmokeScript, startProjectSandbox, VARIANTS } from "./lib/smoke-project.ts";
import { listSpecs, repoRoot } from "./lib/specs.ts";
import { isBuilt, publishablePackages, topologicalOrder, type WorkspacePackage } from "./lib/workspace.ts";

const { values } = parseCommand({
  command: "npm run release:verify --",
  summary:
    "Rehearses a release (about 2–3 min): builds, publishes every package to a throwaway verdaccio registry on\n" +
    "127.0.0.1, installs them in fresh projects and runs a smoke script against the sandbox as ESM, CommonJS and TypeScript.",
  options: {
    "skip-build": { type: "boolean", description: "use the dist/ folders as they are" },
    keep: { type: "boolean", description: "keep the temporary folder to look at" },
    "allow-unbuilt": { type: "boolean", description: "exit 0 even if a package could not be built" },
  },
});

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (line: string) => console.log(line);
let passed = 0;
let failed = 0;
const skipped: string[] = [];

function report(label: string, results: SmokeResult[]): void {
  for (const r of results) {
    if (r.ok) passed++;
    else failed++;
    const first = r.output.split("\n")[0] ?? "";
    log(`    ${r.ok ? "✓" : "✗"} ${label} ${r.variant.padEnd(11)} ${r.ok ? first : ""} (${r.ms} ms)`);
    if (!r.ok) log(r.output.split("\n").slice(0, 25).map((l) => `        ${l}`).join("\n"));
  }
}

async function build(): Promise<void> {
  log("== build (turbo run build)");
  const turbo = join(repoRoot, "node_modules", "turbo", "bin", "turbo");
  const run = await runCommand(process.execPath, [turbo, "run", "build", "--continue", "--output-logs=errors-only"], {
    cwd: repoRoot,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
    inherit: true,
    timeoutMs: 900_000,
  });
  if (!run.ok) log("   some packages did not build: they are skipped below");
}

async function publish(registry: LocalRegistry, pkg: WorkspacePackage): Promise<void> {
  const run = await runCommand(
    "npm",
    // Provenance needs a CI identity; this registry is only a rehearsal.
    ["publish", "--userconfig", registry.npmrc, "--registry", registry.url, "--provenance=false", "--access", "public", "--tag", "latest"],
    { cwd: pkg.dir },
  );
  if (!run.ok) throw new Error(`npm publish ${pkg.name} failed:\n${run.out}`);
  const files = /total files:\s*(\d+)/.exec(run.out)?.[1] ?? "?";
  const size = /package size:\s*([\d.]+\s*\w+)/.exec(run.out)?.[1] ?? "?";
  log(`   published ${pkg.name}@${pkg.version} (${files} files, ${size})`);
}

/** How a project installs one of our packages: scoped ones by name, the unscoped facade by its tarball URL. */
function installSpec(registry: LocalRegistry, pkg: WorkspacePackage): string {
  if (pkg.name.startsWith("@")) return `${pkg.name}@${pkg.version}`;
  const base = pkg.name.split("/").pop();
  return `${registry.url}${pkg.name}/-/${base}-${pkg.version}.tgz`;
}

async function smokeProject(
  registry: LocalRegistry,
  projectsDir: string,
  npmrc: string,
  tsc: string,
  title: string,
  install: WorkspacePackage[],
  scripts: { provider: string; script: SmokeScript }[],
): Promise<void> {
  log(`\n== ${title}`);
  const t = performance.now();
  const project = await createProject(join(projectsDir, title.replace(/[^a-z0-9]+/gi, "-")), install.map((p) => installSpec(registry, p)), npmrc);
  log(`   npm install ${install.map((p) => p.name).join(" ")} (${Math.round(performance.now() - t)} ms):`);
  for (const i of project.installed) {
    const local = i.resolved.startsWith(registry.url);
    log(`     ${i.name}@${i.version} ${local ? "from the local registry" : `from ${i.resolved} (NOT the local registry)`}`);
    if (!local) failed++;
  }
  const sandboxes = [];
  try {
    const runs = [];
    for (const { provider, script } of scripts) {
      const sb = await startProjectSandbox(project.dir, provider);
      sandboxes.push(sb);
      log(`   sandbox ${provider} at ${sb.sandbox.url}`);
      runs.push({ script, sandbox: sb.sandbox });
    }
    for (const [label, results] of await runSmokes(project.dir, runs, tsc)) report(label, results);
  } finally {
    await Promise.all(sandboxes.map((sb) => sb.stop()));
  }
}

async function main(): Promise<void> {
  stopAllOnSignals();
  if (!values["skip-build"]) await build();
  const all = topologicalOrder(publishablePackages());
  const built = all.filter(isBuilt);
  for (const p of all.filter((p) => !isBuilt(p))) skipped.push(`${p.name}: not built (dist/ missing)`);

  const work = mkdtempSync(join(tmpdir(), "esign-release-verify-"));
  if (!values.keep) onInterrupt(() => rmSync(work, { recursive: true, force: true }));
  log(`\n== registry (verdaccio, storage in ${work})`);
  try {
    const registry = await startRegistry(join(work, "registry"));
    log(`   listening on ${registry.url}`);
    for (const pkg of built) await publish(registry, pkg);
    const published = new Set(built.map((p) => p.name));

    // Our scope from the local registry, everything else (openapi-fetch, ajv, typescript) from the usual one.
    const configured = (await runCommand("npm", ["config", "get", "registry"], { cwd: work })).out;
    const publicRegistry = /^https?:\/\/\S+$/m.exec(configured)?.[0] ?? "https://registry.npmjs.org/";
    const host = new URL(registry.url).host;
    const npmrc = `registry=${publicRegistry}\n@esign-users:registry=${registry.url}\n//${host}/:_authToken=release-verify-dummy-token\n`;

    // One TypeScript for every project, in the folder above them: what a user's project would have.
    const projectsDir = join(work, "projects");
    mkdirSync(projectsDir, { recursive: true });
    writeFileSync(join(projectsDir, "package.json"), '{ "private": true }\n');
    const versionOf = (name: string) =>
      (JSON.parse(readFileSync(join(repoRoot, "node_modules", name, "package.json"), "utf8")) as { version: string }).version;
    const tools = await runCommand(
      "npm",
      ["install", "--no-audit", "--no-fund", `typescript@${versionOf("typescript")}`, `@types/node@${versionOf("@types/node")}`],
      { cwd: projectsDir },
    );
    if (!tools.ok) throw new Error(`installing typescript failed:\n${tools.out}`);
    const tsc = join(projectsDir, "node_modules", "typescript", "bin", "tsc");
    log(`   typescript@${versionOf("typescript")} for the TypeScript smokes`);

    const sandboxPkg = all.find((p) => p.manifest.bin && "esign-users-sandbox" in (p.manifest.bin as object));
    if (!sandboxPkg || !published.has(sandboxPkg.name)) throw new Error("@esign-users/sandbox was not published: nothing to smoke against");

    // Providers: the packages specs/ generates code into.
    const providerFolders = [...new Set(listSpecs().map((s) => s.provider))];
    const providers = all.filter((p) => providerFolders.includes(p.folder));
    // Derived from each provider's spec: a provider without a read to call fails here, by name.
    const cases = smokeCases();
    for (const pkg of providers) {
      const smoke = cases[pkg.folder]!;
      if (!published.has(pkg.name)) continue;
      await smokeProject(registry, projectsDir, npmrc, tsc, pkg.name, [pkg, sandboxPkg], [
        { provider: smoke.sandbox, script: { label: pkg.folder, pkg: pkg.name, factory: smoke.factory, options: smoke.options, body: smoke.body } },
      ]);
    }
    for (const p of providers.filter((p) => !published.has(p.name))) {
      log(`\n- ${p.name}: SKIPPED, not built yet (its smoke runs once \`npm run build\` builds it)`);
    }

    // Facades: published packages that depend on a provider package.
    const providerNames = new Set(providers.map((p) => p.name));
    const facades = all.filter((p) => !providerNames.has(p.name) && Object.keys(p.manifest.dependencies ?? {}).some((d) => providerNames.has(d)));
    for (const facade of facades) {
      const internal = Object.keys(facade.manifest.dependencies ?? {}).filter((d) => all.some((p) => p.name === d));
      const missing = internal.filter((d) => !published.has(d));
      if (!published.has(facade.name) || missing.length > 0) {
        const why = !published.has(facade.name) ? "not built" : `depends on unpublished ${missing.join(", ")}`;
        skipped.push(`${facade.name}: ${why}`);
        log(`\n- ${facade.name}: SKIPPED, ${why}`);
        continue;
      }
      const scripts = providers
        .filter((p) => internal.includes(p.name))
        .map((p) => {
          const smoke = cases[p.folder]!;
          return {
            provider: smoke.sandbox,
            script: {
              label: `${facade.folder}/${smoke.facadeProvider}`,
              pkg: facade.name,
              factory: "createUserDirectory",
              options: `{ provider: "${smoke.facadeProvider}", ...${smoke.options} }`,
              body: facadeBody,
            },
          };
        });
      await smokeProject(registry, projectsDir, npmrc, tsc, facade.name, [facade, sandboxPkg], scripts);
    }
    await registry.close();
  } finally {
    await stopAll();
    if (values.keep) log(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

main()
  .catch((error: unknown) => {
    failed++;
    console.error(`\nrelease:verify: ${(error as Error).message}`);
  })
  .finally(() => {
    log(`\n== release:verify: ${passed} smoke runs passed, ${failed} failed, ${skipped.length} skipped, in ${elapsed()} (${VARIANTS.length} variants each)`);
    for (const s of skipped) log(`   skipped ${s}`);
    const ok = failed === 0 && (skipped.length === 0 || values["allow-unbuilt"]);
    process.exit(ok ? 0 : 1);
  });
