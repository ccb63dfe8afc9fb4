import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineConfig } from "vitest/config";

/**
 * Workspace packages export their sources under this condition (see each
 * package.json's `exports`); tests, type checks and the repository's own scripts
 * resolve it, so they see the code beside them, not yesterday's build, and a new
 * package needs no alias to be found. Published builds never mention it.
 */
export const SOURCE_CONDITION = "@esign-users/source";

/**
 * Every package's tests: real servers on 127.0.0.1, so generous timeouts, and a
 * JSON report per package that `.ci/run` sums into one closing line.
 */
export default defineConfig({
  resolve: { conditions: [SOURCE_CONDITION, ...defaultClientConditions] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, ...defaultServerConditions] } },
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
