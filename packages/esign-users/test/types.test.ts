import { describe, expect, expectTypeOf, it } from "vitest";
import {
  createUserDirectory,
  type DirectoryOptions,
  UnsupportedOperationError,
  type UserDirectory,
} from "../src/index.js";

// These checks run in `tsc --noEmit` (the package's typecheck includes test/): an
// `@ts-expect-error` line that compiled would itself be an error.
const options = { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret", apiKey: "key" };

describe("capabilities in the types", () => {
  it("a literal quicklysign directory has no list and no remove", () => {
    const dir = createUserDirectory({ provider: "quicklysign", ...options });
    // @ts-expect-error QuicklySign cannot list users
    expect(dir.list).toBeTypeOf("function");
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
    expect(() => createUserDirectory({ provider: "signable", clientId: "x", baseUrl: "http://127.0.0.1:9" })).toThrow(
      /apiKey/,
    );
    // @ts-expect-error no such provider
    expect(() => createUserDirectory({ provider: "hellosign", apiKey: "k" })).toThrow(/unknown provider/);
  });

  it("with the provider known only at run time, list compiles and throws UnsupportedOperationError", () => {
    const chosen: DirectoryOptions = { provider: "quicklysign", ...options } as DirectoryOptions;
    const dir: UserDirectory = createUserDirectory(chosen);
    expect(() => dir.list()).toThrow(UnsupportedOperationError);
    return expect(dir.remove("x")).rejects.toBeInstanceOf(UnsupportedOperationError);
  });
});
