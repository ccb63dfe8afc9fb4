/**
 * Scaffolds a provider from its spec: `npm run new-provider -- <name>` (after writing
 * specs/<name>.yaml). See scripts/lib/scaffold.ts for what it writes.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { parseCommand, usageError } from "./lib/cli.ts";
import { checkScaffold, scaffoldProvider } from "./lib/scaffold.ts";
import { repoRoot } from "./lib/specs.ts";

const command = "npm run new-provider --";
const { values, positionals } = parseCommand({
  command,
  summary:
    "Scaffolds a provider from specs/<name>.yaml (write the spec first): generates its code, then writes\n" +
    "packages/<name>/ (client, index, README, tests), the sandbox module (registered), a facade adapter to\n" +
    "fill in and the other-language generator entries, and prints what is left to do.",
  options: {
    // Another checkout: the tests scaffold into a copy of the repository.
    root: { type: "string", description: "the repository to work on", hidden: true },
  },
  positionals: "<name>",
  examples: ["npm run new-provider -- dropboxsign"],
});
if (positionals.length !== 1) usageError(command, "name one provider (specs/<name>.yaml must exist)");
const name = positionals[0] as string;
const root = values.root ? resolve(values.root) : repoRoot;

try {
  checkScaffold(name, root);
} catch (error) {
  console.error(`new-provider: ${(error as Error).message}`);
  process.exit(1);
}
const generate = spawnSync(process.execPath, ["--import", "tsx/esm", join(repoRoot, "scripts", "generate.ts"), `--root=${root}`, name], {
  cwd: root,
  stdio: "inherit",
});
if (generate.status !== 0) {
  console.error(`new-provider: generating specs/${name}.yaml failed (see above); nothing was scaffolded`);
  process.exit(1);
}
try {
  const result = scaffoldProvider(name, root);
  for (const file of result.written) console.log(`  + ${file}`);
  for (const file of result.edited) console.log(`  ~ ${file}`);
  console.log("\nNext:");
  for (const [i, step] of result.next.entries()) console.log(`  ${i + 1}. ${step}`);
} catch (error) {
  console.error(`new-provider: ${(error as Error).message}`);
  process.exit(1);
}
