import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { closestOption, helpText } from "../lib/cli.ts";
import { cleanEnv } from "../lib/processes.ts";
import { repoRoot } from "../lib/specs.ts";

/** Every `npm run` command of ours: the scripts, the bench and the sandbox (not turbo, tsc or changesets). */
const scripts = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).scripts as Record<string, string>;
const ours = Object.keys(scripts).filter((name) => /scripts\/|bench\/|esign-users-sandbox/.test(scripts[name] as string));

function npmRun(name: string, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn("npm", ["run", name, "--silent", "--", ...args], { cwd: repoRoot, env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

/** Runs the real commands, a few at a time (two cores, other tests beside). */
async function eachCommand<T>(work: (name: string) => Promise<T>): Promise<Map<string, T>> {
  const results = new Map<string, T>();
  const queue = [...ours];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let name = queue.shift(); name; name = queue.shift()) results.set(name, await work(name));
    }),
  );
  return results;
}

describe("every command, run for real through npm run", () => {
  let help: Map<string, Awaited<ReturnType<typeof npmRun>>>;
  let bad: Map<string, Awaited<ReturnType<typeof npmRun>>>;
  beforeAll(async () => {
    help = await eachCommand((name) => npmRun(name, "--help"));
    bad = await eachCommand((name) => npmRun(name, "--definitely-not-an-option"));
  }, 480_000);

  it("covers every command the README names", () => {
    expect(ours.sort()).toEqual(
      [
        "api:report", "bench", "compare:official", "deps:report", "docs", "fuzz", "generate", "generate:other",
        "new-provider", "packages:check", "release:verify", "reliability:report", "sandbox", "size:budgets", "spec:diff",
        "start",
      ].sort(),
    );
  });

  it("answers --help with its usage and does nothing else", () => {
    for (const name of ours) {
      const run = help.get(name);
      expect(run?.code, `${name}: ${run?.err}`).toBe(0);
      expect(run?.out, name).toMatch(/^Usage: /);
      expect(run?.out, name).toContain("-h, --help");
      expect(run?.err, name).toBe("");
    }
  });

  it("refuses an unknown flag in one line naming the fix, with exit code 2 and no stack trace", () => {
    for (const name of ours) {
      const run = bad.get(name);
      expect(run?.code, `${name}: ${run?.out}${run?.err}`).toBe(2);
      expect(run?.out, name).toBe("");
      const lines = run?.err.trim().split("\n") ?? [];
      expect(lines, name).toHaveLength(1);
      expect(lines[0], name).toContain("unknown option --definitely-not-an-option");
      expect(lines[0], name).toContain("--help");
    }
  });
});

describe("scripts/lib/cli.ts", () => {
  it("suggests the option a typo meant, and nothing for a word far from all of them", () => {
    expect(closestOption("--al", ["all", "check", "watch"])).toBe("all");
    expect(closestOption("--chekc", ["all", "check", "watch"])).toBe("check");
    expect(closestOption("--definitely-not-an-option", ["all", "check"])).toBeUndefined();
  });

  it("builds --help from the options: values, defaults, hidden test switches left out", () => {
    const text = helpText({
      command: "npm run demo --",
      summary: "Does a thing.",
      positionals: "[name ...]",
      options: {
        out: { type: "string", value: "<dir>", default: "site", description: "where to write" },
        force: { type: "boolean", short: "f", description: "overwrite" },
        root: { type: "string", description: "for tests", hidden: true },
      },
    });
    expect(text).toBe(
      [
        "Usage: npm run demo -- [options] [name ...]",
        "",
        "Does a thing.",
        "",
        "Options:",
        "      --out <dir>  where to write (default: site)",
        "  -f, --force      overwrite",
        "  -h, --help       show this help",
        "",
      ].join("\n"),
    );
  });
});
