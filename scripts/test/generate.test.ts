import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { headerHash } from "../lib/freshness.ts";
import { buildApi, stripDocumentation } from "../lib/operations.ts";

// Specs built inline, edited through paths a type cannot follow.
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
import { describeSpec, repoRoot, sha256 } from "../lib/specs.ts";

const script = join(repoRoot, "scripts", "generate.ts");

function generate(root: string, ...args: string[]) {
  const run = spawnSync(process.execPath, ["--import", "tsx/esm", script, `--root=${root}`, ...args], {
    cwd: repoRoot,
    encoding: "utf8",
  });
  return { code: run.status, out: run.stdout, err: run.stderr };
}

let root: string;
const specFile = () => join(root, "specs", "signable.yaml");
const generated = (provider: string, file: string) => join(root, "packages", provider, "src", "generated", file);
const read = (file: string) => readFileSync(file, "utf8");

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "esign-generate-"));
  mkdirSync(join(root, "specs"));
  cpSync(join(repoRoot, "specs", "signable.yaml"), specFile());
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("scripts/generate", () => {
  it("writes types, the operations table and the sandbox spec, each with a DO-NOT-EDIT header carrying the spec hash", () => {
    const first = generate(root);
    expect(first.code).toBe(0);
    expect(first.out).toContain("specs/signable.yaml → 5 operations, 4 file(s) changed");
    const hash = sha256(read(specFile()));
    for (const file of [
      generated("signable", "schema.ts"),
      generated("signable", "operations.ts"),
      generated("signable", "client.ts"),
      join(root, "packages", "sandbox", "src", "generated", "signable.ts"),
    ]) {
      const content = read(file);
      expect(content.startsWith("// DO NOT EDIT.")).toBe(true);
      expect(headerHash(content)).toBe(hash);
    }
    expect(read(generated("signable", "operations.ts"))).toMatch(/\bcreateUser: \{/);
    expect(read(generated("signable", "schema.ts"))).toContain("export interface operations");

    const second = generate(root);
    expect(second.code).toBe(0);
    expect(second.out).toContain("1 spec(s) unchanged, nothing to do");
    expect(generate(root, "--check").code).toBe(0);
  });

  it("regenerates only the spec that changed, and --check fails until it is regenerated", () => {
    cpSync(specFile(), join(root, "specs", "othersign.yaml"));
    expect(generate(root).code).toBe(0);
    const otherBefore = read(generated("othersign", "schema.ts"));

    const edited = read(specFile()).replace(
      "        - $ref: '#/components/parameters/Limit'\n",
      "        - $ref: '#/components/parameters/Limit'\n        - name: team_id\n          in: query\n          description: Only this team's users.\n          schema:\n            type: integer\n",
    );
    writeFileSync(specFile(), edited);

    const stale = generate(root, "--check");
    expect(stale.code).toBe(1);
    expect(stale.err).toContain("packages/signable/src/generated/schema.ts: stale");
    expect(stale.err).toContain("packages/signable/src/generated/operations.ts: stale");
    expect(stale.err).not.toContain("othersign");

    const run = generate(root);
    expect(run.code).toBe(0);
    expect(run.out).toContain("specs/signable.yaml");
    expect(run.out).not.toContain("othersign.yaml");
    // What changed in the API, not only which files.
    expect(run.out).toContain("    API changes (a minor release):\n      minor  `listUsers` takes a new optional query parameter `team_id`.\n");
    expect(read(generated("othersign", "schema.ts"))).toBe(otherBefore);
    expect(read(generated("signable", "operations.ts"))).toMatch(/name: "team_id",\s*in: "query"/);
    expect(generate(root, "--check").code).toBe(0);
  });

  it("says which operations and fields were added, removed or changed, and when only prose changed", () => {
    const first = generate(root);
    expect(first.out).toContain("API: new, 5 operation(s)");
    const spec = parseDocument(read(specFile()));
    spec.deleteIn(["paths", "/users/{user_id}", "delete"]);
    spec.deleteIn(["components", "schemas", "User", "properties", "team_id"]);
    spec.setIn(["components", "schemas", "User", "properties", "user_role"], spec.createNode({ type: "string" }));
    writeFileSync(specFile(), spec.toString());
    const changed = generate(root);
    expect(changed.code, changed.err).toBe(0);
    expect(changed.out).toContain(
      [
        "    API changes (a major release):",
        "      major  Removed the operation `deleteUser` (`DELETE /users/{user_id}`).",
        "      major  `User` no longer has the property `team_id`.",
        "      minor  `User` has a new optional property `user_role` (`string`).",
      ].join("\n"),
    );
    expect(changed.out).not.toMatch(/renamed/);

    spec.setIn(["info", "description"], "Reworded.");
    writeFileSync(specFile(), spec.toString());
    expect(generate(root).out).toContain("API: unchanged (prose or formatting only)");
  }, 180_000);

  it("--check names a hand-edited, a deleted and an added file, and a plain generate repairs them (its advice is true)", () => {
    expect(generate(root).code).toBe(0);
    const pristine = read(generated("signable", "operations.ts"));
    const file = generated("signable", "operations.ts");
    writeFileSync(file, pristine.replace("idempotent: false", "idempotent: true"));
    rmSync(generated("signable", "client.ts"));
    writeFileSync(generated("signable", "extra.ts"), "export const x = 1;\n");
    const check = generate(root, "--check");
    expect(check.code).toBe(1);
    expect(check.err).toContain("packages/signable/src/generated/operations.ts: hand-edited");
    expect(check.err).toContain("packages/signable/src/generated/client.ts: missing");
    expect(check.err).toContain("packages/signable/src/generated/extra.ts: not generated");
    expect(check.err).toContain("Run `npm run generate`");
    // Without --all: the spec did not change, but what is on disk is not what it makes.
    const repair = generate(root);
    expect(repair.code).toBe(0);
    expect(repair.out).toContain("packages/signable/src/generated/operations.ts");
    expect(read(file)).toBe(pristine);
    rmSync(generated("signable", "extra.ts"));
    expect(generate(root, "--check").code).toBe(0);
  });

  it("a YAML syntax error names the file and line and leaves the generated code untouched", () => {
    expect(generate(root).code).toBe(0);
    const before = read(generated("signable", "schema.ts"));
    const lines = read(specFile()).split("\n");
    lines[40] = `${lines[40]}\n  broken: [unclosed`;
    writeFileSync(specFile(), lines.join("\n"));
    const run = generate(root);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/specs\/signable\.yaml:\d+ yaml-syntax /);
    expect(run.err).toContain("the previous generated code is untouched");
    expect(read(generated("signable", "schema.ts"))).toBe(before);
  });

  it("a spec error (unresolvable $ref, missing operationId) is reported as file:line rule message", () => {
    expect(generate(root).code).toBe(0);
    const before = read(generated("signable", "operations.ts"));
    const source = read(specFile())
      .replace("operationId: getUser", "x-note: no id")
      .replace("$ref: '#/components/schemas/UserList'", "$ref: '#/components/schemas/Missing'");
    writeFileSync(specFile(), source);
    const run = generate(root);
    expect(run.code).toBe(1);
    const lineOf = (needle: string) => source.split("\n").findIndex((l) => l.includes(needle)) + 1;
    expect(run.err).toContain(`specs/signable.yaml:${lineOf("#/components/schemas/Missing")} no-unresolved-refs`);
    expect(run.err).toMatch(/specs\/signable\.yaml:\d+ operation-operationId /);
    expect(read(generated("signable", "operations.ts"))).toBe(before);
    expect(generate(root, "--check").code).toBe(1);
  });

  it("rejects unknown options and unknown spec names", () => {
    expect(generate(root, "--nope").code).toBe(2);
    const run = generate(root, "nospec");
    expect(run.code).toBe(2);
    expect(run.err).toContain("no spec named nospec");
  });
});

describe("spec naming", () => {
  it("maps <provider>-v<version>.yaml to a version folder of the provider package", () => {
    const target = describeSpec("/repo/specs/docusign-v2.1.yaml", "/repo");
    expect(target).toMatchObject({ provider: "docusign", version: "v2.1", name: "docusign-v2.1" });
    expect(target.outDir).toBe("/repo/packages/docusign/src/generated/v2.1");
    expect(target.sandboxFile).toBe("/repo/packages/sandbox/src/generated/docusign-v2.1.ts");
    expect(describeSpec("/repo/specs/signable.yaml", "/repo").outDir).toBe("/repo/packages/signable/src/generated");
    expect(() => describeSpec("/repo/specs/Bad_Name.yaml", "/repo")).toThrow(/must look like/);
  });
});

describe("operations table", () => {
  const doc = {
    openapi: "3.1.0",
    paths: {
      "/things/{id}": {
        parameters: [{ $ref: "#/components/parameters/Id" }],
        put: {
          operationId: "putThing",
          parameters: [{ name: "dryRun", in: "query", schema: { type: "boolean" } }],
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } },
          },
          responses: { "200": { description: "ok", content: { "application/json": { schema: {} } } } },
        },
        post: {
          operationId: "pokeThing",
          "x-idempotent": true,
          requestBody: { content: { "image/png": { schema: { type: "string", format: "binary" } } } },
          responses: { "204": { description: "done" } },
        },
      },
    },
    components: {
      parameters: { Id: { name: "id", in: "path", required: true, schema: { type: "string" } } },
      schemas: {
        Thing: {
          allOf: [
            { type: "object", properties: { name: { type: "string" } } },
            { properties: { description: { type: "string" } } },
          ],
        },
      },
    },
  };

  it("records method, path, parameters with their rules, the body with its schema, security and idempotency", () => {
    const api = buildApi(doc, "things");
    expect(api.operations.putThing).toEqual({
      name: "putThing",
      method: "put",
      path: "/things/{id}",
      params: [
        { name: "id", in: "path", required: true, schema: { type: "string" } },
        { name: "dryRun", in: "query", schema: { type: "boolean" } },
      ],
      body: { media: ["application/json"], required: true, fields: ["name", "description"], schema: { $ref: "Thing" } },
      response: { media: ["application/json"] },
      idempotent: true,
      security: [],
    });
    expect(api.operations.pokeThing).toMatchObject({ body: { fields: null, media: ["image/png"] }, idempotent: true });
    // Component schemas are kept once, as the runtime checks them.
    expect(api.schemas.Thing).toEqual({
      allOf: [{ type: "object", properties: { name: { type: "string" } } }, { properties: { description: { type: "string" } } }],
    });
    expect(api.title).toBe("Things");
  });

  it("names methods from x-esign-method or tag and operationId, and refuses two operations on one method", () => {
    const tagged = structuredClone(doc) as Json;
    tagged.paths["/things/{id}"].put.tags = ["Thing store"];
    tagged.paths["/things/{id}"].post["x-esign-method"] = "things.poke";
    const api = buildApi(tagged, "things");
    expect(api.operations.putThing?.name).toBe("thingStore.putThing");
    expect(api.operations.pokeThing?.name).toBe("things.poke");
    tagged.paths["/things/{id}"].put["x-esign-method"] = "things.poke";
    expect(() => buildApi(tagged, "things")).toThrow(/operation pokeThing .* its method things\.poke is also the method of putThing; give one of them another x-esign-method/);
  });

  it("keeps operationIds and properties named __proto__ or constructor as ordinary entries", () => {
    const odd = {
      openapi: "3.1.0",
      paths: {
        "/a": {
          get: { operationId: "constructor", "x-esign-method": "odd.build", responses: { "200": { description: "ok" } } },
          post: {
            operationId: "__proto__",
            "x-esign-method": "odd.proto",
            requestBody: {
              content: {
                "application/json": {
                  schema: JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string","minLength":2}}}'),
                },
              },
            },
            responses: { "200": { description: "ok" } },
          },
        },
      },
    };
    const api = buildApi(odd, "odd");
    expect(Object.keys(api.operations)).toEqual(["constructor", "__proto__"]);
    expect(Object.hasOwn(api.operations, "__proto__")).toBe(true);
    expect(api.operations.__proto__?.body?.fields).toEqual(["__proto__"]);
    const stripped = stripDocumentation(odd.paths["/a"].post.requestBody) as Json;
    const props = stripped.content["application/json"].schema.properties;
    expect(Object.hasOwn(props, "__proto__")).toBe(true);
    expect(props.__proto__).toEqual({ type: "string", minLength: 2 });
  });

  it("checks the pagination, bulk and unwrap extensions against the operation they describe", () => {
    const paged = structuredClone(doc) as Json;
    paged.paths["/things"] = {
      get: {
        operationId: "listThings",
        parameters: [
          { name: "page", in: "query", schema: { type: "integer", minimum: 1 } },
          { name: "size", in: "query", schema: { type: "integer", minimum: 1, maximum: 40 } },
        ],
        "x-esign-pagination": { style: "page", page: "page", size: "size", items: "/things", totalPages: "/pages" },
        responses: {
          "200": {
            description: "ok",
            content: {
              "application/json": {
                schema: { type: "object", properties: { things: { type: "array", items: {} }, pages: { type: "integer" } } },
              },
            },
          },
        },
      },
    };
    expect(buildApi(paged, "things").operations.listThings?.pagination).toEqual({
      style: "page",
      param: "page",
      size: "size",
      maxSize: 40,
      items: "/things",
      totalPages: "/pages",
    });
    paged.paths["/things"].get["x-esign-pagination"].items = "/nothing";
    expect(() => buildApi(paged, "things")).toThrow(/items points at \/nothing, which the success response does not have/);
    paged.paths["/things"].get["x-esign-pagination"] = { style: "offset", offset: "from", items: "/things" };
    expect(() => buildApi(paged, "things")).toThrow(/offset names from, which is not a query parameter/);
  });

  it("turns x-esign-require-any into the JSON Schema the sandbox checks", () => {
    const stripped = stripDocumentation({
      type: "object",
      "x-esign-require-any": ["a", "b"],
      properties: { a: { type: "string" }, b: { type: "string" } },
    });
    expect(stripped).toEqual({
      type: "object",
      allOf: [{ anyOf: [{ required: ["a"] }, { required: ["b"] }] }],
      properties: { a: { type: "string" }, b: { type: "string" } },
    });
  });

  it("drops prose for the sandbox but keeps a property that is named description", () => {
    const stripped = stripDocumentation({
      description: "prose",
      properties: { description: { type: "string", description: "prose too" } },
      examples: [1],
    });
    expect(stripped).toEqual({ properties: { description: { type: "string" } } });
  });
});
