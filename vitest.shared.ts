import { defineConfig } from "vitest/config";

/**
 * Every package's tests: real servers on 127.0.0.1, so generous timeouts, and a
 * JSON report per package that `.ci/run` sums into one closing line.
 */
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    reporters: ["default", ["json", { outputFile: "test-results.json" }]],
  },
});
