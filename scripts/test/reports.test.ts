import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { setups } from "../../packages/esign-users/test/setups.ts";
import { repoRoot } from "../lib/specs.ts";

/** Reports are written by scripts: the tests record figures, the scripts turn them into files. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "esign-reports-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const script = (name: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx/esm", join(repoRoot, "scripts", name), ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 400_000,
  });

describe("npm run fuzz", () => {
  it("runs the fuzzing and writes its figures per provider; the test file itself writes none", () => {
    const out = join(dir, "fuzz.json");
    const run = script("fuzz.ts", "--runs", "3", "--out", out);
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const figures = JSON.parse(readFileSync(out, "utf8"));
    expect(figures.runsPerProvider).toBe(3);
    expect(Object.keys(figures.providers)).toEqual(setups.map((s) => s.label));
    expect(Object.keys(figures.providers)).toContain("docusign v2.1");
    for (const p of Object.values(figures.providers) as { runs: number; commands: number; seconds: number }[]) {
      expect(p.runs).toBe(3);
      expect(p.commands).toBeGreaterThan(0);
      expect(p.seconds).toBeGreaterThan(0);
    }
    const test = readFileSync(join(repoRoot, "packages", "esign-users", "test", "fuzz.test.ts"), "utf8");
    expect(test).not.toMatch(/writeFileSync|artifacts/);
  }, 420_000);
});

describe("npm run reliability:report", () => {
  const cell = { provider: "signable", fault: "429", op: "get", mode: "once", outcome: "ok after 1 retry", ms: 12 };
  const fuzzMeta = (provider: string, runs: number) => ({ meta: { fuzz: { provider, runs, commands: 40, seconds: 1.5 } } });

  function prepare(): void {
    mkdirSync(join(dir, "artifacts"));
    mkdirSync(join(dir, "packages", "esign-users"), { recursive: true });
    writeFileSync(join(dir, "artifacts", "fault-matrix.json"), JSON.stringify([cell]));
    writeFileSync(
      join(dir, "packages", "esign-users", "test-results.json"),
      JSON.stringify({ testResults: [{ name: "/x/packages/esign-users/test/fuzz.test.ts", assertionResults: [fuzzMeta("signable", 200)] }] }),
    );
  }

  it("takes the fuzzing figures from the last test run's JSON report when it is newer than `npm run fuzz`'s", () => {
    prepare();
    writeFileSync(join(dir, "artifacts", "fuzz.json"), JSON.stringify({ runsPerProvider: 2000, providers: { signable: { runs: 2000, commands: 9, seconds: 9 } } }));
    utimesSync(join(dir, "artifacts", "fuzz.json"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const run = script("reliability-report.ts", "--root", dir);
    expect(run.status, run.stderr).toBe(0);
    const report = readFileSync(join(dir, "RELIABILITY.md"), "utf8");
    expect(report).toContain("| signable | 200 | 40 | 1.5 |");
    expect(report).toContain("| 429 | once | ok after 1 retry (12 ms) |");
  }, 120_000);

  it("takes `npm run fuzz`'s figures when they are the newer", () => {
    prepare();
    utimesSync(join(dir, "packages", "esign-users", "test-results.json"), new Date(2020, 0, 1), new Date(2020, 0, 1));
    writeFileSync(join(dir, "artifacts", "fuzz.json"), JSON.stringify({ runsPerProvider: 2000, providers: { signable: { runs: 2000, commands: 9000, seconds: 60 } } }));
    const run = script("reliability-report.ts", "--root", dir);
    expect(run.status, run.stderr).toBe(0);
    expect(readFileSync(join(dir, "RELIABILITY.md"), "utf8")).toContain("| signable | 2000 | 9000 | 60.0 |");
  }, 120_000);
});
