import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse, parseDocument } from "yaml";
import { diffApis, levelOf } from "../lib/api-changes.ts";
import { levelBetween } from "../lib/semver-level.ts";
import { repoRoot } from "../lib/specs.ts";

type Doc = ReturnType<typeof parseDocument>;
const source = readFileSync(join(repoRoot, "specs", "signable.yaml"), "utf8");

/** The changes an edit of the real Signable spec makes, as `impact text` lines. */
function changesAfter(edit: (doc: Doc) => void): string[] {
  const doc = parseDocument(source);
  edit(doc);
  return diffApis(parse(source), parse(doc.toString())).map((c) => `${c.impact} ${c.text}`);
}

describe("diffApis, on edits of specs/signable.yaml", () => {
  it("finds nothing when nothing changed", () => {
    expect(changesAfter(() => {})).toEqual([]);
  });

  it("names a removed and a new operation by their method names, with their paths", () => {
    expect(
      changesAfter((doc) => {
        doc.deleteIn(["paths", "/users/{user_id}", "delete"]);
        doc.setIn(
          ["paths", "/users/search", "get"],
          doc.createNode({ operationId: "searchUsers", responses: { "200": { description: "ok" } } }),
        );
      }),
    ).toEqual(["major Removed the operation `deleteUser` (`DELETE /users/{user_id}`).", "minor New operation `searchUsers`: `GET /users/search`."]);
  });

  it("sees a new operationId on the same method and path as a renamed client method, nothing else", () => {
    expect(changesAfter((doc) => doc.setIn(["paths", "/users", "get", "operationId"], "listAllUsers"))).toEqual([
      "major The operation `GET /users` is now `listAllUsers` (was `listUsers`): its client method has the new name.",
    ]);
  });

  it("rates request fields by what callers must send: a new required field is major, a new optional one minor", () => {
    const required = changesAfter((doc) => {
      doc.setIn(["components", "schemas", "CreateUserForm", "properties", "user_role"], doc.createNode({ type: "string" }));
      const list = (doc.getIn(["components", "schemas", "CreateUserForm", "required"]) as { toJSON(): string[] }).toJSON();
      doc.setIn(["components", "schemas", "CreateUserForm", "required"], doc.createNode([...list, "user_role"]));
    });
    expect(required).toEqual(["major `CreateUserForm` has a new required property `user_role` (`string`)."]);
    const optional = changesAfter((doc) =>
      doc.setIn(["components", "schemas", "CreateUserForm", "properties", "user_role"], doc.createNode({ type: "string" })),
    );
    expect(optional).toEqual(["minor `CreateUserForm` has a new optional property `user_role` (`string`)."]);
  });

  it("rates answers by what readers rely on: a property no longer required or of another type is major", () => {
    expect(
      changesAfter((doc) => {
        const list = (doc.getIn(["components", "schemas", "User", "required"]) as { toJSON(): string[] }).toJSON();
        doc.setIn(["components", "schemas", "User", "required"], doc.createNode(list.filter((r) => r !== "user_name")));
        doc.setIn(["components", "schemas", "User", "properties", "user_email"], doc.createNode({ type: "integer" }));
      }),
    ).toEqual([
      "major `user_name` of `User` is now optional.",
      "major `user_email` of `User` is now `integer` (was `string`).",
    ]);
  });

  it("names parameters made required, and tightened or loosened limits, by direction", () => {
    const changes = changesAfter((doc) => {
      const params = doc.getIn(["paths", "/users", "get", "parameters"]) as { items: unknown[] };
      params.items.splice(0, params.items.length, ...(doc.createNode([{ name: "offset", in: "query", required: true, schema: { type: "integer", minimum: 0 } }]) as { items: unknown[] }).items);
    });
    expect(changes.some((c) => /^major .*`listUsers` no longer takes the query parameter `limit`\.$/.test(c))).toBe(true);
    expect(changes).toContain("major The query parameter `offset` of `listUsers` is now required.");
  });

  it("reports reworded prose as a patch", () => {
    const changes = changesAfter((doc) =>
      doc.setIn(["components", "schemas", "User", "properties", "user_name", "description"], "The user's full name."),
    );
    expect(changes).toEqual(["patch Reworded the description of `user_name` of `User`."]);
    expect(levelOf(diffApis(parse(source), parse(source)))).toBe("none");
  });
});

describe("levelBetween (semver.diff)", () => {
  it("says how much a version grew, and none when it did not", () => {
    expect(levelBetween("0.1.0", "0.2.0")).toBe("minor");
    expect(levelBetween("0.1.0", "0.1.1")).toBe("patch");
    expect(levelBetween("0.1.0", "1.0.0")).toBe("major");
    expect(levelBetween("1.2.3", "2.0.0-rc.0")).toBe("major");
    expect(levelBetween("0.2.0", "0.1.0")).toBe("none");
    expect(levelBetween("0.2.0", "0.2.0")).toBe("none");
  });
});
