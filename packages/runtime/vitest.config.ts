import { defineConfig, mergeConfig } from "vitest/config";
import shared from "../../vitest.shared.ts";

/**
 * The suites that cross the wire run on each HTTP path a client can take:
 * - `node-http`: Node's own HTTP modules (what clients use in Node ≥ 20.16);
 * - `fetch`: a `fetch` the client is given, called with `Request` objects (also
 *   what `onRequest`/`onResponse` hooks use);
 * - `global-fetch`: the global `fetch` called with a URL and options, with
 *   `process.getBuiltinModule` taken away: what Node.js 20.11–20.15, browsers and
 *   other runtimes get.
 * `test/helpers.ts` reads ESIGN_TEST_TRANSPORT.
 */
// (Projects extend the shared `include`, so the fetch projects name what they leave out.)
const notOnTheWire = [
  "test/limiter.test.ts",
  "test/headers.test.ts",
  "test/node-http.test.ts",
  "test/startup.test.ts",
  "test/redirects.test.ts",
  "test/auth.test.ts",
  "test/copies.test.ts",
];

export default mergeConfig(
  shared,
  defineConfig({
    test: {
      projects: [
        { extends: true, test: { name: "node-http", env: { ESIGN_TEST_TRANSPORT: "node" } } },
        { extends: true, test: { name: "fetch", exclude: notOnTheWire, env: { ESIGN_TEST_TRANSPORT: "fetch" }, typecheck: { enabled: false } } },
        {
          extends: true,
          test: {
            name: "global-fetch",
            exclude: notOnTheWire,
            env: { ESIGN_TEST_TRANSPORT: "global-fetch" },
            setupFiles: ["test/without-builtin-modules.ts"],
            typecheck: { enabled: false },
          },
        },
      ],
    },
  }),
);
