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

/** A property removed and another added in the same edit: two changes, not a rename. */
const replaceUserAddedWithUserRole = (doc: ReturnType<typeof parseDocument>) => {
  const user = ["components", "schemas", "User"];
  doc.deleteIn([...user, "properties", "user_added"]);
  const required = (doc.getIn([...user, "required"]) as { toJSON(): string[] }).toJSON();
  doc.setIn([...user, "required"], doc.createNode(required.filter((r) => r !== "user_added")));
  doc.setIn([...user, "properties", "user_role"], doc.createNode({ type: "string", pattern: "^[a-z]+$" }));
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
  writeJson(join(root, "package.json"), { name: "fixture", private: true, workspaces: ["packages/*"] });
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
  it("rates a removed required response property as major for the provider and the facade, regenerates, and writes the changeset", async () => {
    editSpec(removeRequiredResponseProperty);
    const run = specDiff(root);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("specs/signable.yaml vs HEAD~1 (the previous commit): changed → major");
    expect(run.out).toContain("major  `User` no longer has the property `user_email`.");

    const [changeset] = await pendingChangesets(root);
    expect(changeset?.file).toBe(join(".changeset", "spec-signable.md"));
    expect(Object.fromEntries(changeset?.releases ?? [])).toEqual({
      "@esign-users/signable": "major",
      "esign-users": "major",
      "@esign-users/sandbox": "patch",
    });
    expect(changeset?.summary).toContain("Breaking changes in Signable API v1 — Users (`specs/signable.yaml`):");
    expect(changeset?.summary).toContain("- `User` no longer has the property `user_email`.");
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

  it("names what changed in a user's words: a removal and an addition are two changes, an added parameter is named", async () => {
    editSpec((doc) => {
      replaceUserAddedWithUserRole(doc);
      addOptionalQueryParameter(doc);
    });
    const run = specDiff(root);
    expect(run.code, run.out).toBe(0);
    const [changeset] = await pendingChangesets(root);
    expect(changeset?.summary.split("\n")).toEqual([
      "Breaking changes in Signable API v1 — Users (`specs/signable.yaml`):",
      "",
      "- `User` no longer has the property `user_added`.",
      "- `listUsers` takes a new optional query parameter `search`.",
      "- `User` has a new optional property `user_role` (`string`).",
    ]);
    expect(run.out).not.toMatch(/renamed|parameters › 2/);
  }, 180_000);

  it("after `changeset version`, CHANGELOG.md reads as sentences", async () => {
    cpSync(join(repoRoot, ".changeset", "config.json"), join(root, ".changeset", "config.json"));
    editSpec((doc) => {
      replaceUserAddedWithUserRole(doc);
      addOptionalQueryParameter(doc);
    });
    expect(specDiff(root).code).toBe(0);
    const version = spawnSync(process.execPath, [join(repoRoot, "node_modules", "@changesets", "cli", "bin.js"), "version"], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(version.status, `${version.stdout}${version.stderr}`).toBe(0);
    const changelog = readFileSync(join(root, "packages", "signable", "CHANGELOG.md"), "utf8");
    expect(changelog).toBe(
      [
        "# @esign-users/signable",
        "",
        "## 1.0.0",
        "",
        "### Major Changes",
        "",
        "- Breaking changes in Signable API v1 — Users (`specs/signable.yaml`):",
        "",
        "  - `User` no longer has the property `user_added`.",
        "  - `listUsers` takes a new optional query parameter `search`.",
        "  - `User` has a new optional property `user_role` (`string`).",
        "",
      ].join("\n"),
    );
    expect(readFileSync(join(root, "packages", "sandbox", "CHANGELOG.md"), "utf8")).toContain("### Patch Changes");
  }, 180_000);

  it("keeps a changeset edited by hand, says so, and replaces it only with --force", async () => {
    editSpec(addOptionalQueryParameter);
    expect(specDiff(root).code).toBe(0);
    const file = join(root, ".changeset", "spec-signable.md");
    const edited = readFileSync(file, "utf8").replace(/New in [^\n]*/, "Users can now be searched by name or email.");
    writeFileSync(file, edited);

    const again = specDiff(root);
    expect(again.code, again.out).toBe(0);
    expect(again.out).toContain("kept .changeset/spec-signable.md: it differs from what spec:diff would write now");
    expect(again.out).toContain("`npm run spec:diff -- --force` replaces it");
    expect(readFileSync(file, "utf8")).toBe(edited);

    const forced = specDiff(root, "--force");
    expect(forced.code, forced.out).toBe(0);
    expect(forced.out).toContain("wrote .changeset/spec-signable.md");
    expect(readFileSync(file, "utf8")).toContain("New in Signable API v1 — Users");
  }, 180_000);

  it("says when a kept changeset bumps too little, and fails", () => {
    editSpec(addOptionalQueryParameter);
    writeFileSync(join(root, ".changeset", "spec-signable.md"), '---\n"@esign-users/signable": patch\n---\n\nSearch.\n');
    const run = specDiff(root);
    expect(run.code, run.out).toBe(1);
    expect(run.out).toContain("kept .changeset/spec-signable.md");
    expect(run.out).toContain("✗ but @esign-users/signable needs a minor changeset and none bumps it that much");
  }, 180_000);

  it("rates a new optional query parameter as minor", async () => {
    editSpec(addOptionalQueryParameter);
    const run = specDiff(root);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("changed → minor");
    expect(Object.fromEntries((await pendingChangesets(root))[0]?.releases ?? [])).toEqual({
      "@esign-users/signable": "minor",
      "esign-users": "minor",
      "@esign-users/sandbox": "patch",
    });
  }, 90_000);

  it("rates a reworded description as a patch", async () => {
    editSpec(changeDescription);
    const run = specDiff(root);
    expect(run.code, run.out).toBe(0);
    expect(run.out).toContain("changed → patch");
    expect((await pendingChangesets(root))[0]?.releases.get("@esign-users/signable")).toBe("patch");
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
