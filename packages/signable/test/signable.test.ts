import { type Sandbox, startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  createSignableClient,
  NotFoundError,
  type SignableClient,
  ValidationError,
} from "../src/index.js";

let sb: Sandbox<{ apiKey: string }>;
let signable: SignableClient;

beforeAll(async () => {
  sb = await startSandbox({ provider: "signable" });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  signable = createSignableClient({ apiKey: sb.credentials.apiKey, baseUrl: sb.url, rateLimit: false });
});

const basic = (key: string) => `Basic ${Buffer.from(`${key}:x`).toString("base64")}`;
const last = () => sb.requests.at(-1)!;

describe("users.create", () => {
  it("POSTs a form with Basic auth and decodes the new user", async () => {
    const created = await signable.users.create({ user_name: "Ada Lovelace", user_email: "ada@example.com" });
    expect(created).toMatchObject({ http: 200, user_name: "Ada Lovelace", user_email: "ada@example.com" });
    expect(Number(created.user_id)).toBeGreaterThan(0);
    const req = last();
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/users");
    expect(req.rawQuery).toBe("");
    expect(req.headers.authorization).toBe(basic("sandbox-signable-api-key"));
    expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req.body.toString()).toBe("user_name=Ada+Lovelace&user_email=ada%40example.com");
  });

  it("sends team_id only when given", async () => {
    await signable.users.create({ user_name: "Bo", user_email: "bo@example.com", team_id: 7 });
    expect(last().body.toString()).toBe("user_name=Bo&user_email=bo%40example.com&team_id=7");
  });

  it("surfaces a duplicate email as BadRequestError with Signable's code 10110", async () => {
    await signable.users.create({ user_name: "Ada", user_email: "ada@example.com" });
    const error = await signable.users.create({ user_name: "Ada 2", user_email: "ada@example.com" }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code: 10110, provider: "signable" });
    expect(error.message).toContain("already exists");
  });

  it("refuses a missing or malformed email before any request", async () => {
    const before = sb.requests.length;
    // @ts-expect-error user_email is required
    await expect(signable.users.create({ user_name: "No Email" })).rejects.toBeInstanceOf(ValidationError);
    await expect(signable.users.create({ user_name: "X", user_email: "not-an-email" })).rejects.toMatchObject({
      name: "ValidationError",
      field: "user_email",
    });
    await expect(signable.users.create({ user_name: " ", user_email: "a@b.co" })).rejects.toMatchObject({
      field: "user_name",
    });
    expect(sb.requests.length).toBe(before);
  });
});

describe("users.get", () => {
  it("GETs /users/{user_id} and decodes a never-updated user", async () => {
    const { user_id } = await signable.users.create({ user_name: "Grace", user_email: "grace@example.com" });
    const user = await signable.users.get({ user_id });
    expect(user).toMatchObject({ http: 200, user_name: "Grace", user_email: "grace@example.com" });
    expect(user.user_last_updated).toBeNull();
    expect(user.user_added).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0000$/);
    const req = last();
    expect(req.method).toBe("GET");
    expect(req.path).toBe(`/v1/users/${user_id}`);
    expect(req.body.length).toBe(0);
    expect(req.headers.authorization).toBe(basic("sandbox-signable-api-key"));
  });

  it("turns 404 code 10103 into NotFoundError with code 10103", async () => {
    const error = await signable.users.get({ user_id: 999999 }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.code).toBe(10103);
    expect(error.body).toEqual({ http: 404, code: 10103, message: expect.stringContaining("does not exist") });
  });

  it("accepts a string id, as the list returns them", async () => {
    const { user_id } = await signable.users.create({ user_name: "Str", user_email: "str@example.com" });
    const user = await signable.users.get({ user_id: String(user_id) });
    expect(Number(user.user_id)).toBe(Number(user_id));
  });

  it("refuses ids that are not numbers, as the spec's UserIdValue says, before any request", async () => {
    const before = sb.requests.length;
    for (const user_id of ["../users?x=1#y", "..", "12a", ""]) {
      const error = await signable.users.get({ user_id }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).field).toBe("user_id");
    }
    expect(sb.requests.length).toBe(before);
  });
});

describe("users.update", () => {
  it("PUTs the changed fields as a form", async () => {
    const { user_id } = await signable.users.create({ user_name: "Old", user_email: "old@example.com" });
    const updated = await signable.users.update({ user_id, user_name: "New Name" });
    expect(updated).toMatchObject({ http: 200, user_name: "New Name", user_email: "old@example.com" });
    expect(typeof updated.user_updated).toBe("string");
    const req = last();
    expect(req.method).toBe("PUT");
    expect(req.path).toBe(`/v1/users/${user_id}`);
    expect(req.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req.body.toString()).toBe("user_name=New+Name");
    const again = await signable.users.get({ user_id });
    expect(again.user_last_updated).not.toBeNull();
  });

  it("refuses an update with neither name nor email before any request (the spec's x-esign-require-any)", async () => {
    const before = sb.requests.length;
    // @ts-expect-error the types say it too: team_id alone is not an update
    const error = await signable.users.update({ user_id: 1, team_id: 3 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({ field: "user_name", rule: "requireAny" });
    expect((error as Error).message).toContain("at least one of user_name or user_email");
    expect(sb.requests.length).toBe(before);
  });

  it("turns an unknown id into NotFoundError", async () => {
    await expect(signable.users.update({ user_id: 424242, user_name: "X" })).rejects.toMatchObject({
      status: 404,
      code: 10103,
    });
  });
});

describe("users.delete", () => {
  it("DELETEs the user, which is then gone", async () => {
    const { user_id } = await signable.users.create({ user_name: "Gone", user_email: "gone@example.com" });
    const deleted = await signable.users.delete({ user_id });
    expect(deleted).toMatchObject({ http: 200, user_email: "gone@example.com" });
    expect(last()).toMatchObject({ method: "DELETE", path: `/v1/users/${user_id}` });
    expect(last().body.length).toBe(0);
    await expect(signable.users.get({ user_id })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe("users.list", () => {
  it("walks three pages over offset/limit and stops when next is absent", async () => {
    for (let i = 0; i < 7; i++) {
      await signable.users.create({ user_name: `User ${i}`, user_email: `user${i}@example.com` });
    }
    const seen: string[] = [];
    const start = sb.requests.length;
    for await (const user of signable.users.list({ limit: 3 })) seen.push(user.user_email);
    expect(seen).toEqual(Array.from({ length: 7 }, (_, i) => `user${i}@example.com`));
    const pages = sb.requests.slice(start);
    expect(pages.map((r) => `${r.method} ${r.path}?${r.rawQuery}`)).toEqual([
      "GET /v1/users?offset=0&limit=3",
      "GET /v1/users?offset=3&limit=3",
      "GET /v1/users?offset=6&limit=3",
    ]);
  });

  it("reads one page with listPage: total_users is a string and next a URL", async () => {
    for (let i = 0; i < 3; i++) await signable.users.create({ user_name: `P${i}`, user_email: `p${i}@example.com` });
    const page = await signable.users.listPage({ offset: 0, limit: 2 });
    expect(page.total_users).toBe("3");
    expect(page.next).toBe(`${sb.url}/users?offset=2&limit=2`);
    const lastPage = await signable.users.listPage({ offset: 2, limit: 2 });
    expect(lastPage.next).toBeUndefined();
    expect(lastPage.users).toHaveLength(1);
  });

  it("can resume from the cursor of an interrupted list", async () => {
    for (let i = 0; i < 5; i++) await signable.users.create({ user_name: `R${i}`, user_email: `r${i}@example.com` });
    const first = signable.users.list({ limit: 2 });
    const taken: string[] = [];
    for await (const items of first.pages()) {
      taken.push(...items.map((u) => u.user_email));
      break;
    }
    expect(first.cursor).toBe(0);
    const resumed = await signable.users.list({ limit: 2 }, { cursor: 2 }).toArray();
    expect([...taken, ...resumed.map((u) => u.user_email)]).toEqual([0, 1, 2, 3, 4].map((i) => `r${i}@example.com`));
  });

  it("refuses a limit outside 1–50 before any request", () => {
    expect(() => signable.users.list({ limit: 51 })).toThrow(ValidationError);
  });
});

describe("authentication", () => {
  it("a wrong key gives AuthenticationError with code 10002, and the key is not in the error", async () => {
    const wrong = createSignableClient({ apiKey: "wrong-key-0123456789", baseUrl: sb.url, rateLimit: false });
    const error = await wrong.users.listPage().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe(10002);
    expect(JSON.stringify(error)).not.toContain("wrong-key-0123456789");
    expect(JSON.stringify(error)).not.toContain(Buffer.from("wrong-key-0123456789:x").toString("base64"));
  });

  it("calls an apiKey function for every request", async () => {
    let calls = 0;
    const rotating = createSignableClient({
      apiKey: async () => {
        calls++;
        return sb.credentials.apiKey;
      },
      baseUrl: sb.url,
      rateLimit: false,
    });
    await rotating.users.listPage();
    await rotating.users.listPage();
    expect(calls).toBe(2);
  });

  it("refuses a missing apiKey at construction", () => {
    // @ts-expect-error apiKey is required
    expect(() => createSignableClient({ baseUrl: sb.url })).toThrow(ValidationError);
  });
});

describe("raw", () => {
  it("is the typed openapi-fetch client, form-encoding POST bodies by itself", async () => {
    const { data, error, response } = await signable.raw.POST("/users", {
      body: { user_name: "Raw", user_email: "raw@example.com" },
    });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.user_email).toBe("raw@example.com");
    expect(last().headers["content-type"]).toBe("application/x-www-form-urlencoded");
    const missing = await signable.raw.GET("/users/{user_id}", { params: { path: { user_id: 5 } } });
    expect(missing.error).toEqual({ http: 404, code: 10103, message: expect.any(String) });
  });
});
