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
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
  },
});
