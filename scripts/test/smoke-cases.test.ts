import { type Sandbox, startSandbox } from "@esign-users/sandbox";
import { createUserDirectory } from "esign-users";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OperationEntry, PaginationEntry } from "../lib/operations.ts";
import { facadeBody, type SmokeCase, smokeCases, smokeReadOf } from "../lib/smoke-cases.ts";
import { listSpecs } from "../lib/specs.ts";

/**
 * release:verify runs these cases against packages installed from a registry; here
 * the same lines run against the workspace's sources and the sandbox, so a case that
 * could not pass is caught by `npm test`, not at release time.
 */
const cases = smokeCases();
type AnyClient = Record<string, unknown>;
const AsyncFunction = (async () => {}).constructor as new (...args: string[]) => (...values: unknown[]) => Promise<unknown>;
const run = (body: string, client: unknown, sandbox: Sandbox<object>) =>
  new AsyncFunction("client", "sandbox", "tag", body)(client, sandbox, `t${Date.now().toString(36)}`);
// The options expression is the same for every case; it is evaluated as written.
const optionsOf = (smoke: SmokeCase, sandbox: Sandbox<object>) =>
  new Function("sandbox", `return (${smoke.options});`)(sandbox) as Record<string, unknown>;

const sandboxes = new Map<string, Sandbox<object>>();
beforeAll(async () => {
  for (const smoke of Object.values(cases)) {
    sandboxes.set(smoke.sandbox, await startSandbox({ provider: smoke.sandbox as never }));
  }
});
afterAll(async () => {
  await Promise.all([...sandboxes.values()].map((sb) => sb.close()));
});

describe("release:verify's smoke cases, derived from the specs", () => {
  it("has one for every provider package that specs/ generates, Dropbox Sign included", () => {
    expect(Object.keys(cases).sort()).toEqual([...new Set(listSpecs().map((s) => s.provider))].sort());
    expect(cases.dropboxsign?.factory).toBe("createDropboxSignClient");
    expect(cases.docusign?.body).toContain("client.users.list()");
  });

  it.each(Object.entries(cases))("%s: the provider client's lines pass against its sandbox", async (folder, smoke) => {
    const sandbox = sandboxes.get(smoke.sandbox)!;
    const mod = (await import(`@esign-users/${folder}`)) as Record<string, (options: object) => AnyClient>;
    const factory = mod[smoke.factory];
    expect(factory, `${smoke.factory} is exported by @esign-users/${folder}`).toBeTypeOf("function");
    const client = factory!({ ...optionsOf(smoke, sandbox), maxRetries: 0 });
    const before = sandbox.requests.length;
    const printed = await run(smoke.body, client, sandbox);
    expect(printed).toMatch(/^[\w.]+: \d+ (item|field)\(s\)$/);
    // The read reached the sandbox, with the credentials it handed out.
    const answered = sandbox.requests.slice(before).map((r) => r.status);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((status) => status !== undefined && status < 300), `statuses ${answered.join(", ")}`).toBe(true);
  });

  it.each(Object.entries(cases))("%s: the facade's lines pass with the same options", async (_folder, smoke) => {
    const sandbox = sandboxes.get(smoke.sandbox)!;
    const client = createUserDirectory({ provider: smoke.facadeProvider, ...optionsOf(smoke, sandbox) } as never);
    expect(await run(facadeBody, client, sandbox)).toMatch(new RegExp(`^${smoke.facadeProvider}: facade-t\\w+@example\\.com$`));
  });

  it("a spec without a GET that needs nothing from the caller has no smoke read, and says so", () => {
    const op = (method: string, params: OperationEntry["params"], pagination?: PaginationEntry): OperationEntry => ({
      name: "users.x",
      method,
      path: "/x",
      params,
      response: { media: [] },
      idempotent: true,
      security: [],
      ...(pagination ? { pagination } : {}),
    });
    expect(smokeReadOf({ a: op("post", []), b: op("get", [{ name: "id", in: "path", required: true }]) })).toBeUndefined();
    expect(smokeReadOf({ b: op("get", [{ name: "accountId", in: "path", required: true }]) }, { accountId: "accountId" })).toEqual({
      operation: "b",
      method: "users.x",
      paginated: false,
    });
    expect(
      smokeReadOf({ c: op("get", [{ name: "Page", in: "query", required: true }], { style: "page", param: "Page", items: "/r" }) }),
    ).toEqual({ operation: "c", method: "users.x", paginated: true });
  });
});
