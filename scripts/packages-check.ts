/**
 * Checks that every published package is ready for npm: metadata, README,
 * exports map, publint and attw --pack.
 *
 *   npm run packages:check                    every package (build first: npm run build)
 *   npm run packages:check -- --fix           also write the fixable metadata fields
 *   npm run packages:check -- signable sandbox   only these folders
 */
import { parseCommand, usageError } from "./lib/cli.ts";
import { applyMetadata, checkMetadata } from "./lib/package-metadata.ts";
import { runAttw, runPublint } from "./lib/package-lint.ts";
import { isBuilt, publishablePackages, readManifest } from "./lib/workspace.ts";

const COMMAND = "npm run packages:check --";
const { values, positionals: names } = parseCommand({
  command: COMMAND,
  summary: "Checks that every published package is ready for npm: metadata, README, exports map, publint and\nattw --pack (build first: npm run build). Exit 1 naming every problem.",
  positionals: "[package folder ...]",
  options: { fix: { type: "boolean", description: "also write the metadata fields that can be derived" } },
  examples: ["npm run packages:check -- signable sandbox"],
});
const fix = values.fix;

let failed = 0;
const selected = publishablePackages().filter((p) => names.length === 0 || names.includes(p.folder));
if (selected.length === 0) {
  usageError(COMMAND, `no package folder named ${names.join(", ")}`);
}
for (const found of selected) {
  const pkg = { ...found };
  if (fix) {
    const changed = applyMetadata(found);
    if (changed.length > 0) console.log(`${found.name}: set ${changed.join(", ")}`);
    pkg.manifest = readManifest(found.dir);
  }
  const problems = checkMetadata(pkg).map((p) => `metadata ${p.field}: ${p.message}`);
  if (!isBuilt(pkg)) {
    problems.push("not built: run `npm run build` (publint and attw read dist/)");
  } else {
    const [pub, attw] = await Promise.all([runPublint(pkg), runAttw(pkg)]);
    problems.push(...pub.problems.map((p) => `publint ${p}`), ...attw.problems.map((p) => `attw ${p}`));
  }
  if (problems.length === 0) {
    console.log(`✓ ${pkg.name}@${pkg.version}: metadata, README, publint and attw clean`);
  } else {
    failed++;
    console.log(`✗ ${pkg.name}@${pkg.version}`);
    for (const p of problems) console.log(`    ${p}`);
  }
}
process.exit(failed > 0 ? 1 : 0);
