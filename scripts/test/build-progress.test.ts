import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildWithProgress } from "../lib/build-progress.ts";
import { repoRoot } from "../lib/specs.ts";

let root: string;
const json = (file: string, value: unknown) => writeFileSync(join(root, file), JSON.stringify(value));
// Each build takes a while, so that progress has something to report.
const slowBuild = 'node -e "setTimeout(() => {}, 1500)"';

beforeEach(() => {
  // A two-package monorepo built by the repository's own turbo: b depends on a.
  root = mkdtempSync(join(tmpdir(), "esign-build-progress-"));
  for (const p of ["a", "b"]) mkdirSync(join(root, "packages", p), { recursive: true });
  json("package.json", { name: "fixture", private: true, packageManager: "npm@11.19.1", workspaces: ["packages/*"] });
  json("packages/a/package.json", { name: "a", version: "1.0.0", scripts: { build: slowBuild } });
  json("packages/b/package.json", { name: "b", version: "1.0.0", dependencies: { a: "1.0.0" }, scripts: { build: slowBuild } });
  json("turbo.json", { tasks: { build: { dependsOn: ["^build"], outputs: [] } } });
  mkdirSync(join(root, "node_modules"));
  symlinkSync(join(repoRoot, "node_modules", "turbo"), join(root, "node_modules", "turbo"));
  writeFileSync(join(root, ".gitignore"), "node_modules/\n.turbo/\n");
  spawnSync("npm", ["install", "--package-lock-only", "--offline", "--ignore-scripts"], { cwd: root });
  // turbo hashes what git would track: without a repository its own logs would count as inputs.
  spawnSync("git", ["init", "-q"], { cwd: root });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("npm start's build step", () => {
  it("says how many packages it builds, each as it starts (n of m), how long they took last time, and that it is still working", async () => {
    const build = async () => {
      const lines: string[] = [];
      expect(await buildWithProgress({ root, log: (l) => lines.push(l), heartbeatMs: 400 })).toBe(true);
      return lines;
    };

    const first = await build();
    expect(first[0]).toBe("  2 of 2 build steps to run (0 cached); a first build usually takes 35 s to 2 min on 2 cores, depending on what else runs");
    expect(first).toContain("  [1/2] build a");
    expect(first).toContain("  [2/2] build b");
    expect(first.some((l) => /^ {2}… still building, \d+ s so far$/.test(l))).toBe(true);
    expect(first.at(-1)).toMatch(/^ {2}built in \d+ s$/);

    expect(await build()).toEqual(["  all 2 build steps are cached"]);

    writeFileSync(join(root, "packages", "b", "index.js"), "export {};\n");
    const third = await build();
    expect(third[0]).toMatch(/^ {2}1 of 2 build steps to run \(1 cached\); it took \d+ s last time$/);
    expect(third).toContainEqual(expect.stringMatching(/^ {2}\[1\/1\] build b \(took \d+ s last time\)$/));
  }, 300_000);
});
