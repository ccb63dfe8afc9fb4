import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { attack } from "./attacks.js";
import { json } from "./helpers.js";
import { serversPerTest } from "./servers.js";

// In Node.js the first touch of `Headers`, `Request`, `Response` or `FormData` loads
// undici (30–50 ms). A client on the Node HTTP path must not need it, so that its
// first call is not held up; these run a client in a fresh process and look at what
// Node loaded.

const run = promisify(execFile);
const helpers = fileURLToPath(new URL("./helpers.ts", import.meta.url));

const server = serversPerTest();

/** Runs `body` (ESM, with `testClient` and `url` in scope) in a fresh Node and returns what it printed as JSON. */
async function inFreshNode(url: string, body: string): Promise<Record<string, unknown>> {
  const script = `
    import { testClient } from ${JSON.stringify(helpers)};
    const url = ${JSON.stringify(url)};
    const undiciLoaded = () => process.moduleLoadList.some((m) => m.includes("undici"));
    ${body}
  `;
  const env = { ...process.env };
  delete env.ESIGN_TEST_TRANSPORT;
  const { stdout } = await run(process.execPath, ["--import", "tsx/esm", "--input-type=module", "-e", script], {
    env,
    timeout: 20_000,
  });
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
}

describe("start-up cost in Node.js", () => {
  it("creating a client and calling it, successes and errors alike, loads no undici", async () => {
    const s = await server(json(200, { id: "1" }), json(404, { error: { code: "nope", message: "no" } }));
    const out = await inFreshNode(
      s.url,
      `
      const api = testClient(url, { maxRetries: 0 });
      const first = await api.call("getThing", { id: "1" });
      const error = await api.call("getThing", { id: "2" }).catch((e) => e.name);
      console.log(JSON.stringify({ first, error, undici: undiciLoaded() }));
      `,
    );
    expect(out).toEqual({ first: { id: "1" }, error: "NotFoundError", undici: false });
  });

  it("raw (openapi-fetch, built on Request) loads it, on first use only", async () => {
    const s = await server(json(200, { id: "1" }));
    const out = await inFreshNode(
      s.url,
      `
      const api = testClient(url);
      const before = undiciLoaded();
      const { data } = await api.raw.GET("/things/{id}", { params: { path: { id: "1" } } });
      console.log(JSON.stringify({ before, data, after: undiciLoaded() }));
      `,
    );
    expect(out).toEqual({ before: false, data: { id: "1" }, after: true });
  });

  it("an onRequest hook that throws leaves no attempt timer behind: the process ends at once", async (context) => {
    // Hooks put a client on the fetch path.
    const done = attack(context, "hook-throws", "fetch");
    const s = await server(json(200, {}));
    const started = performance.now();
    const out = await inFreshNode(
      s.url,
      `
      const api = testClient(url, { timeoutMs: 60_000, onRequest: () => { throw new Error("hook failed"); } });
      const name = await api.call("getThing", { id: "1" }).catch((e) => e.name);
      console.log(JSON.stringify({ name }));
      `,
    );
    expect(out).toEqual({ name: "EsignApiError" });
    // With the timer left running, Node would wait the whole timeoutMs before exiting.
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(15_000);
    expect(s.seen).toHaveLength(0);
    done(`timeoutMs 60 s: the process exited after ${Math.round(ms)} ms (timer cleared)`);
  });
});
