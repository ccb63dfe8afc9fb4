import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "../src/index.js";

type DocuSignSandbox = Sandbox<SandboxCredentials["docusign"], SandboxState["docusign"]>;

const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0xc3, 0x28, 0xff, 0xd9]);

describe.each([
  { version: "v2.1", provider: "docusign" },
  { version: "v2", provider: "docusign-v2" },
] as const)("the DocuSign $version sandbox", ({ version, provider }) => {
  let sb: DocuSignSandbox;
  let base: string;

  beforeAll(async () => {
    sb = await startSandbox({ provider });
    base = `/${version}/accounts/${sb.credentials.accountId}`;
  });
  afterAll(() => sb.close());
  beforeEach(() => sb.reset());

  async function call(
    method: string,
    path: string,
    init: { body?: unknown; headers?: Record<string, string>; raw?: Buffer } = {},
  ) {
    const headers: Record<string, string> = { Authorization: `Bearer ${sb.credentials.accessToken}`, ...init.headers };
    let body: BodyInit | undefined;
    if (init.raw) body = new Uint8Array(init.raw);
    else if (init.body !== undefined) {
      body = JSON.stringify(init.body);
      headers["Content-Type"] ??= "application/json";
    }
    const res = await fetch(`${sb.url}${path}`, { method, body, headers });
    const bytes = Buffer.from(await res.arrayBuffer());
    const isJson = res.headers.get("content-type")?.includes("json");
    return {
      status: res.status,
      headers: res.headers,
      bytes,
      json: isJson && bytes.length ? JSON.parse(bytes.toString()) : undefined,
    };
  }

  const create = (...users: { userName: string; email: string }[]) =>
    call("POST", `${base}/users`, { body: { newUsers: users } });
  async function addUser(userName = "Ada Lovelace", email = "ada@example.com"): Promise<string> {
    const res = await create({ userName, email });
    return res.json.newUsers[0].userId;
  }

  it("serves under /restapi with deterministic default credentials", () => {
    expect(sb.url).toBe(`http://127.0.0.1:${sb.port}/restapi`);
    // What a client needs; the v2 sandbox also says which version the client must speak.
    expect(sb.credentials).toEqual({
      accessToken: "sandbox-docusign-access-token",
      accountId: "0c6f1e6e-3b1a-4c7e-9f3a-5a2d1b0c9e87",
      ...(version === "v2" ? { version: "v2" } : {}),
    });
  });

  describe("authentication", () => {
    it("answers a missing token with 401 USER_AUTHENTICATION_FAILED and a wrong one with AUTHORIZATION_INVALID_TOKEN", async () => {
      const missing = await fetch(`${sb.url}${base}/users`);
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ errorCode: "USER_AUTHENTICATION_FAILED" });
      const wrong = await call("GET", `${base}/users`, { headers: { Authorization: "Bearer not-the-token" } });
      expect(wrong.status).toBe(401);
      expect(wrong.json).toEqual({
        errorCode: "AUTHORIZATION_INVALID_TOKEN",
        message: "The access token provided is expired, revoked or malformed.",
      });
    });

    it("refuses an account the token's user does not belong to", async () => {
      const res = await call("GET", `/${version}/accounts/some-other-account/users`);
      expect(res.status).toBe(400);
      expect(res.json.errorCode).toBe("USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT");
    });

    it("tags every answer with X-DocuSign-TraceToken", async () => {
      const ok = await call("GET", `${base}/users`);
      const refused = await call("GET", `${base}/users`, { headers: { Authorization: "Bearer x" } });
      expect(ok.headers.get("x-docusign-tracetoken")).toMatch(/^[0-9a-f-]{36}$/);
      expect(refused.headers.get("x-docusign-tracetoken")).not.toBe(ok.headers.get("x-docusign-tracetoken"));
    });
  });

  describe("bulk add", () => {
    it("answers 201 with one entry per user; duplicates fail per entry with USER_ALREADY_EXISTS_IN_ACCOUNT", async () => {
      await addUser("Grace Hopper", "grace@example.com");
      const res = await create(
        { userName: "Grace Hopper", email: "Grace@Example.com" },
        { userName: "Alan Turing", email: "alan@example.com" },
        { userName: "Alan Turing", email: "alan@example.com" },
        { userName: "Grace H.", email: "grace@example.com" },
      );
      expect(res.status).toBe(201);
      const entries = res.json.newUsers;
      expect(entries.map((e: { errorDetails?: { errorCode: string } }) => e.errorDetails?.errorCode ?? "ok")).toEqual([
        "USER_ALREADY_EXISTS_IN_ACCOUNT",
        "ok",
        "USER_ALREADY_EXISTS_IN_ACCOUNT",
        // The same email under another name is a different user for DocuSign.
        "ok",
      ]);
      expect(entries[0]).toEqual({
        email: "Grace@Example.com",
        userName: "Grace Hopper",
        createdDateTime: "0001-01-01T08:00:00.0000000Z",
        errorDetails: {
          errorCode: "USER_ALREADY_EXISTS_IN_ACCOUNT",
          message: "Username and email combination already exists for this account.",
        },
      });
      expect(entries[1]).toMatchObject({
        userName: "Alan Turing",
        userStatus: "ActivationSent",
        uri: `/users/${entries[1].userId}`,
      });
      expect(sb.state.users.size).toBe(3);
    });

    it("refuses a malformed address per entry and a body without newUsers as a whole", async () => {
      const res = await create({ userName: "X", email: "not-an-email" });
      expect(res.status).toBe(201);
      expect(res.json.newUsers[0].errorDetails.errorCode).toBe("INVALID_EMAIL_ADDRESS");
      const empty = await call("POST", `${base}/users`, { body: {} });
      expect(empty.status).toBe(400);
      expect(empty.json.errorCode).toBe("INVALID_REQUEST_BODY");
      const noName = await call("POST", `${base}/users`, { body: { newUsers: [{ email: "a@example.com" }] } });
      expect(noName.json.errorCode).toBe("INVALID_REQUEST_BODY");
    });
  });

  describe("lists", () => {
    it("pages with strings, nextUri and previousUri, keeping the filters", async () => {
      for (let i = 0; i < 5; i++) await addUser(`User ${i}`, `user${i}@example.com`);
      const first = await call("GET", `${base}/users?email_substring=user&start_position=0&count=2`);
      expect(first.json).toMatchObject({
        resultSetSize: "2",
        totalSetSize: "5",
        startPosition: "0",
        endPosition: "1",
        nextUri: "/users?email_substring=user&start_position=2&count=2",
      });
      expect(first.json).not.toHaveProperty("previousUri");
      const middle = await call("GET", `${base}/users?start_position=2&count=2`);
      expect(middle.json).toMatchObject({
        startPosition: "2",
        endPosition: "3",
        nextUri: "/users?start_position=4&count=2",
        previousUri: "/users?start_position=0&count=2",
      });
      const end = await call("GET", `${base}/users?start_position=4&count=2`);
      expect(end.json).toMatchObject({ resultSetSize: "1", endPosition: "4" });
      expect(end.json).not.toHaveProperty("nextUri");
      const none = await call("GET", `${base}/users?email=nobody@example.com`);
      expect(none.json).toMatchObject({ users: [], resultSetSize: "0", totalSetSize: "0", endPosition: "-1" });
    });

    it("refuses a count over 100 with INVALID_REQUEST_PARAMETER", async () => {
      const res = await call("GET", `${base}/users?count=101`);
      expect(res.status).toBe(400);
      expect(res.json.errorCode).toBe("INVALID_REQUEST_PARAMETER");
    });
  });

  describe("closing", () => {
    it("closes without deleting: the user is read as Closed and only listed with status=Closed", async () => {
      const ada = await addUser();
      const res = await call("DELETE", `${base}/users`, { body: { users: [{ userId: ada }, { userId: "missing" }] } });
      expect(res.status).toBe(200);
      expect(res.json.users[0]).toMatchObject({ userId: ada, userStatus: "Closed" });
      expect(res.json.users[1]).toEqual({
        userId: "missing",
        errorDetails: { errorCode: "USER_DOES_NOT_EXIST_IN_SYSTEM", message: "The user does not exist in the system." },
      });
      expect(sb.state.users.get(ada)?.status).toBe("Closed");
      expect((await call("GET", `${base}/users/${ada}`)).json.userStatus).toBe("Closed");
      expect((await call("GET", `${base}/users`)).json.totalSetSize).toBe("0");
      expect((await call("GET", `${base}/users?status=Closed,Disabled`)).json.users[0].userId).toBe(ada);
    });
  });

  describe("unknown users", () => {
    it("answers 400 USER_DOES_NOT_EXIST_IN_SYSTEM on every per-user endpoint", async () => {
      const id = "3f1c1d5e-0000-4000-8000-000000000000";
      const paths = ["", "/settings", "/profile", "/profile/image", "/custom_settings"];
      for (const path of paths) {
        const res = await call("GET", `${base}/users/${id}${path}`);
        expect([path, res.status, res.json?.errorCode]).toEqual([path, 400, "USER_DOES_NOT_EXIST_IN_SYSTEM"]);
      }
      const put = await call("PUT", `${base}/users/${id}`, { body: { jobTitle: "x" } });
      expect(put.json.errorCode).toBe("USER_DOES_NOT_EXIST_IN_SYSTEM");
    });
  });

  describe("profile images", () => {
    it("stores the bytes and returns them with their content type", async () => {
      const id = await addUser();
      const put = await call("PUT", `${base}/users/${id}/profile/image`, {
        raw: JPEG,
        headers: { "Content-Type": "image/jpeg" },
      });
      expect(put.status).toBe(200);
      expect(put.bytes.length).toBe(0);
      const got = await call("GET", `${base}/users/${id}/profile/image`);
      expect(got.status).toBe(200);
      expect(got.headers.get("content-type")).toBe("image/jpeg");
      expect(got.bytes.equals(JPEG)).toBe(true);
      expect((await call("GET", `${base}/users/${id}`)).json.profileImageUri).toBe(
        `/restapi${base}/users/${id}/profile/image`,
      );
    });

    it("answers 404 without a picture and 400 for bytes that are no image or too large", async () => {
      const id = await addUser();
      const none = await call("GET", `${base}/users/${id}/profile/image`);
      expect(none.status).toBe(404);
      expect(none.json.errorCode).toBe("USER_PROFILE_IMAGE_NOT_FOUND");
      const text = await call("PUT", `${base}/users/${id}/profile/image`, {
        raw: Buffer.from("hello"),
        headers: { "Content-Type": "image/png" },
      });
      expect(text.status).toBe(400);
      expect(text.json.errorCode).toBe("INVALID_USER_PROFILE_IMAGE");
      const big = Buffer.concat([PNG, Buffer.alloc(200 * 1024)]);
      const large = await call("PUT", `${base}/users/${id}/profile/image`, {
        raw: big,
        headers: { "Content-Type": "image/png" },
      });
      expect(large.status).toBe(400);
      const json = await call("PUT", `${base}/users/${id}/profile/image`, { body: { image: "x" } });
      expect(json.status).toBe(400);
      expect(json.json.errorCode).toBe("INVALID_CONTENT_TYPE");
    });

    it("deletes the picture", async () => {
      const id = await addUser();
      await call("PUT", `${base}/users/${id}/profile/image`, { raw: PNG, headers: { "Content-Type": "image/png" } });
      expect((await call("DELETE", `${base}/users/${id}/profile/image`)).status).toBe(200);
      expect((await call("GET", `${base}/users/${id}/profile/image`)).status).toBe(404);
    });
  });

  describe("custom settings", () => {
    it("keeps groups apart by X-DocuSign-User-Settings-Key", async () => {
      const id = await addUser();
      const path = `${base}/users/${id}/custom_settings`;
      await call("PUT", path, { body: { customSettings: [{ name: "a", value: "1" }] } });
      await call("PUT", path, {
        body: { customSettings: [{ name: "b", value: "2" }] },
        headers: { "X-DocuSign-User-Settings-Key": "crm" },
      });
      expect((await call("GET", path)).json).toEqual({ customSettings: [{ name: "a", value: "1" }] });
      const grouped = await call("GET", path, { headers: { "X-DocuSign-User-Settings-Key": "crm" } });
      expect(grouped.json).toEqual({ customSettings: [{ name: "b", value: "2" }] });
      const nameless = await call("PUT", path, { body: { customSettings: [{ value: "3" }] } });
      expect(nameless.status).toBe(400);
    });
  });

  describe("quirks of the official SDK", () => {
    it("accepts Content-Type: application/json on bodiless GETs and {} as the body of a bodiless DELETE", async () => {
      const id = await addUser();
      const get = await call("GET", `${base}/users/${id}`, { headers: { "Content-Type": "application/json" } });
      expect(get.status).toBe(200);
      const del = await call("DELETE", `${base}/users/${id}/profile/image`, { body: {} });
      expect(del.status).toBe(200);
    });
  });

  it("answers unknown paths with 404 and wrong methods with 405, in DocuSign's error format", async () => {
    const unknown = await call("GET", `${base}/groups`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ errorCode: "RESOURCE_NOT_FOUND" });
    const method = await call("PATCH", `${base}/users`);
    expect(method.status).toBe(405);
    expect(method.json.errorCode).toBe("METHOD_NOT_ALLOWED");
  });
});

describe("what differs between the versions", () => {
  let v21: DocuSignSandbox;
  let v2: DocuSignSandbox;
  beforeAll(async () => {
    [v21, v2] = await Promise.all([startSandbox({ provider: "docusign" }), startSandbox({ provider: "docusign-v2" })]);
  });
  afterAll(() => Promise.all([v21.close(), v2.close()]));

  let added = 0;
  async function roundTrip(sb: DocuSignSandbox, version: string, settings: unknown) {
    const base = `${sb.url}/${version}/accounts/${sb.credentials.accountId}`;
    const headers = { Authorization: `Bearer ${sb.credentials.accessToken}`, "Content-Type": "application/json" };
    const created = await fetch(`${base}/users`, {
      method: "POST",
      headers,
      body: JSON.stringify({ newUsers: [{ userName: "Ada", email: `ada-${++added}@example.com` }] }),
    });
    const userId = ((await created.json()) as { newUsers: { userId: string }[] }).newUsers[0]!.userId;
    const put = await fetch(`${base}/users/${userId}/settings`, {
      method: "PUT",
      headers,
      body: JSON.stringify(settings),
    });
    expect(put.status).toBe(200);
    const got = await fetch(`${base}/users/${userId}/settings`, { headers });
    const profile = await fetch(`${base}/users/${userId}/profile`, { headers });
    return {
      settings: (await got.json()) as Record<string, unknown>,
      profile: (await profile.json()) as Record<string, unknown>,
    };
  }

  it("v2.1 keeps settings as one object with metadata; v2 as name/value pairs", async () => {
    const flat = await roundTrip(v21, "v2.1", { locale: "de", localeMetadata: { rights: "read_only" } });
    expect(flat.settings).toMatchObject({ locale: "de", localeMetadata: { rights: "editable" } });
    expect(flat.settings).not.toHaveProperty("userSettings");
    const pairs = await roundTrip(v2, "v2", { userSettings: [{ name: "locale", value: "de" }] });
    expect(pairs.settings.userSettings).toContainEqual({ name: "locale", value: "de" });
    expect(pairs.settings).not.toHaveProperty("locale");
  });

  it("v2.1 counts usage with strings, v2 with integers", async () => {
    const flat = await roundTrip(v21, "v2.1", {});
    expect(flat.profile.usageHistory).toEqual({ sentCount: "0", signedCount: "0" });
    const pairs = await roundTrip(v2, "v2", {});
    expect(pairs.profile.usageHistory).toEqual({ sentCount: 0, signedCount: 0 });
  });

  it('startSandbox({ provider: "docusign" }) is v2.1', async () => {
    const res = await fetch(`${v21.url}/v2/accounts/${v21.credentials.accountId}/users`, {
      headers: { Authorization: `Bearer ${v21.credentials.accessToken}` },
    });
    expect(res.status).toBe(404);
  });
});
