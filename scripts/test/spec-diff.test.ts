import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { pendingChangesets } from "../lib/changesets.ts";
import { readablePointer } from "../lib/spec-classify.ts";
import { repoRoot } from "../lib/specs.ts";

const script = join(repoRoot, "scripts", "spec-diff.ts");
let root: string;

function sh(cwd: string, ...args: string[]): string {
  const run = spawnSync("git", args, { cwd, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`git ${args.join(" ")}: ${run.stderr}`);
  return run.stdout.trim();
}

function specDiff(cwd: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx/esm", script, `--root=${cwd}`, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: run.status, out: `${run.stdout}${run.stderr}` };
}

function writeJson(file: string, value: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

const specFile = (dir = root) => join(dir, "specs", "signable.yaml");

/** Edits the spec as YAML, so the tests do not depend on its formatting. */
function editSpec(edit: (doc: ReturnType<typeof parseDocument>) => void, dir = root): void {
  const doc = parseDocument(readFileSync(specFile(dir), "utf8"));
  edit(doc);
  writeFileSync(specFile(dir), doc.toString());
}

const removeRequiredResponseProperty = (doc: ReturnType<typeof parseDocument>) => {
  const user = ["components", "schemas", "User"];
  doc.deleteIn([...user, "properties", "user_email"]);
  const required = (doc.getIn([...user, "required"]) as { toJSON(): string[] }).toJSON();
  doc.setIn([...user, "required"], doc.createNode(required.filter((r) => r !== "user_email")));
};

const addOptionalQueryParameter = (doc: ReturnType<typeof parseDocument>) => {
  const params = doc.getIn(["paths", "/users", "get", "parameters"]) as { add(node: unknown): void };
  params.add(
    doc.createNode({
      name: "search",
      in: "query",
      required: false,
      description: "Only users whose name or email contains this text.",
      schema: { type: "string" },
    }),
  );
};

const changeDescription = (doc: ReturnType<typeof parseDocument>) => {
  doc.setIn(["components", "schemas", "User", "properties", "user_name", "description"], "The user's full name.");
};

function commitAll(message: string, dir = root): void {
  sh(dir, "add", "-A");
  sh(dir, "commit", "-q", "-m", message);
}

beforeEach(() => {
  // A small repository shaped like this one: a spec, its provider package, the facade and the sandbox.
  root = mkdtempSync(join(tmpdir(), "esign-spec-diff-"));
  sh(root, "init", "-q", "-b", "main");
  sh(root, "config", "user.email", "test@example.com");
  sh(root, "config", "user.name", "Test");
  mkdirSync(join(root, "specs"));
  cpSync(join(repoRoot, "specs", "signable.yaml"), specFile());
  writeJson(join(root, "packages", "signable", "package.json"), { name: "@esign-users/signable", version: "0.1.0" });
  writeJson(join(root, "packages", "sandbox", "package.json"), { name: "@esign-users/sandbox", version: "0.1.0" });
  writeJson(join(root, "packages", "esign-users", "package.json"), {
    name: "esign-users",
    version: "0.1.0",
    dependencies: { "@esign-users/signable": "0.1.0" },
  });
  writeJson(join(root, "packages", "scripts-like", "package.json"), {
    name: "@esign-users/private-tool",
    version: "0.0.0",
    private: true,
    dependencies: { "@esign-users/signable": "0.1.0" },
  });
  mkdirSync(join(root, ".changeset"));
  writeFileSync(join(root, ".changeset", "README.md"), "# Changesets\n");
  commitAll("first release");
  writeFileSync(join(root, "notes.txt"), "a commit that touches no spec\n");
  commitAll("notes");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("npm run spec:diff", () => {
  it("rates a removed required response property as major for the provider and the facade, regenerates, and writes the changeset", () => {
    editSpec(removeRequiredResponseProperty);
    const run = specDiff(root);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("specs/signable.yaml vs HEAD~1 (the previous commit): changed → major");
    expect(run.out).toContain("Property `user_email` of `User` was removed");

    const [changeset] = pendingChangesets(root);
    expect(changeset?.file).toBe(join(".changeset", "spec-signable.md"));
    expect(Object.fromEntries(changeset?.releases ?? [])).toEqual({
      "@esign-users/signable": "major",
      "esign-users": "major",
      "@esign-users/sandbox": "patch",
    });
    expect(changeset?.summary).toContain("API change in `specs/signable.yaml` (major)");
    // Regenerated: the provider's types and the sandbox's copy follow the new spec.
    const schema = readFileSync(join(root, "packages", "signable", "src", "generated", "schema.ts"), "utf8");
    const userType = /\n {8}User: \{\n([\s\S]*?)\n {8}\};/.exec(schema)?.[1] ?? "";
    expect(userType).toContain("user_name: string;");
    expect(userType).not.toContain("user_email");
    expect(existsSync(join(root, "packages", "sandbox", "src", "generated", "signable.ts"))).toBe(true);

    // The written changeset satisfies the CI check.
    const check = specDiff(root, "--check");
    expect(check.code, check.out).toBe(0);
    expect(check.out).toContain("✓ @esign-users/signable major: .changeset/spec-signable.md");
  }, 90_000);

  it("rates a new optional query parameter as minor", () => {
    editSpec(addOptionalQueryParameter);
    const run = specDiff(root);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("changed → minor");
    expect(Object.fromEntries(pendingChangesets(root)[0]?.releases ?? [])).toEqual({
      "@esign-users/signable": "minor",
      "esign-users": "minor",
      "@esign-users/sandbox": "patch",
    });
  }, 90_000);

  it("rates a reworded description as a patch", () => {
    editSpec(changeDescription);
    const run = specDiff(root);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("changed → patch");
    expect(pendingChangesets(root)[0]?.releases.get("@esign-users/signable")).toBe("patch");
  }, 90_000);

  it("--check fails when a spec changed without a changeset, and when the changeset bumps too little", () => {
    editSpec(removeRequiredResponseProperty);
    commitAll("drop user_email");
    const bare = specDiff(root, "--check");
    expect(bare.code).toBe(1);
    expect(bare.out).toContain("✗ @esign-users/signable needs a major changeset for specs/signable.yaml (provider)");
    expect(bare.out).toContain("✗ esign-users needs a major changeset");

    writeFileSync(join(root, ".changeset", "too-small.md"), '---\n"@esign-users/signable": minor\n"esign-users": minor\n"@esign-users/sandbox": patch\n---\n\nOops.\n');
    const small = specDiff(root, "--check");
    expect(small.code).toBe(1);
    expect(small.out).toContain("✗ @esign-users/signable needs a major changeset");
    expect(existsSync(join(root, ".changeset", "spec-signable.md"))).toBe(false); // --check writes nothing
  }, 90_000);

  it("--check accepts versions already bumped by `changeset version` instead of pending changesets", () => {
    editSpec(addOptionalQueryParameter);
    for (const [folder, version] of [["signable", "0.2.0"], ["esign-users", "0.2.0"], ["sandbox", "0.1.1"]] as const) {
      const file = join(root, "packages", folder, "package.json");
      writeJson(file, { ...JSON.parse(readFileSync(file, "utf8")), version });
    }
    commitAll("version packages");
    const run = specDiff(root, "--check");
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("✓ @esign-users/signable minor: version 0.1.0 → 0.2.0");
  }, 90_000);

  it("compares with the provider's last release tag by default, and with --base when given", () => {
    sh(root, "tag", "@esign-users/signable@0.1.0");
    editSpec(addOptionalQueryParameter);
    commitAll("search parameter");
    writeFileSync(join(root, "notes.txt"), "unrelated\n");
    commitAll("unrelated change");

    const sinceTag = specDiff(root);
    expect(sinceTag.out).toContain("vs @esign-users/signable@0.1.0 (its last release tag): changed → minor");
    rmSync(join(root, ".changeset", "spec-signable.md"));

    const sinceLast = specDiff(root, "--base", "HEAD~1");
    expect(sinceLast.code).toBe(0);
    expect(sinceLast.out).toContain("vs HEAD~1 (--base): unchanged");
    expect(sinceLast.out).toContain("no spec changed");

    expect(specDiff(root, "--base", "no-such-ref").code).toBe(2);
  }, 90_000);

  it("--check passes on a fresh clone of main and checks a branch against its merge base", () => {
    editSpec(changeDescription);
    expect(specDiff(root).code).toBe(0);
    commitAll("reword, with its changeset");
    const clone = mkdtempSync(join(tmpdir(), "esign-spec-diff-clone-"));
    try {
      sh(tmpdir(), "clone", "-q", root, clone);
      sh(clone, "config", "user.email", "test@example.com");
      sh(clone, "config", "user.name", "Test");
      expect(specDiff(clone, "--check").code).toBe(0);

      sh(clone, "checkout", "-q", "-b", "feature");
      rmSync(join(clone, ".changeset", "spec-signable.md")); // as if released
      commitAll("release", clone);
      editSpec(addOptionalQueryParameter, clone);
      commitAll("search parameter, no changeset", clone);
      writeFileSync(join(clone, "notes.txt"), "later commit\n");
      commitAll("later commit", clone);
      // HEAD~1 did not touch the spec, but the branch did: the merge base catches it.
      const branch = specDiff(clone, "--check");
      expect(branch.code, branch.out).toBe(1);
      expect(branch.out).toContain("(the merge base with origin/main)");
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  }, 90_000);

  it("does not ask a changeset of a brand-new provider's spec", () => {
    cpSync(specFile(), join(root, "specs", "newprovider.yaml"));
    const run = specDiff(root, "--check");
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("specs/newprovider.yaml: added, nothing to release (a new package)");
  }, 90_000);
});

describe("readablePointer", () => {
  it("names the operation and the path inside it", () => {
    expect(readablePointer("#/paths/~1users~1{user_id}/get/responses/200/content/application~1json")).toBe(
      "GET /users/{user_id} › responses › 200 › content › application/json",
    );
    expect(readablePointer("#/components/schemas/User")).toBe("components › schemas › User");
  });
});
