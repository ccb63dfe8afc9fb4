import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareSpecs } from "../lib/compare.ts";
import { repoRoot } from "../lib/specs.ts";

const official = {
  swagger: "2.0",
  paths: {
    "/v1/things/{thingId}": {
      put: {
        operationId: "Things_Put",
        parameters: [
          { name: "thingId", in: "path", required: true, type: "string" },
          { name: "dry_run", in: "query", type: "string" },
          { name: "body", in: "body", schema: { $ref: "#/definitions/thing" } },
        ],
        responses: { "200": { schema: { $ref: "#/definitions/thing" } } },
      },
    },
    "/v1/things": { get: { operationId: "Things_List", responses: {} } },
  },
  definitions: {
    thing: {
      type: "object",
      properties: {
        userName: { type: "string" },
        role: { type: "string", enum: ["Admin", "Member"] },
        tags: { type: "array", items: { $ref: "#/definitions/tag" } },
      },
    },
    tag: { type: "object", properties: { name: { type: "string" } } },
  },
};

function ours(thing: object, params: object[] = [{ name: "dry_run", in: "query", schema: { type: "string" } }]) {
  return {
    openapi: "3.1.0",
    paths: {
      "/v1/things/{thingId}": {
        parameters: [{ name: "thingId", in: "path", required: true, schema: { type: "string" } }],
        put: {
          operationId: "putThing",
          parameters: params,
          requestBody: { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } },
          responses: { "200": { content: { "application/json": { schema: { $ref: "#/components/schemas/Thing" } } } } },
        },
      },
    },
    components: {
      schemas: {
        Thing: thing,
        Tag: { type: "object", properties: { name: { type: "string" } } },
      },
    },
  };
}

const goodThing = {
  type: "object",
  properties: {
    userName: { type: "string" },
    role: { type: "string", enum: ["Admin", "Member"] },
    tags: { type: "array", items: { $ref: "#/components/schemas/Tag" } },
  },
};

describe("compareSpecs", () => {
  it("finds no mismatch when names, places, enums and shapes agree, and lists what we do not cover", () => {
    const result = compareSpecs(ours(goodThing), official);
    expect(result.mismatches).toEqual([]);
    expect(result.rows).toEqual([
      { key: "PUT /v1/things/{thingId}", ours: "putThing", official: "Things_Put", params: "2 ok", properties: "ok" },
    ]);
    expect(result.notCovered).toEqual(["GET /v1/things"]);
  });

  it("reports a parameter with the wrong casing, both ways", () => {
    const result = compareSpecs(ours(goodThing, [{ name: "dryRun", in: "query", schema: { type: "string" } }]), official);
    expect(result.mismatches.map((m) => m.message)).toEqual([
      "missing query dry_run",
      "query dryRun is not in the official definition",
    ]);
  });

  it("reports missing, extra and nested properties and enum differences", () => {
    const thing = {
      type: "object",
      properties: {
        username: { type: "string" },
        role: { type: "string", enum: ["Admin"] },
        tags: { type: "array", items: { type: "object", properties: { label: { type: "string" } } } },
      },
    };
    const messages = compareSpecs(ours(thing), official).mismatches.map((m) => `${m.where}: ${m.message}`);
    expect(messages).toContain("PUT /v1/things/{thingId} request: missing property userName");
    expect(messages).toContain("PUT /v1/things/{thingId} request: property username is not in the official definition");
    expect(messages).toContain("PUT /v1/things/{thingId} request.role: enum [Admin] where the official enum is [Admin,Member]");
    expect(messages).toContain("PUT /v1/things/{thingId} request.tags[]: missing property name");
  });

  it("accepts properties and parameters listed as later additions", () => {
    const thing = { ...goodThing, properties: { ...goodThing.properties, isNew: { type: "string" } } };
    // Request and response share the schema pair, so the extra property is reported once.
    expect(compareSpecs(ours(thing), official).mismatches).toHaveLength(1);
    expect(compareSpecs(ours(thing), official, { properties: ["isNew"] }).mismatches).toEqual([]);
  });

  it("reports an operation whose path is not in the official definition", () => {
    const doc = ours(goodThing);
    const paths = doc.paths as Record<string, unknown>;
    paths["/v1/thing/{thingId}"] = paths["/v1/things/{thingId}"];
    delete paths["/v1/things/{thingId}"];
    expect(compareSpecs(doc, official).mismatches[0]?.message).toContain("not in the official definition");
  });
});

describe("binary answers", () => {
  const officialImage = {
    swagger: "2.0",
    paths: { "/v1/pic": { get: { operationId: "Pic_Get", responses: { "200": { schema: { type: "file" } } } } } },
  };
  const oursWith = (content: object | undefined) => ({
    openapi: "3.1.0",
    paths: { "/v1/pic": { get: { operationId: "getPic", responses: { "200": { description: "image", ...(content ? { content } : {}) } } } } },
  });

  it("an image response stands for Swagger 2's file schema", () => {
    const ours = oursWith({ "image/png": { schema: { format: "binary" } } });
    expect(compareSpecs(ours, officialImage).mismatches).toEqual([]);
  });

  it("a response with no body where the official one has a file is reported", () => {
    expect(compareSpecs(oursWith(undefined), officialImage).mismatches[0]?.message).toContain("has a body here");
  });
});

describe("npm run compare:official", () => {
  const reference = join(repoRoot, "..", "shared", "reference");
  const run = () =>
    spawnSync(process.execPath, ["--import", "tsx/esm", join(repoRoot, "scripts", "compare-official.ts")], {
      cwd: repoRoot,
      encoding: "utf8",
    });

  // The official files are not ours to commit: they sit beside the checkout (as in CI) or not at all.
  it("reports no mismatch against the official definitions, or says plainly where they are missing", () => {
    const result = run();
    if (existsSync(reference)) {
      expect(result.stdout + result.stderr).not.toContain("✗");
      expect(result.stdout).toContain("0 mismatch(es)");
      expect(result.status).toBe(0);
    } else {
      expect(result.status).toBe(2);
      expect(result.stderr).toContain("no reference folder at");
    }
  });
});
