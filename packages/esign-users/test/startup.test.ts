import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { setups } from "./setups.js";

// The runtime's Node HTTP path keeps undici (30–50 ms to load) off a client's first
// call. Here, for every provider, a fresh Node process loads the built `esign-users`
// (what npm users get), creates a directory, and creates, gets and lists users over
// the sandbox; Node must not have loaded undici at the end.

const run = promisify(execFile);

const script = `
  import { createUserDirectory } from "esign-users";
  const dir = createUserDirectory(JSON.parse(process.env.DIRECTORY_OPTIONS));
  const email = "startup." + Date.now() + "@example.com";
  const user = await dir.create({ email, firstName: "Ada", lastName: "Lovelace" });
  const seen = dir.capabilities.get.scope === "any user" ? await dir.get(user.id) : await dir.get("self");
  let listed = 0;
  if (dir.capabilities.list.supported) for await (const _ of dir.list()) if (++listed >= 3) break;
  const undici = process.moduleLoadList.some((m) => m.includes("undici"));
  console.log(JSON.stringify({ created: user.email === email, got: typeof seen.id === "string", listed, undici }));
`;

describe("start-up cost in Node.js", () => {
  it.each(setups.map((s) => [s.label, s] as const))(
    "%s: create, get and list in a fresh process load no undici",
    async (_label, setup) => {
      const { options, close } = await setup.start();
      try {
        const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], {
          cwd: import.meta.dirname,
          env: { ...process.env, DIRECTORY_OPTIONS: JSON.stringify(options) },
          timeout: 20_000,
        });
        const out = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}");
        expect(out).toMatchObject({ created: true, got: true, undici: false });
        expect(out.listed).toBeGreaterThanOrEqual(options.provider === "quicklysign" ? 0 : 1);
      } finally {
        await close();
      }
    },
  );
});
