import { type ProviderName, startSandbox } from "@esign-users/sandbox";
import { describe, expect, it } from "vitest";
import { api, createDropboxSignClient } from "../src/index.js";

describe("createDropboxSignClient", () => {
  it("has a method for every operation of the spec, and reaches the sandbox with its credentials", async () => {
    const sb = await startSandbox({ provider: "dropboxsign" as ProviderName });
    try {
      const client = createDropboxSignClient({ ...(sb.credentials as object), baseUrl: sb.url } as never) as unknown as Record<
        string,
        Record<string, (input?: object) => Promise<unknown>>
      >;
      const methodOf = (name: string, paged: boolean) => {
        const [namespace, method] = name.includes(".") ? name.split(".") : ["", name];
        const holder = (namespace ? client[namespace as string] : client) as Record<string, unknown>;
        return holder?.[`${method}${paged ? "Page" : ""}`];
      };
      for (const op of Object.values(api.operations)) {
        expect(typeof methodOf(op.name, op.pagination !== undefined), op.name).toBe("function");
      }
      // The operations that need no input reach the sandbox, which checks them against the spec.
      for (const [id, op] of Object.entries(api.operations)) {
        const needsInput = op.params.some((p) => p.required) || op.body?.required === true;
        if (needsInput) continue;
        const method = methodOf(op.name, op.pagination !== undefined) as (input?: object) => Promise<unknown>;
        // Each from the seeded state: the sandbox keeps state, and DELETE /team/destroy leaves the caller no team for /team/info.
        sb.reset();
        await method({});
        expect(sb.requests.at(-1)?.operationId, id).toBe(id);
        expect(sb.requests.at(-1)?.problems, id).toEqual([]);
      }
    } finally {
      await sb.close();
    }
  });
});
