import { providerNames, startSandbox } from "@esign-users/sandbox";
import { describe, expect, it } from "vitest";
import { createUserDirectory, type DirectoryOptions, providers } from "../src/index.js";
import { facadeProvider } from "./setups.js";

// The pattern every README shows: a sandbox's credentials and URL, spread into a client's
// options. It must work as written for every sandbox, for the provider's own client (which
// the directory makes from them) and for the facade.

// Every sandbox whose provider the facade knows (a scaffolded one joins once its adapter is registered).
const served = providerNames.filter((name) => (providers as string[]).includes(facadeProvider(name)));

describe.each(served)("%s: { ...sb.credentials, baseUrl: sb.url }", (name) => {
  it("is a working client, and a working directory that reaches a user", async () => {
    const sb = await startSandbox({ provider: name });
    try {
      const options = { ...sb.credentials, baseUrl: sb.url, rateLimit: false } as Record<string, unknown>;
      // The directory makes the provider's own client from exactly these options.
      const dir = createUserDirectory({ provider: facadeProvider(name), ...options } as DirectoryOptions);
      expect(dir.raw).toBeDefined();
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
