import { execFile } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadmeExample, readmeExamples } from "../lib/readme-examples.ts";
import { repoRoot } from "../lib/specs.ts";
import { publishablePackages } from "../lib/workspace.ts";

const run = promisify(execFile);

// Inside the repository's node_modules, so the examples resolve the packages the
// way an installed project does: through package.json exports to the built dist/.
const dir = join(repoRoot, "node_modules", ".cache", "esign-readme-examples");
const packages = publishablePackages();
const examples = packages.flatMap(readmeExamples);
const fileOf = (e: ReadmeExample) => join(dir, `${e.pkg.folder}-line${e.line}.mts`);

beforeAll(() => {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const e of examples) writeFileSync(fileOf(e), e.code);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2023", "DOM"],
        types: ["node"],
        strict: true,
        noEmit: true,
        skipLibCheck: true,
      },
      files: examples.map((e) => fileOf(e)),
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("README examples", () => {
  it.each(packages.map((p) => [p.name, p] as const))("%s has a runnable example", (_name, pkg) => {
    expect(readmeExamples(pkg).length, `${pkg.relDir}/README.md needs a \`<!-- runnable -->\` ts block`).toBeGreaterThan(0);
  });

  it("type-check as a user's TypeScript (nodenext, strict)", async () => {
    const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    const result = await run(process.execPath, [tsc, "-p", dir], { cwd: dir }).catch((e: { stdout: string }) => e);
    expect(result.stdout).toBe("");
  }, 120_000);

  it.each(examples.map((e) => [`${e.pkg.relDir}/README.md:${e.line}`, e] as const))(
    "%s runs",
    async (_where, example) => {
      const { stdout } = await run(process.execPath, ["--import", "tsx/esm", fileOf(example)], {
        cwd: repoRoot,
        timeout: 60_000,
      });
      expect(stdout.trim().length).toBeGreaterThan(0);
    },
    90_000,
  );
});
