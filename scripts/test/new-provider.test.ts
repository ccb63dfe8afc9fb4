/**
 * `npm run new-provider` on a small made-up provider, in a copy of the repository:
 * the scaffolded package builds and type-checks, its own tests pass, and each of its
 * generated methods reaches the scaffolded sandbox module, which validates the
 * request against the spec.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { repoRoot } from "../lib/specs.ts";
import { copyRepository, linkPackage } from "./copy-repository.ts";

let copy: string;
const node = (args: string[], cwd: string, timeout = 120_000) =>
  spawnSync(process.execPath, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, CI: "true", TURBO_TELEMETRY_DISABLED: "1" } });
const bin = (pkg: string, file: string) => join(repoRoot, "node_modules", pkg, file);

const tour = `
import { startSandbox } from "@esign-users/sandbox";
import { createTinySignClient, ValidationError } from "@esign-users/tinysign";

const sb = await startSandbox({ provider: "tinysign" as never });
try {
  const tiny = createTinySignClient({ ...(sb.credentials as { apiKey: string }), baseUrl: sb.url });
  const added = await tiny.members.add({ email: "ada@example.com", role: "admin" });
  const got = await tiny.members.get({ member_id: added.member_id });
  const listed = await tiny.members.list({ per_page: 10 }).toArray();
  const refused = await tiny.members.add({ email: "not-an-email" }).catch((e: unknown) => e);
  const before = sb.requests.length;
  const raw = await tiny.raw.POST("/members", { body: { email: "not-an-email" } });
  console.log(JSON.stringify({
    added: typeof added.member_id,
    got: typeof got.email,
    listed: Array.isArray(listed),
    refused: refused instanceof ValidationError ? [refused.field, refused.rule] : String(refused),
    rawStatus: raw.response.status,
    rawError: raw.error,
    sent: sb.requests.slice(0, before).map((r) => [r.operationId, r.status, r.problems?.length, r.headers["x-tiny-key"]]),
    rawProblems: sb.requests.at(-1)?.problems?.length,
  }));
} finally {
  await sb.close();
}
`;

describe("npm run new-provider", () => {
  beforeAll(() => {
    copy = copyRepository();
    cpSync(join(repoRoot, "scripts", "test", "fixtures", "tinysign.yaml"), join(copy, "specs", "tinysign.yaml"));
  });
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it("refuses a provider without a spec, and a name that is not one", () => {
    const none = node(["--import", "tsx/esm", "scripts/new-provider.ts", "nosuchsign"], copy);
    expect(none.status).not.toBe(0);
    expect(none.stderr).toContain("specs/nosuchsign.yaml");
    const bad = node(["--import", "tsx/esm", "scripts/new-provider.ts", "Bad-Name", "extra"], copy);
    expect(bad.status).toBe(2);
  });

  it("scaffolds a package that builds, type-checks, passes its tests and reaches a sandbox that validates", { timeout: 600_000 }, () => {
    const run = node(["--import", "tsx/esm", "scripts/new-provider.ts", "tinysign"], copy);
    expect(run.status, run.stdout + run.stderr).toBe(0);
    for (const file of [
      "packages/tinysign/src/client.ts",
      "packages/tinysign/src/generated/operations.ts",
      "packages/tinysign/README.md",
      "packages/sandbox/src/providers/tinysign.ts",
      "packages/esign-users/src/adapters/tinysign.ts",
    ]) {
      expect(existsSync(join(copy, file)), file).toBe(true);
    }
    expect(readFileSync(join(copy, "packages/sandbox/src/providers/index.ts"), "utf8")).toContain("tinysign,");
    expect(JSON.parse(readFileSync(join(copy, "openapitools.json"), "utf8"))["generator-cli"].generators["tinysign-go"]).toBeDefined();
    linkPackage(copy, "tinysign");

    const pkg = join(copy, "packages", "tinysign");
    const build = node([bin("tsup", "dist/cli-default.js")], pkg);
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(existsSync(join(pkg, "dist", "index.d.ts"))).toBe(true);
    // The repository's type check (`npm run typecheck`): the new package, the sandbox and the facade that now import it.
    const tsc = node([bin("typescript", "bin/tsc"), "-p", "tsconfig.json", "--listFiles"], copy);
    expect(tsc.status, tsc.stdout).toBe(0);
    for (const file of ["packages/tinysign/src/client.ts", "packages/tinysign/test", "packages/sandbox/src/providers/tinysign.ts", "packages/esign-users/src/adapters/tinysign.ts"]) {
      expect(tsc.stdout, file).toContain(join(copy, file));
    }
    const tests = node([bin("vitest", "vitest.mjs"), "run"], pkg);
    expect(tests.status, tests.stdout + tests.stderr).toBe(0);

    writeFileSync(join(copy, "tour.ts"), tour);
    const ran = node(["--conditions=@esign-users/source", "--import", "tsx/esm", "tour.ts"], copy, 60_000);
    expect(ran.status, ran.stderr).toBe(0);
    const out = JSON.parse(ran.stdout.trim().split("\n").at(-1) ?? "{}");
    expect(out).toMatchObject({ added: "string", got: "string", listed: true, refused: ["email", "format"] });
    // Every method's request met the spec and carried the scheme's credential.
    expect(out.sent).toEqual([
      ["addMember", 201, 0, "sandbox-tinysign-api-key"],
      ["getMember", 200, 0, "sandbox-tinysign-api-key"],
      ["listMembers", 200, 0, "sandbox-tinysign-api-key"],
    ]);
    // The same bad input sent raw: the sandbox saw the breach and answered in the spec's error shape.
    expect(out.rawProblems).toBeGreaterThan(0);
    expect(out.rawStatus).toBe(400);
    expect(out.rawError).toMatchObject({ error: { name: "invalid_request", message: expect.stringContaining("email") } });
  });
});
