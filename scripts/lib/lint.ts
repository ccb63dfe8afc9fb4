import { createRequire } from "node:module";
import type { Config, Document as RedoclyDocument, NormalizedProblem } from "@redocly/openapi-core";

export interface LintProblem {
  file: string;
  line: number;
  column: number;
  rule: string;
  message: string;
  severity: "error" | "warn";
}

export function formatProblem(p: LintProblem): string {
  return `${p.file}:${p.line} ${p.rule} ${p.message}`;
}

// Loaded on first use, not at import: a run that only reports problems should not
// wait half a second for them.
const redocly = () => requireLibrary<typeof import("@redocly/openapi-core")>("@redocly/openapi-core");
const yaml = () => requireLibrary<typeof import("yaml")>("yaml");

const requireCjs = createRequire(import.meta.url);

/**
 * Loads a library as CommonJS, with source-map support off while it loads. Imported
 * as ES modules from a process running the tsx loader, each of a library's files is
 * resolved through the loader thread; and the source-map support tsx turns on (for
 * our TypeScript) makes Node read and parse every library file's `.map` as it loads.
 * Together that was a third of a second of every regeneration; a library's stack
 * traces do not need its maps.
 */
export function requireLibrary<T>(id: string): T {
  const sourceMaps = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(false);
  try {
    return requireCjs(id) as T;
  } finally {
    process.setSourceMapsEnabled(sourceMaps);
  }
}

let configPromise: Promise<Config> | undefined;

/**
 * Redocly's recommended rules, tightened where a mistake would reach users: every
 * operation needs an operationId (methods are named after them) and an error
 * response (typed errors are built from them).
 */
export function lintConfig(): Promise<Config> {
  configPromise ??= redocly().createConfig({
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

let bareConfigPromise: Promise<Config> | undefined;

/**
 * No rules at all, for openapi-typescript's own redocly pass over a spec that
 * `lintSpec` has already linted: running the example-validating rules a second time
 * was the largest single cost of a regeneration.
 */
export function alreadyLintedConfig(): Promise<Config> {
  bareConfigPromise ??= redocly().createConfig({ extends: [], rules: {} });
  return bareConfigPromise;
}

export interface ParsedSpec {
  /** YAML syntax errors; empty when the spec parsed. */
  problems: LintProblem[];
  /** Redocly's parse, which openapi-typescript's types are built from too. */
  document?: RedoclyDocument;
}

/**
 * Parses the spec once, for everything: the linter, the operations table, the sandbox
 * copy and openapi-typescript all read this one value.
 */
export function parseSpec(relFile: string, absFile: string, source: string): ParsedSpec {
  const { makeDocumentFromString, YamlParseError } = redocly();
  try {
    return { problems: [], document: makeDocumentFromString(source, absFile) };
  } catch (e) {
    if (!(e instanceof YamlParseError)) throw e;
    // The `yaml` library says more precisely where and what is wrong; it is only
    // loaded for a spec that does not parse.
    const precise = yamlSyntaxProblems(relFile, source);
    if (precise.length > 0) return { problems: precise };
    return {
      problems: [
        {
          file: relFile,
          line: Number.isFinite(e.line) ? e.line : 1,
          column: Number.isFinite(e.col) ? e.col : 1,
          rule: "yaml-syntax",
          message: e.message.replace(/ in ".*" \(\d+:\d+\)$/, ""),
          severity: "error",
        },
      ],
    };
  }
}

function yamlSyntaxProblems(relFile: string, source: string): LintProblem[] {
  const { LineCounter, parseDocument } = yaml();
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

/** Lints a parsed spec with `lintConfig`. */
export async function lintSpec(relFile: string, document: RedoclyDocument): Promise<LintProblem[]> {
  const { BaseResolver, getLineColLocation, lintDocument } = redocly();
  const config = await lintConfig();
  const problems = await lintDocument({
    document,
    config: config.styleguide,
    externalRefResolver: new BaseResolver(config.resolve),
  });
  const toLintProblem = (p: NormalizedProblem): LintProblem => {
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
  };
  return problems.filter((p) => p.severity === "error" || p.severity === "warn").map(toLintProblem);
}
