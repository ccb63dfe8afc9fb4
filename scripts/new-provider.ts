/**
 * Scaffolds a provider from its spec: `npm run new-provider -- <name>` (after writing
 * specs/<name>.yaml). See scripts/lib/scaffold.ts for what it writes.
 */
import { spawnSync } from "node:child_process";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkScaffold, scaffoldProvider } from "./lib/scaffold.ts";
import { repoRoot } from "./lib/specs.ts";

const usage = "usage: npm run new-provider -- <name>   (specs/<name>.yaml must exist)";
let name: string | undefined;
let root = repoRoot;
try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" }, root: { type: "string" } },
  });
  if (values.help) {
    console.log(
      `${usage}\n\nWrites packages/<name>/ (client, index, README, tests), the sandbox module (registered), a facade\nadapter to fill in and the other-language generator entries, after generating the code from the spec.`,
    );
    process.exit(0);
  }
  if (positionals.length !== 1) throw new Error("name one provider");
  name = positionals[0];
  if (values.root) root = resolve(values.root);
} catch (error) {
  console.error(`new-provider: ${(error as Error).message}. ${usage}`);
  process.exit(2);
}

try {
  checkScaffold(name as string, root);
} catch (error) {
  console.error(`new-provider: ${(error as Error).message}`);
  process.exit(1);
}
const generate = spawnSync(process.execPath, ["--import", "tsx/esm", join(repoRoot, "scripts", "generate.ts"), `--root=${root}`, name as string], {
  cwd: root,
  stdio: "inherit",
});
if (generate.status !== 0) {
  console.error(`new-provider: generating specs/${name}.yaml failed (see above); nothing was scaffolded`);
  process.exit(1);
}
try {
  const result = scaffoldProvider(name as string, root);
  for (const file of result.written) console.log(`  + ${file}`);
  for (const file of result.edited) console.log(`  ~ ${file}`);
  console.log("\nNext:");
  for (const [i, step] of result.next.entries()) console.log(`  ${i + 1}. ${step}`);
} catch (error) {
  console.error(`new-provider: ${(error as Error).message}`);
  process.exit(1);
}
