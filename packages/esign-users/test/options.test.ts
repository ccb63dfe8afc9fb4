import { describe, expect, it } from "vitest";
import { createUserDirectory, type DirectoryOptions, UnsupportedOperationError, type UserDirectory } from "../src/index.js";

// What types.test-d.ts refuses at compile time, refused again at run time (for
// JavaScript callers and options built at run time).
const options = { baseUrl: "http://127.0.0.1:9", clientId: "id", clientSecret: "secret", apiKey: "key" };

describe("options checked at run time", () => {
  it("each provider takes its own options, and refuses another's", () => {
    expect(() => createUserDirectory({ provider: "signable", clientId: "x", baseUrl: "http://127.0.0.1:9" } as never)).toThrow(/apiKey/);
    expect(() => createUserDirectory({ provider: "hellosign", apiKey: "k" } as never)).toThrow(/unknown provider/);
  });

  it("with the provider known only at run time, list and remove throw UnsupportedOperationError", () => {
    const chosen: DirectoryOptions = { provider: "quicklysign", ...options } as DirectoryOptions;
    const dir: UserDirectory = createUserDirectory(chosen);
    expect(() => dir.list()).toThrow(UnsupportedOperationError);
    return expect(dir.remove("x")).rejects.toBeInstanceOf(UnsupportedOperationError);
  });

  it("a literal quicklysign directory, whose type has no list, still has one at run time that refuses", () => {
    const dir = createUserDirectory({ provider: "quicklysign", ...options }) as unknown as { list(): unknown };
    expect(dir.list).toBeTypeOf("function");
    expect(() => dir.list()).toThrow(UnsupportedOperationError);
  });
});
