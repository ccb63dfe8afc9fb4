/**
 * `npm run profile -w @esign-users/bench -- <docusign|boldsign> <ours|theirs> <getUser|listPage|createUser> [calls]`
 *
 * Profiles one client making calls against the sandbox, the way the request
 * benchmark runs it: a warm-up round, then `calls` calls with 8 in flight under
 * `--cpu-prof`. Prints the client's CPU per call and where its time went (self time
 * by package and by function); the .cpuprofile it writes opens in Chrome DevTools.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseCommand, usageError } from "../scripts/lib/cli.ts";
import { stopAllOnSignals } from "../scripts/lib/processes.ts";
import type { Impl, Operation, Provider } from "./src/children/protocol.ts";
import { ClientProcess } from "./src/lib/client.ts";
import { compileChildren } from "./src/lib/compile.ts";
import { workDir } from "./src/lib/paths.ts";
import { SandboxHost } from "./src/lib/sandbox.ts";

const providers = ["docusign", "boldsign"];
const impls = ["ours", "theirs"];
const ops = ["getUser", "listPage", "createUser"];
const COMMAND = "npm run profile -w @esign-users/bench --";
const { positionals } = parseCommand({
  command: COMMAND,
  summary: "Profiles one client making calls against the sandbox under --cpu-prof and prints where its time went.",
  positionals: `<${providers.join("|")}> <${impls.join("|")}> <${ops.join("|")}> [calls ≤ 50000]`,
  options: {},
});
const [provider, impl, op, callsArg = "2000"] = positionals as [Provider, Impl, Operation, string?];
const calls = Number(callsArg);
if (!providers.includes(provider) || !impls.includes(impl) || !ops.includes(op) || !(calls > 0 && calls <= 50_000)) {
  usageError(COMMAND, `expected <${providers.join("|")}> <${impls.join("|")}> <${ops.join("|")}> [calls ≤ 50000]`);
}
stopAllOnSignals();
const expected = {
  getUser: { operationId: "getUser", status: 200 },
  listPage: { operationId: "listUsers", status: 200 },
  createUser: { operationId: "createUsers", status: provider === "docusign" ? 201 : 204 },
}[op];

const profileDir = join(workDir, "profiles", `${impl}-${provider}-${op}`);
rmSync(profileDir, { recursive: true, force: true });
mkdirSync(profileDir, { recursive: true });

const scripts = await compileChildren();
const host = await SandboxHost.start(scripts.sandboxHost, 600_000);
try {
  const client = await ClientProcess.start(scripts.client, provider, impl, host.connections[provider], 600_000, [
    "--cpu-prof",
    `--cpu-prof-dir=${profileDir}`,
  ]);
  await client.round(op, 500, 8);
  await host.verify(provider, 500, expected.operationId, expected.status);
  const round = await client.round(op, calls, 8);
  const serverMicros = await host.verify(provider, calls, expected.operationId, expected.status);
  await client.close();
  console.log(
    `${impl} ${provider} ${op}: ${((calls / round.wallMs) * 1000).toFixed(0)} calls/s, client CPU ${(
      round.cpuMicros / calls
    ).toFixed(0)} µs/call, sandbox CPU ${(serverMicros / calls).toFixed(0)} µs/call`,
  );
  summarize(profileDir);
} finally {
  await host.stop();
}

/** Node's own code, split where it says something about the client: fetch, web streams, signals. */
function nodeArea(url: string): string | undefined {
  if (!url.startsWith("node:")) return undefined;
  if (url.includes("/deps/undici/")) return "node: undici (fetch)";
  if (url.includes("/webstreams/")) return "node: web streams";
  if (url.includes("abort_controller") || url.includes("js_transferable") || url.includes("event_target")) {
    return "node: AbortSignal, EventTarget";
  }
  if (url.startsWith("node:_http") || url.includes("/http")) return "node: http";
  return "node: other";
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** Self time by package and by function, over the whole profile (start-up and warm-up included). */
function summarize(dir: string): void {
  const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byPackage = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    total += us;
    const pkg =
      /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1] ?? /packages\/([^/]+)\/dist/.exec(frame.url)?.[1];
    const where = pkg ?? nodeArea(frame.url) ?? (frame.url === "" ? frame.functionName : "bench");
    byPackage.set(where, (byPackage.get(where) ?? 0) + us);
    const fn = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").slice(-2).join("/")}:${
      frame.lineNumber + 1
    }`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
  });
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) =>
          `  ${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${k}`,
      )
      .join("\n");
  console.log(`\nself time by package (${(total / 1000).toFixed(0)} ms sampled):\n${top(byPackage, 12)}`);
  console.log(`\nself time by function:\n${top(byFunction, 25)}`);
  console.log(`\nprofile: ${join(dir, file)}`);
}
