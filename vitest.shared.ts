import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (pkg: string, file = "index.ts") => fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url));

/**
 * Every package's tests: real servers on 127.0.0.1, so generous timeouts, and a
 * JSON report per package that `.ci/run` sums into one closing line. Workspace
 * packages resolve to their sources, so a test sees the code beside it, not
 * yesterday's build.
 */
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@esign-users\/runtime$/, replacement: src("runtime") },
      { find: /^@esign-users\/sandbox$/, replacement: src("sandbox") },
      { find: /^@esign-users\/signable$/, replacement: src("signable") },
      { find: /^@esign-users\/docusign$/, replacement: src("docusign") },
      { find: /^@esign-users\/docusign\/v2$/, replacement: src("docusign", "v2.ts") },
      { find: /^@esign-users\/boldsign$/, replacement: src("boldsign") },
      { find: /^@esign-users\/quicklysign$/, replacement: src("quicklysign") },
      { find: /^esign-users$/, replacement: src("esign-users") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // Type-level tests (`*.test-d.ts`) are compiled by tsc and never run; a package
    // without any starts no typechecker.
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
  },
});
