/**
 * "Edit a spec, run `npm run generate`, and the clients follow" — tried for real in a
 * copy of the repository: a new optional query parameter, a new response property,
 * a new constrained body field and a new operation are added to specs/signable.yaml;
 * `npm run generate` runs; a consumer file that uses all four through the typed
 * methods and `list()` passes `tsc` and then runs against the sandbox. No
 * hand-written file changes.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../lib/specs.ts";
import { copyRepository } from "./copy-repository.ts";

let copy: string;

/** A hash of every file a person writes: everything but the generated folders. */
function handWritten(root: string): Map<string, string> {
  const hashes = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const rel = join(dir, entry.name);
      if (entry.name === "node_modules" || entry.name === "dist" || rel.includes(`${join("src", "generated")}`)) continue;
      if (entry.isDirectory()) walk(rel);
      else hashes.set(rel, createHash("sha256").update(readFileSync(join(root, rel))).digest("hex"));
    }
  };
  walk("packages");
  walk("scripts");
  return hashes;
}

function editSpec(root: string): void {
  const file = join(root, "specs", "signable.yaml");
  let spec = readFileSync(file, "utf8");
  const replace = (from: string, to: string) => {
    if (!spec.includes(from)) throw new Error(`the signable spec no longer contains ${JSON.stringify(from)}`);
    spec = spec.replace(from, to);
  };
  // 1. An optional query parameter of the list operation.
  replace(
    "        - $ref: '#/components/parameters/Limit'\n",
    "        - $ref: '#/components/parameters/Limit'\n        - name: team_id\n          in: query\n          required: false\n          description: Only the users of this team.\n          schema:\n            type: integer\n            minimum: 1\n",
  );
  // 2. A response property, and 3. a constrained body field.
  replace(
    "        user_email:\n          type: string\n          format: email\n        user_added:\n",
    "        user_email:\n          type: string\n          format: email\n        user_title:\n          type: string\n          description: The user's job title.\n        user_added:\n",
  );
  replace(
    "          description: The address Signable invites; unique across the account.\n",
    "          description: The address Signable invites; unique across the account.\n        user_title:\n          type: string\n          maxLength: 20\n          description: The user's job title.\n",
  );
  // 4. A new operation, with no x-esign-method: named from its tag and operationId.
  replace(
    "components:\n  securitySchemes:",
    [
      "  /users/{user_id}/activity:",
      "    parameters:",
      "      - $ref: '#/components/parameters/UserId'",
      "    get:",
      "      operationId: getUserActivity",
      "      tags: [Users]",
      "      summary: A user's recent activity",
      "      responses:",
      "        '200':",
      "          description: The activity.",
      "          content:",
      "            application/json:",
      "              schema:",
      "                type: object",
      "                required: [http, events]",
      "                properties:",
      "                  http:",
      "                    type: integer",
      "                    const: 200",
      "                  events:",
      "                    type: array",
      "                    items:",
      "                      type: string",
      "        '404':",
      "          $ref: '#/components/responses/NotFound'",
      "components:",
      "  securitySchemes:",
    ].join("\n"),
  );
  writeFileSync(file, spec);
}

const consumer = `
import { startSandbox } from "@esign-users/sandbox";
import { createSignableClient, type SignableUser, ValidationError } from "@esign-users/signable";

const sb = await startSandbox({ provider: "signable" });
try {
  const signable = createSignableClient({ ...sb.credentials, baseUrl: sb.url, rateLimit: false });
  // 3. The new body field, with its constraint.
  const created = await signable.users.create({ user_name: "Ada Lovelace", user_email: "ada@example.com", user_title: "Analyst" });
  const refused = await signable.users
    .create({ user_name: "Grace Hopper", user_email: "grace@example.com", user_title: "x".repeat(21) })
    .catch((e: unknown) => e);
  // 1. The new query parameter, through list(); 2. the new response property, typed.
  const titles: (string | undefined)[] = [];
  for await (const user of signable.users.list({ team_id: 1, limit: 10 })) {
    const title: string | undefined = user.user_title;
    const typed: SignableUser = user;
    titles.push(title ?? typed.user_email);
  }
  // @ts-expect-error team_id is an integer (never called: list() would refuse it at once)
  const wrong = () => signable.users.list({ team_id: "one" });
  void wrong;
  // 4. The new operation, as a typed method.
  const activity = await signable.users.getUserActivity({ user_id: created.user_id });
  const events: string[] = activity.events;
  const listed = sb.requests.find((r) => r.operationId === "listUsers");
  console.log(
    JSON.stringify({
      created: created.user_email,
      refused: refused instanceof ValidationError ? { field: refused.field, rule: refused.rule } : String(refused),
      titles,
      listQuery: listed?.rawQuery,
      activity: { http: activity.http, events },
      problems: sb.requests.map((r) => r.problems?.length ?? 0),
    }),
  );
} finally {
  await sb.close();
}
`;

describe("a spec change alone is enough", () => {
  beforeAll(() => {
    copy = copyRepository();
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("adds a query parameter, a response property, a constrained body field and an operation, with no hand edit", () => {
    const before = handWritten(copy);
    editSpec(copy);
    const generate = spawnSync(process.execPath, ["--import", "tsx/esm", "scripts/generate.ts"], { cwd: copy, encoding: "utf8" });
    expect(generate.status, generate.stderr).toBe(0);
    expect(generate.stdout).toContain("specs/signable.yaml");
    // Nothing a person writes changed; only generated files did.
    expect(handWritten(copy)).toEqual(before);

    mkdirSync(join(copy, "consumer"));
    writeFileSync(join(copy, "consumer", "check.ts"), consumer);
    writeFileSync(
      join(copy, "consumer", "tsconfig.json"),
      JSON.stringify({ extends: "../tsconfig.base.json", compilerOptions: { noEmit: true }, include: ["check.ts"] }),
    );
    const tsc = spawnSync(process.execPath, [join(repoRoot, "node_modules", "typescript", "bin", "tsc"), "-p", "consumer"], {
      cwd: copy,
      encoding: "utf8",
    });
    expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);

    const run = spawnSync(process.execPath, ["--conditions=@esign-users/source", "--import", "tsx/esm", "consumer/check.ts"], {
      cwd: copy,
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(run.status, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(out.created).toBe("ada@example.com");
    expect(out.refused).toEqual({ field: "user_title", rule: "maxLength" });
    expect(out.titles).toEqual(["ada@example.com"]);
    expect(out.listQuery).toBe("offset=0&limit=10&team_id=1");
    expect(out.activity).toEqual({ http: 200, events: [] });
    // Every request the consumer sent met the new spec.
    expect(out.problems.every((n: number) => n === 0)).toBe(true);
  });
});
