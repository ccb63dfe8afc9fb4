import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

/**
 * The suites that cross the wire run twice: once on Node's own HTTP modules (what
 * clients use in Node) and once on `fetch` (what they use in browsers and other
 * runtimes, and when given a `fetch`). `test/helpers.ts` reads ESIGN_TEST_TRANSPORT.
 */
// (Projects extend the shared `include`, so the fetch project names what it leaves out.)
const notOnTheWire = [
  "test/limiter.test.ts",
  "test/headers.test.ts",
  "test/node-http.test.ts",
  "test/startup.test.ts",
];

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: "node-http", env: { ESIGN_TEST_TRANSPORT: "node" } } },
        // The type tests are compiled once, with the node-http project.
        { extends: true, test: { name: "fetch", exclude: notOnTheWire, env: { ESIGN_TEST_TRANSPORT: "fetch" }, typecheck: { enabled: false } } },
      ],
    },
  }),
);
