import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { formatProblem, type LintProblem, lintConfig, lintSpec } from "./lint.ts";

export { formatProblem };
import { buildOperationsTable, stripDocumentation } from "./operations.ts";
import { header, headerHash } from "./freshness.ts";
import { readSpec, repoRoot, type SpecTarget } from "./specs.ts";

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

/** Lints the spec and renders every generated file in memory; writes nothing. */
export async function renderSpec(target: SpecTarget): Promise<GeneratedSet> {
  const { source, hash } = readSpec(target);
  const problems = await lintSpec(target.relFile, target.file, source);
  const errors = problems.filter((p) => p.severity === "error");
  if (errors.length > 0) throw new SpecError(target, errors);
  const doc = parseYaml(source) as Record<string, unknown>;

  let table: ReturnType<typeof buildOperationsTable>;
  try {
    table = buildOperationsTable(doc);
  } catch (e) {
    throw new SpecError(target, [
      { file: target.relFile, line: 1, column: 1, rule: "operations", message: (e as Error).message, severity: "error" },
    ]);
  }
  // openapi-typescript and its TypeScript dependency are slow to load: only pay for
  // them when something is really regenerated.
  const { default: openapiTS, astToString } = await import("openapi-typescript");
  const ast = await openapiTS(source, { redocly: await lintConfig(), silent: true, alphabetize: false });
  const head = header(target, hash);
  const files = new Map<string, string>();
  files.set(join(target.outDir, "schema.ts"), `${head}\n${astToString(ast)}`);
  files.set(join(target.outDir, "operations.ts"), renderOperations(head, table));
  files.set(target.sandboxFile, renderSandboxSpec(head, doc));
  return {
    target,
    hash,
    warnings: problems.filter((p) => p.severity === "warn"),
    operationCount: Object.keys(table).length,
    files,
  };
}

function renderOperations(head: string, table: ReturnType<typeof buildOperationsTable>): string {
  return [
    head,
    "/** Every operation of the spec: how to call it. The client's methods are built from this table. */",
    `export const operations = ${JSON.stringify(table, null, 2)} as const;`,
    "",
    "export type OperationId = keyof typeof operations;",
    "",
  ].join("\n");
}

function renderSandboxSpec(head: string, doc: Record<string, unknown>): string {
  return [
    head,
    "/** The spec without its prose: what the sandbox validates requests against. */",
    `const spec: Record<string, unknown> = ${JSON.stringify(stripDocumentation(doc))};`,
    "",
    "export default spec;",
    "",
  ].join("\n");
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
    findings.push({ file: rel, reason: headerHash(actual) === set.hash ? "hand-edited" : "stale" });
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
