import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { listSpecs, repoRoot } from "../lib/specs.ts";

const script = join(repoRoot, "scripts", "generate-other.ts");
const config = JSON.parse(readFileSync(join(repoRoot, "openapitools.json"), "utf8"));
const generators: Record<string, { generatorName: string; inputSpec: string; output: string }> =
  config["generator-cli"].generators;

function run(root: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ["--import", "tsx/esm", script, `--root=${root}`, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("openapitools.json", () => {
  it("configures Python and Go clients for every spec, into out/", () => {
    for (const spec of listSpecs()) {
      for (const lang of ["python", "go"]) {
        const entry = generators[`${spec.name}-${lang}`];
        expect(entry, `${spec.name}-${lang}`).toBeDefined();
        expect(entry?.generatorName).toBe(lang);
        expect(entry?.inputSpec).toBe(spec.relFile);
        expect(entry?.output).toBe(`out/${lang}/${spec.name}`);
      }
    }
    for (const entry of Object.values(generators)) expect(existsSync(join(repoRoot, entry.inputSpec))).toBe(true);
  });

  it("keeps out/ and the jar folder out of git", () => {
    const ignored = readFileSync(join(repoRoot, ".gitignore"), "utf8").split("\n");
    expect(ignored).toContain("out/");
    expect(ignored).toContain(`${config["generator-cli"].storageDir}/`);
  });
});

describe("npm run generate:other", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "esign-other-"));
    cpSync(join(repoRoot, "openapitools.json"), join(root, "openapitools.json"));
    cpSync(join(repoRoot, "specs"), join(root, "specs"), { recursive: true });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("without the jar, stops with one actionable line and no stack trace", () => {
    const r = run(root, "python");
    expect(r.code).toBe(1);
    const lines = r.err.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("jar is missing");
    expect(lines[0]).toContain("generator-cli.storageDir");
    expect(lines[0]).toContain("--jar <path>");
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it("names the languages it knows when given none or an unknown one, with exit code 2", () => {
    for (const args of [[], ["cobol"], ["go", "python"]]) {
      const r = run(root, ...args);
      expect(r.code).toBe(2);
      expect(r.err.trim()).toBe(
        "generate:other: name one language: npm run generate:other -- <go|python> [--jar <path>] (`npm run generate:other -- --help` lists the options)",
      );
    }
  });

  it("refuses a --jar path that does not exist", () => {
    const r = run(root, "go", "--jar", join(root, "nope.jar"));
    expect(r.code).toBe(1);
    expect(r.err).toContain("does not exist");
  });

  it("with a supplied jar, runs the wrapper for every spec of the language into out/<lang>/<spec>", () => {
    // A stand-in jar compiled here: the real generator cannot be downloaded on this network.
    const build = join(root, "fake");
    mkdirSync(build);
    cpSync(join(repoRoot, "scripts", "test", "fixtures", "FakeGenerator.java"), join(build, "FakeGenerator.java"));
    expect(spawnSync("javac", ["FakeGenerator.java"], { cwd: build }).status).toBe(0);
    writeFileSync(join(build, "manifest.txt"), "Main-Class: FakeGenerator\n");
    expect(spawnSync("jar", ["cfm", "fake.jar", "manifest.txt", "FakeGenerator.class"], { cwd: build }).status).toBe(0);

    const r = run(root, "go", "--jar", join(build, "fake.jar"));
    expect(r.code, r.err + r.out).toBe(0);
    const goSpecs = Object.values(generators).filter((g) => g.generatorName === "go");
    for (const g of goSpecs) {
      const args = readFileSync(join(root, g.output, "FAKE_GENERATOR_ARGS.txt"), "utf8");
      expect(args).toContain("--generator-name=go");
      expect(args).toContain(`--input-spec=${g.inputSpec}`);
    }
    expect(readdirSync(join(root, "out"))).toEqual(["go"]);
  });
});
