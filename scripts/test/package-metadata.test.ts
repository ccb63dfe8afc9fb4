import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMetadata, checkMetadata } from "../lib/package-metadata.ts";
import { readManifest, type WorkspacePackage } from "../lib/workspace.ts";

let dir: string;
const entry = (name: string) => ({
  import: { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` },
  require: { types: `./dist/${name}.d.cts`, default: `./dist/${name}.cjs` },
});

function pkg(): WorkspacePackage {
  const manifest = readManifest(dir);
  return { folder: "acme", dir, relDir: "packages/acme", manifest, name: manifest.name, version: manifest.version, publishable: true, hasSource: true };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "esign-metadata-"));
  // A provider package as its owner first writes it: exports right, publishing fields missing.
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "@esign-users/acme",
      version: "0.1.0",
      description: "Typed client for the Acme users API.",
      scripts: { build: "tsup" },
      main: "./dist/index.cjs",
      module: "./dist/index.js",
      types: "./dist/index.d.ts",
      exports: { ".": entry("index"), "./v2": entry("v2"), "./package.json": "./package.json" },
      files: ["dist"],
      keywords: ["acme"],
      dependencies: { "@esign-users/runtime": "0.1.0" },
    }),
  );
  writeFileSync(join(dir, "README.md"), '# acme\n\n```sh\nnpm install @esign-users/acme\n```\n\n```ts\nimport { createAcmeClient } from "@esign-users/acme";\n```\n');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("package metadata", () => {
  it("names every missing publishing field, including typesVersions for a subpath export", () => {
    expect(checkMetadata(pkg()).map((p) => p.field)).toEqual([
      "typesVersions", "license", "author", "homepage", "bugs", "repository", "type", "sideEffects", "files", "engines", "publishConfig",
    ]);
  });

  it("--fix writes them in npm's usual order and leaves the package clean", () => {
    expect(applyMetadata(pkg())).toHaveLength(11);
    const written = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as Record<string, unknown>;
    expect(Object.keys(written)).toEqual([
      "name", "version", "description", "keywords", "license", "author", "homepage", "bugs", "repository", "type", "sideEffects",
      "main", "module", "types", "typesVersions", "exports", "files", "engines", "publishConfig", "scripts", "dependencies",
    ]);
    expect(written.publishConfig).toEqual({ access: "public", provenance: true });
    expect(written.typesVersions).toEqual({ "*": { v2: ["./dist/v2.d.ts"] } });
    expect(written.repository).toEqual({ type: "git", url: "git+https://github.com/esign-users/esign-users.git", directory: "packages/acme" });
    expect(checkMetadata(pkg())).toEqual([]);
    expect(applyMetadata(pkg())).toEqual([]);
  });

  it("refuses an exports map without separate CJS declarations, and a README without install or example", () => {
    const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    manifest.exports["."] = { types: "./dist/index.d.ts", import: "./dist/index.js", require: "./dist/index.cjs" };
    writeFileSync(join(dir, "package.json"), JSON.stringify(manifest));
    writeFileSync(join(dir, "README.md"), "# acme\n");
    const messages = checkMetadata(pkg()).filter((p) => !p.fixable).map((p) => `${p.field}: ${p.message}`);
    expect(messages).toEqual(expect.arrayContaining([
      'exports["."].require.types: should be a .d.cts file, listed first',
      "README.md: should show `npm install @esign-users/acme`",
      'README.md: should have an example importing from "@esign-users/acme"',
    ]));
  });
});
