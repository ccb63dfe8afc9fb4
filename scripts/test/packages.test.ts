import { describe, expect, it } from "vitest";
import { checkMetadata } from "../lib/package-metadata.ts";
import { runAttw, runPublint } from "../lib/package-lint.ts";
import { isBuilt, publishablePackages } from "../lib/workspace.ts";

// Every package that npm users get, found from packages/*: a new provider is checked
// as soon as it has src/index.ts.
const packages = publishablePackages();

describe.concurrent("publishable packages", () => {
  it("are found", () => {
    expect(packages.map((p) => p.name)).toEqual(
      expect.arrayContaining(["@esign-users/runtime", "@esign-users/signable", "@esign-users/sandbox", "esign-users"]),
    );
  });

  it.each(packages.map((p) => [p.name, p] as const))("%s: metadata, exports map and README", (_name, pkg) => {
    expect(checkMetadata(pkg).map((p) => `${p.field}: ${p.message}`)).toEqual([]);
  });

  it.each(packages.map((p) => [p.name, p] as const))(
    "%s: publint (strict) and attw --pack are clean",
    async (_name, pkg) => {
      expect(isBuilt(pkg), `${pkg.relDir} is not built: run npm run build`).toBe(true);
      const [publint, attw] = await Promise.all([runPublint(pkg), runAttw(pkg)]);
      expect(publint.problems).toEqual([]);
      expect(attw.problems).toEqual([]);
    },
    120_000,
  );
});
