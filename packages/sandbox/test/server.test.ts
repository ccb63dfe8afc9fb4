import { request } from "node:http";
import { inspect } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { attack } from "../../runtime/test/attacks.js";
import { type Sandbox, type StartSandboxOptions, startSandbox } from "../src/index.js";

// What the framework does for every provider: the request journal, CORS, clients that go away.

const open: Sandbox<{ apiKey: string }>[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(open.splice(0).map((sb) => sb.close()));
});

async function signable(options: Omit<StartSandboxOptions<"signable">, "provider"> = {}) {
  const sb = (await startSandbox({ provider: "signable", ...options })) as Sandbox<{ apiKey: string }>;
  open.push(sb);
  return sb;
}

const basic = (key: string) => `Basic ${Buffer.from(`${key}:x`).toString("base64")}`;
const post = (sb: Sandbox<{ apiKey: string }>, key: string, body: string) =>
  fetch(`${sb.url}/users`, {
    method: "POST",
    headers: { Authorization: basic(key), "Content-Type": "application/x-www-form-urlencoded" },
    body,
  });
const journalBytes = (sb: Sandbox<{ apiKey: string }>) => sb.requests.reduce((n, r) => n + r.body.length, 0);

describe("the request journal", () => {
  it("keeps a request refused for its credentials without its body", async (context) => {
    const done = attack(context, "sandbox-flood", "none");
    const sb = await signable();
    const big = `user_name=${"x".repeat(4 * 1024 * 1024)}`;
    for (let i = 0; i < 20; i++) expect((await post(sb, "not-the-key", big)).status).toBe(401);
    expect(sb.requests).toHaveLength(20);
    expect(sb.requests.every((r) => r.status === 401 && r.method === "POST")).toBe(true);
    // 80 MiB were sent; none of it is held.
    expect(journalBytes(sb)).toBe(0);
    done(`20 unauthenticated 4 MiB POSTs: ${journalBytes(sb)} bytes kept`);
    const ok = await post(sb, sb.credentials.apiKey, "user_name=Ada&user_email=ada%40example.com");
    expect(ok.status).toBe(200);
    expect(sb.requests.at(-1)?.body.toString()).toBe("user_name=Ada&user_email=ada%40example.com");
  });

  it("holds no more than maxJournalBytes of bodies, dropping the oldest requests", async (context) => {
    const done = attack(context, "sandbox-flood", "none");
    const sb = await signable({ maxJournalBytes: 1024 * 1024 });
    const body = (i: number) => `user_name=${String(i).padEnd(300 * 1024, "y")}&user_email=u${i}%40example.com`;
    for (let i = 0; i < 10; i++) await post(sb, sb.credentials.apiKey, body(i));
    expect(journalBytes(sb)).toBeLessThanOrEqual(1024 * 1024);
    done(`10 authenticated 300 KiB POSTs, 1 MiB budget: ${journalBytes(sb)} bytes kept`);
    expect(sb.requests.length).toBeGreaterThanOrEqual(3);
    expect(sb.requests.at(-1)?.body.toString()).toBe(body(9));
    sb.reset();
    expect(sb.requests).toHaveLength(0);
  });
});

describe("CORS", () => {
  const preflight = (sb: Sandbox<{ apiKey: string }>, origin: string) =>
    fetch(`${sb.url}/users`, {
      method: "OPTIONS",
      headers: {
        Origin: origin,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, x-something-else",
      },
    });

  it("answers a page served from this machine: its own origin, the headers clients send", async () => {
    const sb = await signable();
    const page = "http://127.0.0.1:43210";
    const pre = await preflight(sb, page);
    expect(pre.status).toBe(204);
    expect(pre.headers.get("access-control-allow-origin")).toBe(page);
    expect(pre.headers.get("access-control-allow-headers")).toBe("authorization");
    expect(pre.headers.get("vary")).toBe("Origin");
    const res = await fetch(`${sb.url}/users`, { headers: { Authorization: basic(sb.credentials.apiKey), Origin: page } });
    expect(res.headers.get("access-control-allow-origin")).toBe(page);
    expect(sb.requests.map((r) => r.method)).toEqual(["OPTIONS", "GET"]);
  });

  it("does not answer a page from anywhere else, unless listed in corsOrigins", async (context) => {
    const done = attack(context, "sandbox-cors", "none");
    const sb = await signable();
    const pre = await preflight(sb, "http://page.example");
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await fetch(`${sb.url}/users`, {
      headers: { Authorization: basic(sb.credentials.apiKey), Origin: "http://page.example" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    done("a page on another site: no Access-Control-Allow-Origin (local pages and corsOrigins only)");
    // Nor a request without an Origin (not a browser page).
    const plain = await fetch(`${sb.url}/users`, { headers: { Authorization: basic(sb.credentials.apiKey) } });
    expect(plain.headers.get("access-control-allow-origin")).toBeNull();

    const listed = await signable({ corsOrigins: ["http://page.example"] });
    expect((await preflight(listed, "http://page.example")).headers.get("access-control-allow-origin")).toBe(
      "http://page.example",
    );
  });
});

describe("a client that goes away mid-body", () => {
  it("is logged in one line, without a stack trace", async (context) => {
    const done = attack(context, "sandbox-abort-mid-body", "none");
    const sb = await signable();
    const lines: unknown[][] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      lines.push(args);
    });
    await new Promise<void>((resolve) => {
      // With Expect: 100-continue the server says when it is handling the request; only then
      // does the client send part of the body and go away (a fixed delay could end the
      // connection before a busy server had even read the headers, and nothing is logged then).
      const req = request(`${sb.url}/users`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          "Content-Length": "1000",
          Expect: "100-continue",
        },
      });
      req.on("error", () => resolve());
      req.on("continue", () => req.write("user_name=half", () => req.destroy()));
      req.flushHeaders();
    });
    for (let waited = 0; lines.length === 0 && waited < 3000; waited += 25) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).toHaveLength(1);
    const text = (lines[0] ?? []).map((a) => (typeof a === "string" ? a : inspect(a))).join(" ");
    expect(text).toContain("POST /v1/users");
    expect(text).toContain("closed the connection before sending the whole body");
    expect(text).not.toMatch(/\n\s+at /);
    expect(text.split("\n")).toHaveLength(1);
    done(`${lines.length} line logged, no stack`);
  });
});
