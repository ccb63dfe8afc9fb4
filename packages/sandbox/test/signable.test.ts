import { createServer } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/index.js";

let sb: Sandbox<{ apiKey: string }>;
const auth = () => `Basic ${Buffer.from(`${sb.credentials.apiKey}:x`).toString("base64")}`;

beforeAll(async () => {
  sb = await startSandbox({ provider: "signable" });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

async function call(method: string, path: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    body: init.body,
    headers: { Authorization: auth(), ...init.headers },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const form = { "Content-Type": "application/x-www-form-urlencoded" };
const create = (name: string, email: string) =>
  call("POST", "/users", { body: new URLSearchParams({ user_name: name, user_email: email }).toString(), headers: form });

describe("the Signable sandbox keeps real state", () => {
  it("creates, gets, lists, updates and deletes users", async () => {
    const created = await create("Ada", "ada@example.com");
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ http: 200, user_name: "Ada", user_email: "ada@example.com" });
    const id = created.json.user_id;
    expect(typeof id).toBe("number");

    const got = await call("GET", `/users/${id}`);
    expect(got.json).toMatchObject({ user_id: id, user_last_updated: null });

    const updated = await call("PUT", `/users/${id}`, { body: "user_email=ada%40new.example", headers: form });
    expect(updated.json).toMatchObject({ user_id: String(id), user_email: "ada@new.example", user_password_changed: true });
    expect((await call("GET", `/users/${id}`)).json.user_last_updated).toMatch(/\+0000$/);

    const deleted = await call("DELETE", `/users/${id}`);
    expect(deleted.json).toMatchObject({ http: 200, user_id: id });
    expect((await call("GET", `/users/${id}`)).json).toMatchObject({ http: 404, code: 10103 });
  });

  it("paginates with offset/limit, total_users as a string and next absent on the last page", async () => {
    for (let i = 0; i < 5; i++) await create(`U${i}`, `u${i}@example.com`);
    const first = await call("GET", "/users?offset=0&limit=2");
    expect(first.json).toMatchObject({ offset: 0, limit: 2, total_users: "5", next: `${sb.url}/users?offset=2&limit=2` });
    expect(first.json.users.map((u: { user_email: string }) => u.user_email)).toEqual(["u0@example.com", "u1@example.com"]);
    const second = await call("GET", "/users?offset=2&limit=2");
    expect(second.json.next).toBe(`${sb.url}/users?offset=4&limit=2`);
    const third = await call("GET", "/users?offset=4&limit=2");
    expect(third.json.users).toHaveLength(1);
    expect("next" in third.json).toBe(false);
    const defaults = await call("GET", "/users");
    expect(defaults.json).toMatchObject({ offset: 0, limit: 10 });
  });

  it("refuses a duplicate email with 10110 and an unknown id with 404 10103", async () => {
    await create("A", "dup@example.com");
    expect((await create("B", "DUP@example.com")).json).toEqual({
      http: 400,
      code: 10110,
      message: "Unable to add a new user as a user already exists with this email address.",
    });
    expect((await call("PUT", "/users/4242", { body: "user_name=x", headers: form })).json.code).toBe(10103);
    expect((await call("DELETE", "/users/4242")).status).toBe(404);
  });
});

describe("requests the spec forbids get Signable's own errors", () => {
  it("no auth → 401 code 10002", async () => {
    const res = await fetch(`${sb.url}/users`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      http: 401,
      code: 10002,
      message: "Authentication failed. Please enter the correct API Key and password.",
    });
  });

  it("a wrong key → 401", async () => {
    const res = await fetch(`${sb.url}/users`, { headers: { Authorization: `Basic ${btoa("nope:x")}` } });
    expect(res.status).toBe(401);
  });

  it("missing user_email → 400 code 10101", async () => {
    const res = await call("POST", "/users", { body: "user_name=Ada", headers: form });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ http: 400, code: 10101 });
  });

  it("missing user_name → 400 code 10100", async () => {
    const res = await call("POST", "/users", { body: "user_email=a%40b.co", headers: form });
    expect(res.json).toMatchObject({ http: 400, code: 10100 });
  });

  it("JSON instead of a form → 400 code 10007", async () => {
    const res = await call("POST", "/users", {
      body: JSON.stringify({ user_name: "Ada", user_email: "ada@example.com" }),
      headers: { "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ http: 400, code: 10007 });
  });

  it("an update with neither name nor email → 10104; a limit over 50 → 400", async () => {
    const { json } = await create("A", "a@example.com");
    expect((await call("PUT", `/users/${json.user_id}`, { body: "team_id=3", headers: form })).json.code).toBe(10104);
    expect((await call("GET", "/users?limit=51")).status).toBe(400);
  });

  it("an unknown path → 404 10003, a wrong method → 405 10001", async () => {
    expect((await call("GET", "/teams")).json).toMatchObject({ http: 404, code: 10003 });
    expect((await call("PATCH", "/users/1")).json).toMatchObject({ http: 405, code: 10001 });
  });
});

describe("quirks of real clients are accepted", () => {
  it("the PHP SDK's ?&offset= query string", async () => {
    await create("A", "a@example.com");
    const res = await call("GET", "/users?&offset=0&limit=10");
    expect(res.status).toBe(200);
    expect(res.json.users).toHaveLength(1);
  });

  it("Content-Type: application/json with no body on a GET, and {} on a DELETE", async () => {
    const { json } = await create("A", "a@example.com");
    expect((await call("GET", "/users", { headers: { "Content-Type": "application/json" } })).status).toBe(200);
    const del = await call("DELETE", `/users/${json.user_id}`, {
      body: "{}",
      headers: { "Content-Type": "application/json" },
    });
    expect(del.status).toBe(200);
  });
});

describe("recording and CORS", () => {
  it("records each request exactly as it came", async () => {
    await create("A B", "ab@example.com");
    const r = sb.requests.at(-1)!;
    expect(r).toMatchObject({ method: "POST", path: "/v1/users", rawQuery: "", operationId: "createUser", status: 200 });
    expect(r.body.toString()).toBe("user_name=A+B&user_email=ab%40example.com");
    expect(r.headers.authorization).toBe(auth());
  });
  // CORS: server.test.ts.
});

describe("lifecycle", () => {
  it("binds 127.0.0.1 and frees the port on close", async () => {
    const other = await startSandbox({ provider: "signable" });
    expect(other.host).toBe("127.0.0.1");
    expect(other.url).toBe(`http://127.0.0.1:${other.port}/v1`);
    await other.close();
    await new Promise<void>((resolve, reject) => {
      const probe = createServer();
      probe.once("error", reject);
      probe.listen(other.port, "127.0.0.1", () => probe.close(() => resolve()));
    });
  });

  it("refuses an unknown provider with the list of known ones", async () => {
    await expect(startSandbox({ provider: "nope" as "signable" })).rejects.toThrow(/unknown provider "nope" \(have: [\w, -]*signable/);
  });

  it("stops by itself after idleTimeoutMs without a request", async () => {
    const idle = await startSandbox({ provider: "signable", idleTimeoutMs: 100 });
    await new Promise((r) => setTimeout(r, 300));
    await expect(fetch(`${idle.url}/users`)).rejects.toThrow();
  });
});
