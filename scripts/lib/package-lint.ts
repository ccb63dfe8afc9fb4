import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { repoRoot } from "./specs.ts";
import type { WorkspacePackage } from "./workspace.ts";

const run = promisify(execFile);

export interface LintResult {
  tool: "publint" | "attw";
  /** One line per problem; empty when clean. */
  problems: string[];
}

/**
 * publint over the packed file list, strict (warnings count): the exports map,
 * formats and files as npm will ship them.
 */
export async function runPublint(pkg: WorkspacePackage): Promise<LintResult> {
  const { messages } = await publint({ pkgDir: pkg.dir, strict: true, pack: "npm", level: "warning" });
  return {
    tool: "publint",
    problems: messages.map((m) => `${m.type}: ${formatMessage(m, pkg.manifest, { color: false }) ?? m.code}`),
  };
}

interface AttwProblem {
  kind: string;
  entrypoint?: string;
  resolutionKind?: string;
}

/**
 * attw --pack: packs the package as npm would and resolves every entry point the
 * way TypeScript does under node10, node16 (CJS and ESM) and bundler.
 */
export async function runAttw(pkg: WorkspacePackage): Promise<LintResult> {
  const bin = join(repoRoot, "node_modules", "@arethetypeswrong", "cli", "dist", "index.js");
  const { stdout } = await run(process.execPath, [bin, "--pack", ".", "--format", "json"], {
    cwd: pkg.dir,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    // attw exits 1 when it finds problems: the report is still on stdout.
    if (error.stdout?.trim().startsWith("{")) return { stdout: error.stdout };
    throw new Error(`attw failed for ${pkg.name}: ${error.stderr ?? String(error)}`);
  });
  const report = JSON.parse(stdout) as { problems?: Record<string, AttwProblem[]> | AttwProblem[] };
  const problems = Array.isArray(report.problems) ? report.problems : Object.values(report.problems ?? {}).flat();
  return {
    tool: "attw",
    problems: problems.map((p) => `${p.kind}${p.entrypoint ? ` at ${p.entrypoint}` : ""}${p.resolutionKind ? ` (${p.resolutionKind})` : ""}`),
  };
}
