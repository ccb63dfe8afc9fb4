/**
 * Prints the production dependency tree of every publishable package and runs
 * `npm audit --omit=dev`. Exits 1 when the audit finds a vulnerability; an audit
 * service that cannot be reached is reported, not treated as a pass or a failure.
 */
import { spawnSync } from "node:child_process";
import { parseCommand } from "./lib/cli.ts";
import { publishablePackages } from "./lib/workspace.ts";
import { repoRoot } from "./lib/specs.ts";

parseCommand({
  command: "npm run deps:report --",
  summary:
    "Prints the third-party production dependencies of every publishable package and runs\n" +
    "`npm audit --omit=dev`. Exit 1 when the audit finds a vulnerability; an unreachable audit service is reported, not failed.",
  options: {},
});

const npm = (args: string[]) => spawnSync("npm", args, { cwd: repoRoot, encoding: "utf8" });

for (const pkg of publishablePackages()) {
  const tree = npm(["ls", "--omit=dev", "--all", "--json", "-w", pkg.relDir]);
  const parsed = JSON.parse(tree.stdout || "{}") as { dependencies?: Record<string, Node> };
  interface Node {
    version?: string;
    dependencies?: Record<string, Node>;
  }
  const external = new Set<string>();
  const walk = (deps: Record<string, Node> | undefined) => {
    for (const [name, node] of Object.entries(deps ?? {})) {
      if (!name.startsWith("@esign-users/") && name !== "esign-users") external.add(`${name}@${node.version}`);
      walk(node.dependencies);
    }
  };
  walk(parsed.dependencies?.[pkg.name]?.dependencies);
  console.log(`${pkg.name}: ${external.size} third-party production package(s)${external.size ? `: ${[...external].sort().join(", ")}` : ""}`);
}

const audit = npm(["audit", "--omit=dev", "--json"]);
let report: { metadata?: { vulnerabilities?: Record<string, number> }; error?: { summary?: string }; message?: string } = {};
try {
  report = JSON.parse(audit.stdout || "{}");
} catch {
  // Not JSON: the service did not answer properly.
}
const counts = report.metadata?.vulnerabilities;
if (!counts) {
  const why =
    report.error?.summary ||
    report.message ||
    audit.stderr.split("\n").find((l) => /audit|ERR|error/i.test(l) && !l.includes("nodedir"))?.trim() ||
    "no answer";
  console.log(`npm audit --omit=dev: the audit service could not be reached (${why})`);
  process.exit(0);
}
const found = Object.entries(counts).filter(([level, n]) => level !== "total" && n > 0);
console.log(`npm audit --omit=dev: ${found.length === 0 ? "no vulnerabilities" : found.map(([l, n]) => `${n} ${l}`).join(", ")}`);
process.exit(found.length === 0 ? 0 : 1);
