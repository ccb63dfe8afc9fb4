/**
 * Lists every operation of our specs beside the provider's official definition and
 * reports mismatches of method, path, parameter or property names (and enums).
 *
 *   npm run compare:official                       # all pairs, reference in ../shared/reference
 *   npm run compare:official -- --reference DIR docusign-v2.1
 *
 * The official files are not ours to commit: they are read from --reference.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { parseCommand, usageError } from "./lib/cli.ts";
import { compareSpecs } from "./lib/compare.ts";
import { listSpecs, repoRoot } from "./lib/specs.ts";
import { printTable } from "./lib/table.ts";

interface Pair {
  spec: string;
  /** Our spec, parsed. */
  doc: Record<string, unknown>;
  /** The official file, relative to the reference folder. */
  official: string;
}

/**
 * Every spec that names its provider's official definition (`x-esign-official`, a path
 * inside the reference folder), by spec name. What our spec has on purpose and the
 * official file lacks is marked where it is (`x-esign-not-in-official: <why>`). Read
 * before the command line, whose help lists the pairs.
 */
const PAIRS: Record<string, Pair> = Object.fromEntries(
  listSpecs().flatMap((spec) => {
    const doc = parseYaml(readFileSync(spec.file, "utf8")) as Record<string, unknown>;
    const official = doc["x-esign-official"];
    return typeof official === "string" ? [[spec.name, { spec: spec.relFile, doc, official }]] : [];
  }),
);

const COMMAND = "npm run compare:official --";
const { values, positionals } = parseCommand({
  command: COMMAND,
  summary:
    "Lists every operation of our specs beside the provider's official definition and reports mismatches\n" +
    "of method, path, parameter or property names (and enums). Exit 1 when there is a mismatch.",
  positionals: `[${Object.keys(PAIRS).join("|")} ...]`,
  options: {
    reference: {
      type: "string",
      value: "<dir>",
      default: join(repoRoot, "..", "shared", "reference"),
      description: "folder holding the official definitions (not committed here)",
    },
  },
});
const reference = resolve(values.reference);
if (!existsSync(reference)) usageError(COMMAND, `no reference folder at ${reference}; pass --reference <dir>`);
const unknownPairs = positionals.filter((n) => !PAIRS[n]);
if (unknownPairs.length > 0) usageError(COMMAND, `no pair named ${unknownPairs.join(", ")}; have ${Object.keys(PAIRS).join(", ")}`);
const names = positionals.length > 0 ? positionals : Object.keys(PAIRS);
let failures = 0;
for (const name of names) {
  const pair = PAIRS[name] as Pair;
  const officialPath = join(reference, pair.official);
  if (!existsSync(officialPath)) {
    console.log(`\n${name}: skipped (${officialPath} not found)`);
    continue;
  }
  const officialText = readFileSync(officialPath, "utf8");
  const result = compareSpecs(pair.doc, /\.ya?ml$/.test(officialPath) ? parseYaml(officialText) : JSON.parse(officialText));
  console.log(`\n${name}: ${pair.spec} vs ${pair.official}`);
  printTable(
    ["operation", "ours", "official", "parameters", "properties"],
    result.rows.map((r) => [r.key, r.ours, r.official ?? "—", r.params, r.properties]),
  );
  if (result.notCovered.length > 0) {
    console.log(`  official operations we do not cover yet (${result.notCovered.length}): ${result.notCovered.join(", ")}`);
  }
  for (const m of result.mismatches) console.log(`  ✗ ${m.operation} — ${m.where}: ${m.message}`);
  console.log(`  ${result.mismatches.length} mismatch(es)`);
  failures += result.mismatches.length;
}
process.exit(failures > 0 ? 1 : 0);
