import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readmeGuide } from "../lib/readme-examples.ts";
import { repoRoot } from "../lib/specs.ts";

const text = (html: string) => html.replace(/<[^>]+>/g, "").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/\s+/g, " ");

describe("npm run docs", () => {
  let out: string;
  let run: { status: number | null; stdout: string; stderr: string };
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), "esign-docs-"));
    // One package keeps it short; the packages are built before the tests run.
    run = spawnSync(process.execPath, ["--import", "tsx/esm", join(repoRoot, "scripts", "docs.ts"), "signable", "--skip-build", "--out", out], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 400_000,
    });
  }, 420_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it("ends by printing where the index page is", () => {
    expect(run.status, run.stderr).toBe(0);
    const index = join(out, "index.html");
    expect(existsSync(index)).toBe(true);
    expect(run.stdout).toContain(`open ${index}`);
    expect(run.stdout.trim().split("\n").at(-1)?.trim()).toBe(pathToFileURL(index).href);
  });

  it("opens the package's page with its README's introduction and examples, not its install line or licence", () => {
    // With one package its page is the reference's index.
    const page = text(readFileSync(join(out, "api", "index.html"), "utf8"));
    expect(page).toContain("A typed client for the Signable user API — create, get, list, update and delete the users of your Signable company");
    expect(page).toContain('import { createSignableClient, NotFoundError } from "@esign-users/signable";');
    expect(page).toContain("Try it without an account");
    expect(page).not.toContain("npm install @esign-users/signable");
    expect(page).not.toContain("Licence");
    expect(existsSync(join(out, "specs", "signable.html"))).toBe(true);
  });

  it("refuses a package it does not have in one line, with exit code 2", () => {
    const bad = spawnSync(process.execPath, ["--import", "tsx/esm", join(repoRoot, "scripts", "docs.ts"), "hellosign"], { cwd: repoRoot, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^docs: no package folder named hellosign; have boldsign, docusign, .* \(`npm run docs -- --help` lists the options\)$/);
  });
});

describe("readmeGuide", () => {
  it("keeps the introduction and the sections with TypeScript examples, and drops the title, install and other sections", () => {
    const readme = [
      "# @esign-users/example",
      "",
      "What it is.",
      "",
      "```sh",
      "npm install @esign-users/example",
      "```",
      "",
      "## Usage",
      "",
      "<!-- runnable -->",
      "```ts",
      "// ## not a heading inside code",
      "use();",
      "```",
      "",
      "## Options",
      "",
      "A table, no code.",
      "",
      "## Licence",
      "",
      "MIT.",
    ].join("\n");
    expect(readmeGuide(readme)).toBe(["What it is.", "", "## Usage", "", "```ts", "// ## not a heading inside code", "use();", "```"].join("\n"));
  });
});
