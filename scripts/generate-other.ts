/**
 * Generates clients in other languages (Python, Go, …) from specs/ with OpenAPI
 * Generator, into the git-ignored out/ folder. Which spec goes to which generator
 * is configured in openapitools.json (`<spec>-<language>` keys).
 *
 *   npm run generate:other -- python
 *   npm run generate:other -- go --jar ~/jars/openapi-generator-cli-7.17.0.jar
 *
 * OpenAPI Generator is a Java program; its npm wrapper downloads the jar from
 * Maven Central on first use. Where that is not reachable, supply the jar: put it
 * at <storageDir>/<version>.jar, or pass --jar <path>.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseCommand, usageError } from "./lib/cli.ts";
import { repoRoot } from "./lib/specs.ts";

interface GeneratorEntry {
  generatorName: string;
  inputSpec: string;
  output: string;
}

interface ToolsConfig {
  "generator-cli": { version: string; storageDir: string; generators: Record<string, GeneratorEntry> };
}

const COMMAND = "npm run generate:other --";
const { values, positionals } = parseCommand({
  command: COMMAND,
  summary:
    "Generates clients in another language from specs/ with OpenAPI Generator (Java), into out/<language>/<spec>.\n" +
    "Which spec goes to which generator is configured in openapitools.json.",
  positionals: "<language>",
  options: {
    jar: { type: "string", value: "<path>", description: "the OpenAPI Generator jar to run (also OPENAPI_GENERATOR_JAR)" },
    root: { type: "string", description: "the repository to work on", hidden: true },
  },
  examples: ["npm run generate:other -- python", "npm run generate:other -- go --jar ~/jars/openapi-generator-cli-7.17.0.jar"],
});

const root = values.root ? resolve(values.root) : repoRoot;
const fail = (line: string): never => {
  console.error(`generate:other: ${line}`);
  process.exit(1);
};

const config = JSON.parse(readFileSync(join(root, "openapitools.json"), "utf8")) as ToolsConfig;
const cli = config["generator-cli"];
const languages = [...new Set(Object.values(cli.generators).map((g) => g.generatorName))].sort();
const wanted = positionals[0];
if (!wanted || !languages.includes(wanted) || positionals.length > 1) {
  usageError(COMMAND, `name one language: npm run generate:other -- <${languages.join("|")}> [--jar <path>]`);
}
const keys = Object.entries(cli.generators)
  .filter(([, g]) => g.generatorName === wanted)
  .map(([key]) => key);

const java = spawnSync("java", ["-version"], { encoding: "utf8" });
if (java.error || java.status !== 0) {
  fail("OpenAPI Generator needs Java 11 or later and `java` is not on PATH (apt-get install default-jre-headless).");
}

const storedJar = resolve(root, cli.storageDir, `${cli.version}.jar`);
const suppliedJar = values.jar ?? process.env.OPENAPI_GENERATOR_JAR;
if (suppliedJar && !existsSync(suppliedJar)) fail(`--jar ${suppliedJar} does not exist.`);
if (!suppliedJar && !existsSync(storedJar)) {
  fail(
    `the OpenAPI Generator ${cli.version} jar is missing and cannot be downloaded here: ` +
      `copy openapi-generator-cli-${cli.version}.jar to ${join(cli.storageDir, `${cli.version}.jar`)} ` +
      "(generator-cli.storageDir in openapitools.json), or pass its path with --jar <path>.",
  );
}

const wrapper = join(repoRoot, "node_modules", "@openapitools", "openapi-generator-cli", "main.js");
const args = [wrapper, "generate", "--generator-key", ...keys];
if (suppliedJar) args.push(`--custom-generator=${resolve(suppliedJar)}`);
console.log(`generate:other: ${wanted} → ${keys.map((k) => cli.generators[k]?.output).join(", ")}`);
const run = spawnSync(process.execPath, args, {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PWD: root },
});
process.exit(run.status ?? 1);
