import {
  type Config,
  createConfig,
  getLineColLocation,
  lintFromString,
  type NormalizedProblem,
} from "@redocly/openapi-core";
import { LineCounter, parseDocument } from "yaml";

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  severity: "error" | "warn";
}

let configPromise: Promise<Config> | undefined;

/**
 * Redocly's recommended rules, tightened where a mistake would reach users: every
 * operation needs an operationId (methods are named after them) and an error
 * response (typed errors are built from them).
 */
export function lintConfig(): Promise<Config> {
  configPromise ??= createConfig({
    extends: ["recommended"],
    rules: {
      "operation-operationId": "error",
      "operation-operationId-unique": "error",
      "operation-4xx-response": "error",
      "no-unused-components": "warn",
      "info-license-url": "off",
      "info-license-strict": "off",
    },
  });
  return configPromise;
}

export function formatProblem(p: LintProblem): string {
  return `${p.file}:${p.line} ${p.rule} ${p.message}`;
}

/** YAML syntax errors first: redocly reports them without a usable line. */
export function yamlSyntaxProblems(relFile: string, source: string): LintProblem[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false, uniqueKeys: true });
  return doc.errors.map((e) => ({
    file: relFile,
    line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line,
    column: e.linePos?.[0]?.col ?? 1,
    rule: "yaml-syntax",
    message: e.message.split("\n")[0] ?? e.message,
    severity: "error" as const,
  }));
}

export async function lintSpec(relFile: string, absFile: string, source: string): Promise<LintProblem[]> {
  const syntax = yamlSyntaxProblems(relFile, source);
  if (syntax.length > 0) return syntax;
  const problems = await lintFromString({ source, absoluteRef: absFile, config: await lintConfig() });
  return problems
    .filter((p) => p.severity === "error" || p.severity === "warn")
    .map((p) => toLintProblem(relFile, p));
}

function toLintProblem(relFile: string, p: NormalizedProblem): LintProblem {
  const where = p.location[0];
  let line = 1;
  let column = 1;
  if (where) {
    try {
      const lc = getLineColLocation(where);
      line = lc.start.line;
      column = lc.start.col;
    } catch {
      // A problem on the document root has no node to point at; line 1 is honest.
    }
  }
  return {
    file: relFile,
    line,
    column,
    rule: p.ruleId,
    message: p.message,
    severity: p.severity === "error" ? "error" : "warn",
  };
}
