import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync, realpathSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parseFault, parseSettings } from "../src/cli.js";
import { providerNames } from "../src/index.js";

const bin = fileURLToPath(new URL("../bin/esign-users-sandbox.js", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const running = new Set<ChildProcess>();

/** Runs the real command to its end. */
function runCli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("close", (code) => {
      running.delete(child);
      resolve({ code, out, err });
    });
  });
}

/** Starts the real command and waits until it has printed `lines` lines on stdout. */
function startCli(lines: number, ...args: string[]): Promise<{ child: ChildProcess; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    running.add(child);
    let out = "";
    let err = "";
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.split("\n").length > lines) resolve({ child, out });
    });
    child.stderr.on("data", (c: Buffer) => (err += c.toString()));
    child.on("exit", (code) => reject(new Error(`exited (${code}) early:\n${out}${err}`)));
  });
}

afterEach(() => {
  for (const child of running) child.kill("SIGKILL");
  running.clear();
});

const listen = (port = 0) =>
  new Promise<Server>((resolve, reject) => {
    const server = createServer((_req, res) => res.end());
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve(server));
  });
const close = (server: Server) => new Promise((resolve) => server.close(resolve));
const portOf = (server: Server) => (server.address() as AddressInfo).port;

// Each test starts the real command (several, for the refusals) under tsx: 1–10 s when
// npm test keeps both cores busy, so a limit well above the shared 30 s.
describe("esign-users-sandbox (the real command)", { timeout: 120_000 }, () => {
  it("is the bin npm links at install time, committed, so it exists before any build", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(manifest.bin).toEqual({ "esign-users-sandbox": "./bin/esign-users-sandbox.js" });
    expect(manifest.files).toContain("bin");
    expect(realpathSync(`${repoRoot}node_modules/.bin/esign-users-sandbox`)).toBe(realpathSync(bin));
  });

  it("--help shows every option, --provider with its default, and the fault syntax", async () => {
    const run = await runCli("--help");
    expect(run.code).toBe(0);
    expect(run.out).toContain(`--provider <name>    ${providerNames.join(", ")} or all (default: all)`);
    for (const flag of ["--port <n>", "--host <addr>", "--idle-minutes <n>", "--fault <fault>", "--json"]) expect(run.out).toContain(flag);
    expect(run.out).toContain("delay=200:3");
    expect(run.out).toContain("npx --package @esign-users/sandbox esign-users-sandbox");
    expect(run.out).toContain("npm run sandbox -- --provider all --port 4010");
  });

  it("refuses a mistyped flag or a bad fault in one line naming the fix, with exit code 2", async () => {
    for (const [args, line] of [
      [["--prot", "4010"], "esign-users-sandbox: unknown option --prot; did you mean --port? (esign-users-sandbox --help lists the options)"],
      [["--fault", "teapot:1"], "esign-users-sandbox: --fault teapot:1: unknown kind teapot; use a status (429, 500 …), delay=<ms>, html, empty, malformed, truncated, hang, reset, echo (esign-users-sandbox --help lists the options)"],
    ] as const) {
      const run = await runCli(...args);
      expect(run.code, run.err).toBe(2);
      expect(run.err).toBe(`${line}\n`);
      expect(run.out).toBe("");
    }
  }, 120_000);

  it("binds every port before printing: a busy port gives one line naming it and the fix, and nothing as if live", async () => {
    // A free port, then the one after it taken: the first provider binds, the second cannot.
    const probe = await listen();
    const first = portOf(probe);
    await close(probe);
    const blocker = await listen(first + 1).catch(() => undefined);
    try {
      const run = await runCli("--provider", "all", "--port", String(first));
      expect(run.code).toBe(1);
      expect(run.out).toBe("");
      expect(run.err).toMatch(/^esign-users-sandbox: port \d+ on 127\.0\.0\.1 is already in use; stop what listens there, or pass another --port \(0 picks free ports\)\n$/);
      if (blocker) expect(run.err).toContain(`port ${first + 1} `);
      // The port it had bound is free again.
      await close(await listen(first));
    } finally {
      if (blocker) await close(blocker);
    }
  }, 120_000);

  it("prints each provider's URL, credentials and a client snippet made of them, and injects --fault faults", async () => {
    const { child, out } = await startCli(7, "--provider", "signable", "--fault", "429:2", "--fault", "delay=300:1");
    const url = /^signable +(http:\/\/127\.0\.0\.1:\d+\/v1)$/m.exec(out)?.[1] as string;
    const credentials = JSON.parse(/^ {2}credentials {2}(\{.*\})$/m.exec(out)?.[1] ?? "null") as { apiKey: string };
    expect(url).toBeDefined();
    expect(out).toContain("Faults, in each sandbox: the next 2 request(s) get 429 (Retry-After: 1); the next 1 request(s) get a 300 ms delay.");
    expect(out).toContain('import { createUserDirectory } from "esign-users";');
    const snippet = /^ {2}client {7}const dir = createUserDirectory\((\{.*\})\);$/m.exec(out)?.[1] as string;
    // The snippet's options are exactly the facade's provider, the credentials and the URL.
    expect(new Function(`return ${snippet}`)()).toEqual({ provider: "signable", ...credentials, baseUrl: url });

    const auth = { Authorization: `Basic ${btoa(`${credentials.apiKey}:x`)}` };
    const timed = async () => {
      const started = performance.now();
      const res = await fetch(`${url}/users`, { headers: auth });
      await res.arrayBuffer();
      return { status: res.status, retryAfter: res.headers.get("retry-after"), ms: performance.now() - started };
    };
    const answers = [await timed(), await timed(), await timed(), await timed()];
    expect(answers.map((a) => a.status)).toEqual([429, 429, 200, 200]);
    expect(answers[0]?.retryAfter).toBe("1");
    expect(answers[2]?.ms).toBeGreaterThanOrEqual(290);

    const exited = new Promise((resolve) => child.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000);

  it("--json prints one line per provider for scripts", async () => {
    const { out } = await startCli(1, "--provider", "docusign-v2", "--json", "--idle-minutes", "1");
    const line = JSON.parse(out.split("\n")[0] as string);
    expect(line).toEqual({ provider: "docusign-v2", url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/restapi$/), credentials: expect.any(Object) });
    expect(Object.keys(line.credentials)).toContain("accessToken");
  }, 120_000);
});

describe("parseSettings", () => {
  it("refuses an unknown provider and a port out of range, naming what to use", () => {
    expect(() => parseSettings(["--provider", "hellosign"])).toThrow(
      `unknown provider hellosign; use one of ${providerNames.join(", ")} or all`,
    );
    expect(() => parseSettings(["--port", "70000"])).toThrow("--port 70000 is not a port: use 1–65535, or 0 for free ports");
    expect(() => parseSettings(["--idle-minutes", "soon"])).toThrow("--idle-minutes soon: use a number of minutes, 0 for never");
    expect(() => parseSettings(["--port"])).toThrow("--port needs a value");
  });

  it("defaults to every provider on free ports", () => {
    expect(parseSettings([])).toEqual({ providers: providerNames, port: 0, host: "127.0.0.1", idleMinutes: 30, faults: [], json: false });
  });
});

describe("parseFault", () => {
  it("reads a status, a value and a count or a percentage", () => {
    expect(parseFault("429:2")).toEqual({ fault: { type: "status", status: 429, retryAfter: 1 }, options: { times: 2 } });
    expect(parseFault("503=4")).toEqual({ fault: { type: "status", status: 503, retryAfter: 4 }, options: { times: 1 } });
    expect(parseFault("500:1")).toEqual({ fault: { type: "status", status: 500 }, options: { times: 1 } });
    expect(parseFault("reset:1")).toEqual({ fault: { type: "reset" }, options: { times: 1 } });
    expect(parseFault("delay=200:3")).toEqual({ fault: { type: "delay", ms: 200 }, options: { times: 3 } });
    expect(parseFault("html=503:10%")).toEqual({ fault: { type: "html", status: 503 }, options: { fraction: 0.1 } });
  });

  it("says how to write a fault it cannot read", () => {
    expect(() => parseFault("delay:3")).toThrow("--fault delay:3: say how long, e.g. delay=200:3 (milliseconds)");
    expect(() => parseFault("429:0")).toThrow("whole number of requests, 1 or more");
    expect(() => parseFault("200:1")).toThrow("a status fault is 400 to 599");
    expect(() => parseFault("reset=3")).toThrow("reset takes no =value");
    expect(() => parseFault("500:150%")).toThrow("a percentage is between 0 and 100");
  });
});
