/**
 * Regenerates the provider packages' code from specs/*.yaml.
 *
 *   npm run generate                 regenerate the specs whose hash changed
 *   npm run generate -- --all        regenerate every spec
 *   npm run generate -- --check      exit 1 naming every stale, missing or hand-edited file
 *   npm run generate -- --watch      regenerate a spec as soon as it is saved
 *   npm run generate -- signable     only the named spec(s)
 *   npm run generate -- --help       all of the above
 */
import { existsSync, readFileSync, watch } from "node:fs";
import { relative, resolve } from "node:path";
import { parseCommand, usageError } from "./lib/cli.ts";
import { isUpToDate } from "./lib/freshness.ts";
import type { GeneratedSet } from "./lib/generate.ts";
import { listSpecs, repoRoot, type SpecTarget } from "./lib/specs.ts";

// The generator's dependencies (TypeScript, openapi-typescript, redocly) take most of
// a second to load; a run with nothing to regenerate never loads them.
const loadGenerator = () => import("./lib/generate.ts");

const { values, positionals: names } = parseCommand({
  command: "npm run generate --",
  summary: "Regenerates the provider packages' code (types, operations table, sandbox copy) from specs/*.yaml,\nand says which operations and fields were added, removed or changed.",
  positionals: "[spec ...]",
  options: {
    all: { type: "boolean", description: "regenerate every spec, not only those whose hash changed" },
    check: { type: "boolean", description: "write nothing; exit 1 naming every stale, missing or hand-edited generated file" },
    watch: { type: "boolean", description: "then keep regenerating each spec as soon as it is saved (Ctrl-C stops)" },
    quiet: { type: "boolean", description: "print only problems" },
    // Another checkout: the generator's own tests run on a temporary copy.
    root: { type: "string", description: "the repository to work on", hidden: true },
  },
  examples: ["npm run generate                 the specs whose hash changed", "npm run generate -- signable     only specs/signable.yaml"],
});
const root = values.root ? resolve(values.root) : repoRoot;
const quiet = values.quiet;
const log = (line: string) => {
  if (!quiet) console.log(line);
};

function selectedSpecs(): SpecTarget[] {
  const all = listSpecs(root);
  if (names.length === 0) return all;
  const unknown = names.filter((n) => !all.some((t) => t.name === n));
  if (unknown.length > 0) {
    usageError("npm run generate --", `no spec named ${unknown.join(", ")}; have ${all.map((t) => t.name).join(", ")}`);
  }
  return all.filter((t) => names.includes(t.name));
}

async function reportFailure(e: unknown): Promise<void> {
  const { SpecError, formatProblem } = await loadGenerator();
  if (e instanceof SpecError) {
    console.error(`✗ ${e.target.relFile}: not regenerated, the previous generated code is untouched`);
    for (const p of e.problems) console.error(`  ${formatProblem(p)}`);
  } else {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  }
}

async function printWarnings(set: GeneratedSet): Promise<void> {
  const { formatProblem } = await loadGenerator();
  for (const w of set.warnings) log(`  warning ${formatProblem(w)}`);
}

/** Renders the specs, then writes them and reports on each, in order. */
async function generate(targets: SpecTarget[]): Promise<boolean> {
  const { renderAll, writeSet } = await loadGenerator();
  // Kept before anything is written: the sandbox's copy of the spec the code was generated from until now.
  const previous = new Map(targets.map((t) => [t, existsSync(t.sandboxFile) ? readFileSync(t.sandboxFile, "utf8") : undefined] as const));
  let ok = true;
  for (const { target, set, error, ms: renderMs } of await renderAll(targets)) {
    if (!set) {
      await reportFailure(error);
      ok = false;
      continue;
    }
    const started = performance.now();
    const written = writeSet(set);
    const ms = Math.round(renderMs + performance.now() - started);
    const files = written.map((f) => relative(root, f));
    log(
      files.length > 0
        ? `✓ ${target.relFile} → ${set.operationCount} operations, ${files.length} file(s) changed in ${ms} ms:\n${files.map((f) => `    ${f}`).join("\n")}`
        : `✓ ${target.relFile} → ${set.operationCount} operations, output unchanged (${ms} ms)`,
    );
    if (files.length > 0) {
      // Loaded only when something changed: a run that rewrites nothing does not pay for it.
      const { describeRegeneration } = await import("./lib/api-changes.ts");
      for (const line of describeRegeneration(target, previous.get(target))) log(`    ${line}`);
    }
    await printWarnings(set);
  }
  return ok;
}

async function check(targets: SpecTarget[]): Promise<number> {
  let failures = 0;
  const { compareSet, renderAll } = await loadGenerator();
  for (const { set, error } of await renderAll(targets)) {
    if (!set) {
      await reportFailure(error);
      failures += 1;
      continue;
    }
    const findings = compareSet(set, root);
    for (const f of findings) console.error(`✗ ${f.file}: ${f.reason}`);
    failures += findings.length;
  }
  if (failures > 0) {
    console.error(`generate --check: ${failures} problem(s). Run \`npm run generate\` and commit the result.`);
    return 1;
  }
  log(`generate --check: generated code of ${targets.length} spec(s) is up to date`);
  return 0;
}

async function runOnce(targets: SpecTarget[], all: boolean): Promise<number> {
  const todo = all ? targets : targets.filter((t) => !isUpToDate(t));
  if (todo.length === 0) {
    log(`generate: ${targets.length} spec(s) unchanged, nothing to do`);
    return 0;
  }
  return (await generate(todo)) ? 0 : 1;
}

function watchSpecs(targets: SpecTarget[]): void {
  const byFile = new Map(targets.map((t) => [t.file, t]));
  const timers = new Map<string, NodeJS.Timeout>();
  const dir = `${root}/specs`;
  log(`generate --watch: watching ${targets.length} spec(s) in specs/ (Ctrl-C to stop)`);
  watch(dir, (_event, name) => {
    const target = name ? byFile.get(`${dir}/${name}`) : undefined;
    if (!target) return;
    // Editors save in several writes; wait for them to settle before regenerating.
    clearTimeout(timers.get(target.file));
    timers.set(
      target.file,
      setTimeout(() => {
        if (!isUpToDate(target)) void generate([target]);
      }, 150),
    );
  });
}

const targets = selectedSpecs();
if (values.check) {
  process.exitCode = await check(targets);
} else {
  process.exitCode = await runOnce(targets, values.all);
  if (values.watch) watchSpecs(targets);
}
