import { startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDocuSignClient, ValidationError } from "../src/index.js";
import type { DocuSignSandbox } from "./helpers.js";

let v2: DocuSignSandbox;
let v21: DocuSignSandbox;
beforeAll(async () => {
  [v2, v21] = await Promise.all([startSandbox({ provider: "docusign-v2" }), startSandbox({ provider: "docusign" })]);
});
afterAll(async () => {
  await Promise.all([v2.close(), v21.close()]);
});

describe("createDocuSignClient's version option", () => {
  it("defaults to v2.1", async () => {
    const ds = createDocuSignClient({ baseUrl: v21.url, ...v21.credentials });
    expect(ds.version).toBe("v2.1");
    await ds.users.listPage({});
    expect(v21.requests.at(-1)?.path).toBe(`/restapi/v2.1/accounts/${v21.credentials.accountId}/users`);
  });

  it('gives the v2 client for version: "v2"', async () => {
    const ds = createDocuSignClient({ baseUrl: v2.url, ...v2.credentials, version: "v2" });
    expect(ds.version).toBe("v2");
    await ds.users.listPage({});
    expect(v2.requests.at(-1)?.path).toBe(`/restapi/v2/accounts/${v2.credentials.accountId}/users`);
  });

  it("refuses an unknown version before any request", () => {
    expect(() =>
      createDocuSignClient({ baseUrl: v21.url, ...v21.credentials, version: "v3" as "v2" }),
    ).toThrow(ValidationError);
  });
});
