import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, seededRandom, startSandbox } from "../src/index.js";

let sb: Sandbox<{ apiKey: string }>;
const auth = () => `Basic ${Buffer.from(`${sb.credentials.apiKey}:x`).toString("base64")}`;

beforeAll(async () => {
  sb = await startSandbox({ provider: "signable" });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const list = (signal?: AbortSignal) => fetch(`${sb.url}/users`, { headers: { Authorization: auth() }, signal });
const createUser = (email: string) =>
  fetch(`${sb.url}/users`, {
    method: "POST",
    headers: { Authorization: auth(), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ user_name: "F", user_email: email }).toString(),
  });

describe("faults", () => {
  it("answers 429 with Retry-After in Signable's format for the next N requests, then recovers", async () => {
    const rule = sb.faults.next(2, { type: "status", status: 429, retryAfter: 1 });
    for (let i = 0; i < 2; i++) {
      const res = await list();
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBe("1");
      expect(await res.json()).toMatchObject({ http: 429, code: expect.any(Number) });
    }
    expect((await list()).status).toBe(200);
    expect(rule.hits).toBe(2);
  });

  it.each([500, 502, 503])("answers %i", async (status) => {
    sb.faults.next(1, { type: "status", status });
    const res = await list();
    expect(res.status).toBe(status);
    expect((await res.json()).http).toBe(status);
  });

  it("sends an HTML error page", async () => {
    sb.faults.next(1, { type: "html" });
    const res = await list();
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("<title>502 Bad Gateway</title>");
  });

  it("sends an empty body", async () => {
    sb.faults.next(1, { type: "empty", status: 503 });
    const res = await list();
    expect(res.status).toBe(503);
    expect(await res.text()).toBe("");
  });

  it("sends malformed JSON with a 200", async () => {
    sb.faults.next(1, { type: "malformed" });
    const res = await list();
    expect(res.status).toBe(200);
    await expect(res.json()).rejects.toThrow(SyntaxError);
  });

  it("truncates a body: the client sees the connection end early", async () => {
    sb.faults.next(1, { type: "truncated" });
    const res = await list();
    await expect(res.text()).rejects.toThrow();
  });

  it("resets the connection", async () => {
    sb.faults.next(1, { type: "reset" });
    await expect(list()).rejects.toThrow(/fetch failed/);
    expect((await list()).status).toBe(200);
  });

  it("hangs until the client gives up", async () => {
    sb.faults.next(1, { type: "hang" });
    const started = Date.now();
    await expect(list(AbortSignal.timeout(300))).rejects.toThrow();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
  });

  it("delays an answer", async () => {
    sb.faults.next(1, { type: "delay", ms: 200 });
    const started = Date.now();
    expect((await list()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it("phase 'after' carries the request out, then fails the answer", async () => {
    sb.faults.next(1, { type: "status", status: 500 }, { phase: "after", operationId: "createUser" });
    expect((await createUser("after@example.com")).status).toBe(500);
    const users = await (await list()).json();
    expect(users.users.map((u: { user_email: string }) => u.user_email)).toEqual(["after@example.com"]);
  });

  it("matches by operation: a rule for createUser leaves listUsers alone", async () => {
    sb.faults.next(1, { type: "status", status: 503 }, { operationId: "createUser" });
    expect((await list()).status).toBe(200);
    expect((await createUser("x@example.com")).status).toBe(503);
  });

  it("a seeded fraction faults the same requests every run", async () => {
    const pattern = async () => {
      sb.reset();
      sb.faults.fraction(0.3, { type: "status", status: 503 }, { seed: 42 });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await list()).status);
      return statuses;
    };
    const first = await pattern();
    const second = await pattern();
    expect(second).toEqual(first);
    const faulted = first.filter((s) => s === 503).length;
    expect(faulted).toBeGreaterThan(4);
    expect(faulted).toBeLessThan(24);
    // The generator itself is deterministic.
    const a = seededRandom(7);
    const b = seededRandom(7);
    expect([a(), a(), a()]).toEqual([b(), b(), b()]);
  });

  it("close() ends hung connections too", async () => {
    const other = await startSandbox({ provider: "signable" });
    other.faults.next(1, { type: "hang" });
    const pending = new Promise<string>((resolve) => {
      const req = request(`${other.url}/users`, { headers: { Authorization: auth() } }, () => resolve("answered"));
      req.on("error", () => resolve("closed"));
      req.end();
    });
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    expect(await pending).toBe("closed");
  });
});
