import { describe, expectTypeOf, it } from "vitest";
import { createUserDirectory, type DirectoryOptions, type UserDirectory } from "../src/index.js";

// Type tests: vitest's typecheck compiles this file (it never runs it). Every
// `@ts-expect-error` must meet a real error; what the same calls do at run time is
// checked in options.test.ts.
const options = { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret", apiKey: "key" };

describe("capabilities in the types", () => {
  it("a literal quicklysign directory has no list and no remove", () => {
    const dir = createUserDirectory({ provider: "quicklysign", ...options });
    // @ts-expect-error QuicklySign cannot list users
    void dir.list;
    // @ts-expect-error QuicklySign cannot remove users
    void dir.remove;
    expectTypeOf(dir.get).toBeFunction();
    expectTypeOf(dir.createMany).toBeFunction();
  });

  it("providers that can list keep list in their type", () => {
    const dir = createUserDirectory({ provider: "signable", apiKey: "k", baseUrl: "http://127.0.0.1:9" });
    expectTypeOf(dir.list).toBeFunction();
    expectTypeOf(dir.remove).toBeFunction();
  });

  it("each provider takes its own options, and refuses another's", () => {
    // @ts-expect-error signable takes an apiKey, not a clientId
    createUserDirectory({ provider: "signable", clientId: "x", baseUrl: "http://127.0.0.1:9" });
    // @ts-expect-error no such provider
    createUserDirectory({ provider: "hellosign", apiKey: "k" });
  });

  it("with the provider known only at run time, list and remove compile", () => {
    const chosen: DirectoryOptions = { provider: "quicklysign", ...options } as DirectoryOptions;
    const dir: UserDirectory = createUserDirectory(chosen);
    expectTypeOf(dir.list).toBeFunction();
    expectTypeOf(dir.remove).toBeFunction();
  });
});
