import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import type { Document as RedoclyDocument } from "@redocly/openapi-core";
import type { OpenAPI3 } from "openapi-typescript";
import { renderClientTypes } from "./client-types.ts";
import { staleness, withHeader } from "./freshness.ts";
import {
  alreadyLintedConfig,
  formatProblem,
  type LintProblem,
  lintSpec,
  parseSpec,
  requireLibrary,
} from "./lint.ts";
import { type ApiEntry, buildApi } from "./operations.ts";
import { renderSandboxSpec } from "./sandbox-spec.ts";
import { readSpec, repoRoot, type SpecTarget } from "./specs.ts";

export { formatProblem };

/** A spec that cannot be turned into code; `problems` are already `file:line rule message`. */
export class SpecError extends Error {
  constructor(
    readonly target: SpecTarget,
    readonly problems: LintProblem[],
  ) {
    super(`${target.relFile} is not valid:\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`);
    this.name = "SpecError";
  }
}

export interface GeneratedSet {
  target: SpecTarget;
  hash: string;
  warnings: LintProblem[];
  operationCount: number;
  /** Absolute path → file content. */
  files: Map<string, string>;
}

// The CommonJS build: the ES module one imports TypeScript (9 MB of CommonJS) from
// ESM, which makes Node scan the whole file for its export names, about a second.
const loadOpenapiTS = () => requireLibrary<typeof import("openapi-typescript")>("openapi-typescript");

/** Lints the spec and renders every generated file in memory; writes nothing. */
export async function renderSpec(target: SpecTarget): Promise<GeneratedSet> {
  const { source, hash } = readSpec(target);
  const document = parse(target, source);
  const warnings = lintVerdict(target, await lintSpec(target.relFile, document));
  return { target, hash, warnings, ...(await renderFiles(target, hash, document.parsed)) };
}

function parse(target: SpecTarget, source: string): RedoclyDocument {
  const { problems, document } = parseSpec(target.relFile, target.file, source);
  if (!document) throw new SpecError(target, problems);
  return document;
}

/** Lint errors stop the spec; warnings are reported with its output. */
function lintVerdict(target: SpecTarget, problems: LintProblem[]): LintProblem[] {
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new SpecError(target, errors);
  return problems.filter((p) => p.severity === "warn");
}

interface RenderedFiles {
  operationCount: number;
  files: Map<string, string>;
}

async function renderFiles(target: SpecTarget, hash: string, doc: Record<string, unknown>): Promise<RenderedFiles> {
  let api: ApiEntry;
  let clientFile: string;
  // Rendered before openapi-typescript sees the document: its bundling step may
  // rewrite $refs in place.
  try {
    api = buildApi(doc, target.provider);
    clientFile = withHeader(target, hash, renderClientTypes(doc, api));
  } catch (e) {
    throw new SpecError(target, [
      { file: target.relFile, line: 1, column: 1, rule: "operations", message: (e as Error).message, severity: "error" },
    ]);
  }
  const operationsFile = withHeader(target, hash, renderOperations(api));
  const sandboxFile = withHeader(target, hash, renderSandboxSpec(doc));
  // The spec is linted on its own: openapi-typescript gets the same parse and a
  // rule-less config, so it neither parses nor lints it a second time.
  const { default: openapiTS, astToString } = loadOpenapiTS();
  const ast = await openapiTS(doc as unknown as OpenAPI3, {
    redocly: await alreadyLintedConfig(),
    silent: true,
    alphabetize: false,
  });
  const files = new Map<string, string>();
  files.set(join(target.outDir, "schema.ts"), withHeader(target, hash, `\n${astToString(ast)}`));
  files.set(join(target.outDir, "operations.ts"), operationsFile);
  files.set(join(target.outDir, "client.ts"), clientFile);
  files.set(target.sandboxFile, sandboxFile);
  return { operationCount: Object.keys(api.operations).length, files };
}

/**
 * JSON as TypeScript, with every object or array that occurs more than once written
 * once as a constant and referred to by name: a spec's tables repeat small schemas
 * (`{ "type": "string" }`) hundreds of times, and each repeat would otherwise cost
 * bytes in every bundle that carries the client.
 */
function sharedLiteral(value: unknown, prefix: string): { constants: string[]; expression: string } {
  const counts = new Map<string, number>();
  const count = (node: unknown) => {
    if (!node || typeof node !== "object") return;
    const key = JSON.stringify(node);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const child of Object.values(node)) count(child);
  };
  count(value);
  const names = new Map<string, string>();
  const constants: string[] = [];
  const key = (k: string) => (k === "__proto__" ? '["__proto__"]' : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? k : JSON.stringify(k));
  const emit = (node: unknown, indent: string, top: boolean): string => {
    if (!node || typeof node !== "object") return JSON.stringify(node);
    const canonical = JSON.stringify(node);
    const shared = !top && (counts.get(canonical) ?? 0) > 1 && canonical.length >= 12;
    if (shared && names.has(canonical)) return names.get(canonical) as string;
    const inner = shared ? "  " : `${indent}  `;
    const close = shared ? "" : indent;
    const entries = Array.isArray(node)
      ? node.map((item) => emit(item, inner, false))
      : Object.entries(node).map(([k, v]) => `${key(k)}: ${emit(v, inner, false)}`);
    const open = Array.isArray(node) ? "[" : "{";
    const end = Array.isArray(node) ? "]" : "}";
    const text =
      entries.length === 0
        ? `${open}${end}`
        : canonical.length < 60
          ? `${open}${Array.isArray(node) ? "" : " "}${entries.join(", ")}${Array.isArray(node) ? "" : " "}${end}`
          : `${open}\n${entries.map((e) => `${inner}${e}`).join(",\n")},\n${close}${end}`;
    if (!shared) return text;
    const name = `${prefix}${names.size + 1}`;
    names.set(canonical, name);
    constants.push(`const ${name} = ${text} as const;`);
    return name;
  };
  const expression = emit(value, "", true);
  return { constants, expression };
}

function renderOperations(api: ApiEntry): string {
  const ids = Object.keys(api.operations);
  const shared = sharedLiteral(api, "shared");
  // Runtime code only some specs need is imported only by their definitions, so a
  // provider without bulk operations does not carry the bulk code in its bundles.
  const bulk = Object.values(api.operations).some((op) => op.bulk);
  const expression = bulk ? shared.expression.replace(/\n\}$/, "\n  features: { bulk: bulkResults },\n}") : shared.expression;
  return [
    "",
    `import ${bulk ? "{ type ApiDefinition, bulkResults, type OperationDescriptor }" : "type { ApiDefinition, OperationDescriptor }"} from "@esign-users/runtime";`,
    "",
    ...(shared.constants.length > 0 ? ["// Parts the definition repeats, written once.", ...shared.constants, ""] : []),
    "/** Every operationId of the spec. */",
    `export type OperationId = ${ids.length > 0 ? ids.map((id) => JSON.stringify(id)).join(" | ") : "never"};`,
    "",
    "/**",
    " * What the spec says, as the runtime uses it: servers, security schemes, the",
    " * error body, and for every operation how to call it, what its input must",
    " * satisfy, how it pages and where its secrets are. The client's methods are",
    " * built from this.",
    " */",
    `export const api: ApiDefinition<Record<OperationId, OperationDescriptor>> = ${expression};`,
    "",
    "/** The operations of the spec, by operationId. */",
    "export const operations = api.operations;",
    "",
  ].join("\n");
}

/** One spec's outcome: the rendered set, or why it could not be rendered. */
export type Rendered = { target: SpecTarget; ms: number } & (
  | { set: GeneratedSet; error?: undefined }
  | { set?: undefined; error: unknown }
);

/**
 * Renders several specs, one after the other, on this thread. Linting them on a
 * helper thread meanwhile was measured slower on the 2-core machine (`npm run
 * generate -- --all`, five specs, 15 paired runs, medians: 2.17 s wall, 3.96 s CPU,
 * 250 MiB peak with the thread; 1.90 s, 2.70 s, 183 MiB without): starting a thread
 * that registers tsx and loads redocly again costs more than linting small specs.
 */
export async function renderAll(targets: SpecTarget[]): Promise<Rendered[]> {
  const results: Rendered[] = [];
  for (const target of targets) results.push(await timed(target, () => renderSpec(target)));
  return results;
}

async function timed(target: SpecTarget, work: () => Promise<GeneratedSet>): Promise<Rendered> {
  const started = performance.now();
  try {
    return { target, set: await work(), ms: performance.now() - started };
  } catch (error) {
    return { target, error, ms: performance.now() - started };
  }
}

/** Writes all files of a set, each through a temporary file, so a failure leaves no half-written file. */
export function writeSet(set: GeneratedSet): string[] {
  const written: string[] = [];
  for (const [file, content] of set.files) {
    if (existsSync(file) && readFileSync(file, "utf8") === content) continue;
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.tmp-${process.pid}`;
    writeFileSync(tmp, content);
    renameSync(tmp, file);
    written.push(file);
  }
  return written;
}

export interface CheckFinding {
  file: string;
  reason: "missing" | "stale" | "hand-edited" | "not generated";
}

/** Compares what the generator would write with what is on disk. */
export function compareSet(set: GeneratedSet, root = repoRoot): CheckFinding[] {
  const findings: CheckFinding[] = [];
  for (const [file, expected] of set.files) {
    const rel = relative(root, file);
    if (!existsSync(file)) {
      findings.push({ file: rel, reason: "missing" });
      continue;
    }
    const actual = readFileSync(file, "utf8");
    if (actual === expected) continue;
    findings.push({ file: rel, reason: staleness(actual, set.hash) ?? "stale" });
  }
  // Files a person added to a generated folder would be overwritten or orphaned; name them.
  const dir = set.target.outDir;
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isFile() && !set.files.has(full)) {
        findings.push({ file: relative(root, full), reason: "not generated" });
      }
    }
  }
  return findings;
}
