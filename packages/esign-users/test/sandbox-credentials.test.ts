import { createBoldSignClient } from "@esign-users/boldsign";
import { createDocuSignClient } from "@esign-users/docusign";
import { createQuicklySignClient } from "@esign-users/quicklysign";
import { type ProviderName, providerNames, startSandbox } from "@esign-users/sandbox";
import { createSignableClient } from "@esign-users/signable";
import { describe, expect, it } from "vitest";
import { createUserDirectory, type DirectoryOptions } from "../src/index.js";
import { facadeProvider } from "./setups.js";

// The pattern every README shows: a sandbox's credentials and URL, spread into a client's
// options. It must work as written for every sandbox, with the provider's own client
// and with the facade.

/** One read with the provider's own client, built from `{ ...sb.credentials, baseUrl: sb.url }` alone. */
const readWithClient: Record<ProviderName, (options: Record<string, unknown>) => Promise<unknown>> = {
  signable: (o) => createSignableClient(o as never).users.listPage(),
  boldsign: (o) => createBoldSignClient(o as never).users.listPage({ Page: 1 }),
  quicklysign: (o) => createQuicklySignClient(o as never).users.getSelf(),
  docusign: (o) => createDocuSignClient(o as never).users.listPage(),
  "docusign-v2": (o) => createDocuSignClient(o as never).users.listPage(),
};

describe.each(providerNames)("%s: { ...sb.credentials, baseUrl: sb.url }", (name) => {
  it("is a working client, and a working directory that reaches a user", async () => {
    const sb = await startSandbox({ provider: name });
    try {
      const options = { ...sb.credentials, baseUrl: sb.url, rateLimit: false } as Record<string, unknown>;
      await readWithClient[name](options);
      expect(sb.requests.at(-1)?.status).toBe(200);

      const dir = createUserDirectory({ provider: facadeProvider(name), ...options } as DirectoryOptions);
      const someone = dir.capabilities.list.supported ? (await dir.list().toArray())[0] : await dir.get("self");
      const created = await dir.create({ email: `cred.${name}@example.com`, firstName: "Cred", lastName: "Check" });
      expect(created.email).toBe(`cred.${name}@example.com`);
      if (someone) expect((await dir.get(dir.capabilities.get.scope === "any user" ? someone.id : "self")).id).toBe(someone.id);
      else expect((await dir.list().toArray()).map((u) => u.email)).toContain(created.email);
      // Nothing else was needed: no second credential set, no user made by hand.
      expect(Object.keys(sb.otherCredentials).every((k) => !(k in sb.credentials))).toBe(true);
    } finally {
      await sb.close();
    }
  });
});
