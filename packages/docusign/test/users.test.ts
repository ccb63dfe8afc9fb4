import { startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  BulkItemError,
  createDocuSignClient,
  EsignApiError,
  NotFoundError,
  ValidationError,
} from "../src/index.js";
import { createDocuSignClient as createDocuSignV2Client } from "../src/v2.js";
import { BMP, type DocuSignSandbox, GIF, JPEG, json, last, PNG, requestsSince } from "./helpers.js";

/** Behaviour both versions share, checked against each version's own sandbox. */
const versions = [
  { version: "v2.1", provider: "docusign", create: createDocuSignClient },
  { version: "v2", provider: "docusign-v2", create: createDocuSignV2Client },
] as const;

describe.each(versions)("DocuSign $version", ({ version, provider, create }) => {
  let sb: DocuSignSandbox;
  let ds: ReturnType<typeof create>;
  let accountPath: string;
  const token = () => `Bearer ${sb.credentials.accessToken}`;

  beforeAll(async () => {
    sb = await startSandbox({ provider });
    accountPath = `/restapi/${version}/accounts/${sb.credentials.accountId}`;
  });
  afterAll(() => sb.close());
  beforeEach(() => {
    sb.reset();
    ds = create({ baseUrl: sb.url, accessToken: sb.credentials.accessToken, accountId: sb.credentials.accountId });
  });

  async function addUser(userName: string, email: string): Promise<string> {
    const result = await ds.users.create({ newUsers: [{ userName, email }] });
    const first = result.results[0];
    if (!first?.ok) throw new Error(`could not add ${email}`);
    return first.user.userId as string;
  }

  describe("users.create", () => {
    it("POSTs newUsers as JSON with the bearer token and returns one result per user", async () => {
      const result = await ds.users.create({
        newUsers: [
          { userName: "Ada Lovelace", email: "ada@example.com" },
          { userName: "Alan Turing", email: "alan@example.com", jobTitle: "Codebreaker" },
        ],
      });
      const req = last(sb);
      expect(req).toMatchObject({ method: "POST", path: `${accountPath}/users`, rawQuery: "", status: 201 });
      expect(req.headers.authorization).toBe(token());
      expect(req.headers["content-type"]).toBe("application/json");
      expect(json(req)).toEqual({
        newUsers: [
          { userName: "Ada Lovelace", email: "ada@example.com" },
          { userName: "Alan Turing", email: "alan@example.com", jobTitle: "Codebreaker" },
        ],
      });
      expect(result.allSucceeded).toBe(true);
      expect(result.length).toBe(2);
      expect(result.succeeded.map((r) => r.user.email)).toEqual(["ada@example.com", "alan@example.com"]);
      const ada = result.succeeded[0]!.user;
      expect(ada).toMatchObject({
        userName: "Ada Lovelace",
        userStatus: "ActivationSent",
        uri: `/users/${ada.userId}`,
      });
      expect(ada.userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(ada.createdDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    });

    it("keeps a refused user as a typed per-item error although DocuSign answered 201", async () => {
      await addUser("Grace Hopper", "grace@example.com");
      const inputs = [
        { userName: "Katherine Johnson", email: "katherine@example.com" },
        { userName: "Grace Hopper", email: "GRACE@example.com" },
        { userName: "Dorothy Vaughan", email: "dorothy@example.com" },
      ];
      const result = await ds.users.create({ newUsers: inputs });
      expect(last(sb).status).toBe(201);

      expect(result.results.map((r) => r.ok)).toEqual([true, false, true]);
      expect(result.succeeded.map((r) => r.index)).toEqual([0, 2]);
      expect(result.allSucceeded).toBe(false);
      const [failure] = result.failed;
      expect(failure).toMatchObject({ ok: false, index: 1, input: inputs[1] });
      expect(failure!.error).toBeInstanceOf(BulkItemError);
      expect(failure!.error).toBeInstanceOf(EsignApiError);
      expect(failure!.error).toMatchObject({
        code: "USER_ALREADY_EXISTS_IN_ACCOUNT",
        providerMessage: "Username and email combination already exists for this account.",
        provider: "docusign",
        index: 1,
        body: { code: "USER_ALREADY_EXISTS_IN_ACCOUNT" },
      });
      expect(failure!.error.message).toContain("entry 2 (GRACE@example.com)");
      expect(failure!.entry).toMatchObject({ errorDetails: { errorCode: "USER_ALREADY_EXISTS_IN_ACCOUNT" } });
      // The decoded body stays available, untouched.
      expect(result.raw.newUsers).toHaveLength(3);
      expect(result.raw.newUsers?.[1]?.errorDetails?.errorCode).toBe("USER_ALREADY_EXISTS_IN_ACCOUNT");
      expect([...result].map((r) => r.index)).toEqual([0, 1, 2]);
    });

    it("refuses what the spec forbids before any request", async () => {
      const before = sb.requests.length;
      await expect(ds.users.create({ newUsers: [{ userName: " ", email: "a@example.com" }] })).rejects.toMatchObject({
        field: "newUsers[0].userName",
        rule: "pattern",
      });
      await expect(ds.users.create({ newUsers: [] })).rejects.toMatchObject({ field: "newUsers", rule: "minItems" });
      const tooMany = Array.from({ length: 501 }, (_, i) => ({ userName: `U${i}`, email: `u${i}@example.com` }));
      await expect(ds.users.create({ newUsers: tooMany })).rejects.toMatchObject({ field: "newUsers", rule: "maxItems" });
      expect(sb.requests.length).toBe(before);
    });

    it("reports a malformed address as that entry's failure, as DocuSign does, losing no other entry", async () => {
      const result = await ds.users.create({
        newUsers: [
          { userName: "A", email: "a@example.com" },
          { userName: "B", email: "not-an-email" },
        ],
      });
      expect(result.results.map((r) => r.ok)).toEqual([true, false]);
      expect(result.failed[0]?.error).toMatchObject({ code: "INVALID_EMAIL_ADDRESS", index: 1 });
    });
  });

  describe("users.get", () => {
    it("GETs one user with no body", async () => {
      const userId = await addUser("Ada Lovelace", "ada@example.com");
      const user = await ds.users.get({ userId });
      expect(user).toMatchObject({ userId, userName: "Ada Lovelace", email: "ada@example.com", isAdmin: "False" });
      const req = last(sb);
      expect(req).toMatchObject({ method: "GET", path: `${accountPath}/users/${userId}`, rawQuery: "" });
      expect(req.body.length).toBe(0);
      expect(req.headers["content-type"]).toBeUndefined();
      expect(req.headers.authorization).toBe(token());
    });

    it("turns DocuSign's 400 USER_DOES_NOT_EXIST_IN_SYSTEM into BadRequestError with the trace token", async () => {
      const error = await ds.users.get({ userId: "3f1c1d5e-0000-4000-8000-000000000000" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error).toMatchObject({ status: 400, code: "USER_DOES_NOT_EXIST_IN_SYSTEM", provider: "docusign" });
      const traceToken = (error as EsignApiError).headers["x-docusign-tracetoken"];
      expect(traceToken).toMatch(/^[0-9a-f-]{36}$/);
      expect((error as EsignApiError).requestId).toBe(traceToken);
    });

    it("percent-encodes a hostile id and refuses a blank one before any request", async () => {
      await expect(ds.users.get({ userId: "../users?x=1" })).rejects.toBeInstanceOf(BadRequestError);
      expect(last(sb).path).toBe(`${accountPath}/users/..%2Fusers%3Fx%3D1`);
      const before = sb.requests.length;
      await expect(ds.users.get({ userId: "  " })).rejects.toMatchObject({ name: "ValidationError", field: "userId" });
      await expect(ds.users.get({ userId: "" })).rejects.toMatchObject({ name: "ValidationError", field: "userId" });
      expect(sb.requests.length).toBe(before);
    });
  });

  describe("users.update", () => {
    it("PUTs the changed fields, with the user id in the path only", async () => {
      const userId = await addUser("Ada Lovelace", "ada@example.com");
      const user = await ds.users.update({ userId, jobTitle: "Analyst", firstName: "Ada" });
      expect(user).toMatchObject({ userId, jobTitle: "Analyst", firstName: "Ada", userName: "Ada Lovelace" });
      const req = last(sb);
      expect(req).toMatchObject({ method: "PUT", path: `${accountPath}/users/${userId}` });
      expect(json(req)).toEqual({ jobTitle: "Analyst", firstName: "Ada" });
      expect((await ds.users.get({ userId })).jobTitle).toBe("Analyst");
    });

    it("a malformed email is DocuSign's own 400 INVALID_EMAIL_ADDRESS (the spec leaves addresses to the API)", async () => {
      const userId = await addUser("Ada Lovelace", "ada@example.com");
      await expect(ds.users.update({ userId, email: "nope" })).rejects.toMatchObject({
        name: "BadRequestError",
        code: "INVALID_EMAIL_ADDRESS",
      });
    });
  });

  describe("users.updateMany", () => {
    it("PUTs the list and reports each user, the unknown one as a per-item error", async () => {
      const ada = await addUser("Ada Lovelace", "ada@example.com");
      const unknown = "3f1c1d5e-0000-4000-8000-000000000000";
      const result = await ds.users.updateMany({
        users: [
          { userId: unknown, jobTitle: "Ghost" },
          { userId: ada, jobTitle: "Analyst" },
        ],
      });
      const req = last(sb);
      expect(req).toMatchObject({ method: "PUT", path: `${accountPath}/users`, status: 200 });
      expect(json(req)).toEqual({
        users: [
          { userId: unknown, jobTitle: "Ghost" },
          { userId: ada, jobTitle: "Analyst" },
        ],
      });
      expect(result.results.map((r) => r.ok)).toEqual([false, true]);
      expect(result.failed[0]!.error).toMatchObject({ code: "USER_DOES_NOT_EXIST_IN_SYSTEM", index: 0 });
      expect(result.succeeded[0]!.user).toMatchObject({ userId: ada, jobTitle: "Analyst" });
    });

    it("refuses an entry without userId before any request", async () => {
      const before = sb.requests.length;
      await expect(ds.users.updateMany({ users: [{ userId: "a" }, { userId: "" }] })).rejects.toMatchObject({
        field: "users[1].userId",
      });
      expect(sb.requests.length).toBe(before);
    });
  });

  describe("users.close", () => {
    it("DELETEs /users with the ids in the body; closed users stay readable and listable with status=Closed", async () => {
      const ada = await addUser("Ada Lovelace", "ada@example.com");
      const alan = await addUser("Alan Turing", "alan@example.com");
      const result = await ds.users.close({ users: [{ userId: ada }], delete: "Groups" });
      const req = last(sb);
      expect(req).toMatchObject({
        method: "DELETE",
        path: `${accountPath}/users`,
        rawQuery: "delete=Groups",
        status: 200,
      });
      expect(req.headers["content-type"]).toBe("application/json");
      expect(json(req)).toEqual({ users: [{ userId: ada }] });
      expect(result.allSucceeded).toBe(true);
      expect(result.succeeded[0]!.user).toMatchObject({ userId: ada, userStatus: "Closed" });

      expect((await ds.users.get({ userId: ada })).userStatus).toBe("Closed");
      const active = await ds.users.list().toArray();
      expect(active.map((u) => u.userId)).toEqual([alan]);
      const closed = await ds.users.list({ status: "Closed" }).toArray();
      expect(closed.map((u) => u.userId)).toEqual([ada]);
      expect(last(sb).rawQuery).toBe("count=100&start_position=0&status=Closed");
    });

    it("reports an unknown user as a per-item error", async () => {
      const ada = await addUser("Ada Lovelace", "ada@example.com");
      const result = await ds.users.close({ users: [{ userId: ada }, { userId: "missing" }] });
      expect(result.results.map((r) => r.ok)).toEqual([true, false]);
      expect(result.failed[0]!.error.code).toBe("USER_DOES_NOT_EXIST_IN_SYSTEM");
    });

    it("refuses an empty list before any request", async () => {
      const before = sb.requests.length;
      await expect(ds.users.close({ users: [] })).rejects.toMatchObject({ field: "users" });
      expect(sb.requests.length).toBe(before);
    });
  });

  describe("users.list", () => {
    it("walks three pages with start_position/count and stops at totalSetSize", async () => {
      for (let i = 0; i < 5; i++) await addUser(`User ${i}`, `user${i}@example.com`);
      const start = sb.requests.length;
      const seen: string[] = [];
      for await (const user of ds.users.list({ count: 2 })) seen.push(user.email as string);
      expect(seen).toEqual([0, 1, 2, 3, 4].map((i) => `user${i}@example.com`));
      expect(requestsSince(sb, start).map((r) => `${r.method} ${r.path}?${r.rawQuery}`)).toEqual([
        `GET ${accountPath}/users?count=2&start_position=0`,
        `GET ${accountPath}/users?count=2&start_position=2`,
        `GET ${accountPath}/users?count=2&start_position=4`,
      ]);
    });

    it("passes filters through on every page", async () => {
      await addUser("Ada", "ada@example.com");
      await addUser("Bob", "bob@other.example");
      const found = await ds.users.list({ email_substring: "other", additional_info: "true" }).toArray();
      expect(found.map((u) => u.userName)).toEqual(["Bob"]);
      expect(last(sb).rawQuery).toBe("additional_info=true&count=100&email_substring=other&start_position=0");
    });

    it("resumes from the cursor of an interrupted list", async () => {
      for (let i = 0; i < 5; i++) await addUser(`R${i}`, `r${i}@example.com`);
      const first = ds.users.list({ count: 2 });
      const taken: string[] = [];
      for await (const page of first.pages()) {
        taken.push(...page.map((u) => u.email as string));
        break;
      }
      expect(first.cursor).toBe(0);
      const rest = await ds.users.list({ count: 2 }, { cursor: 2 }).toArray();
      expect([...taken, ...rest.map((u) => u.email)]).toEqual([0, 1, 2, 3, 4].map((i) => `r${i}@example.com`));
      expect(last(sb).rawQuery).toBe("count=2&start_position=4");
    });

    it("reads one page with listPage: counts and positions are strings, nextUri a relative URI", async () => {
      for (let i = 0; i < 3; i++) await addUser(`P${i}`, `p${i}@example.com`);
      const page = await ds.users.listPage({ start_position: 0, count: 2 });
      expect(page).toMatchObject({
        resultSetSize: "2",
        totalSetSize: "3",
        startPosition: "0",
        endPosition: "1",
        nextUri: "/users?count=2&start_position=2",
      });
      expect(page.previousUri).toBeUndefined();
      const lastPage = await ds.users.listPage({ start_position: 2, count: 2 });
      expect(lastPage).toMatchObject({
        resultSetSize: "1",
        endPosition: "2",
        previousUri: "/users?count=2&start_position=0",
      });
      expect(lastPage.nextUri).toBeUndefined();
    });

    it("refuses a count outside 1–100 or a bad cursor before any request", () => {
      expect(() => ds.users.list({ count: 0 })).toThrow(ValidationError);
      expect(() => ds.users.list({ count: 101 })).toThrow(ValidationError);
      expect(() => ds.users.list({}, { cursor: -1 })).toThrow(ValidationError);
    });
  });

  describe("profileImage", () => {
    it("uploads the raw bytes with the type read from them and downloads them byte for byte", async () => {
      const userId = await addUser("Ada", "ada@example.com");
      await ds.profileImage.put({ userId, image: PNG });
      const put = last(sb);
      expect(put).toMatchObject({ method: "PUT", path: `${accountPath}/users/${userId}/profile/image`, status: 200 });
      expect(put.headers["content-type"]).toBe("image/png");
      expect(Buffer.compare(put.body, Buffer.from(PNG))).toBe(0);

      const bytes = await ds.profileImage.get({ userId });
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).equals(Buffer.from(PNG))).toBe(true);
      expect(last(sb)).toMatchObject({ method: "GET", path: `${accountPath}/users/${userId}/profile/image` });
    });

    it("takes a Blob, an ArrayBuffer and a Uint8Array, for GIF, JPEG and BMP", async () => {
      const userId = await addUser("Ada", "ada@example.com");
      const cases = [
        { image: new Blob([GIF], { type: "application/octet-stream" }), bytes: GIF, type: "image/gif" },
        { image: JPEG.slice().buffer, bytes: JPEG, type: "image/jpeg" },
        { image: BMP, bytes: BMP, type: "image/bmp" },
      ];
      for (const { image, bytes, type } of cases) {
        await ds.profileImage.put({ userId, image });
        expect(last(sb).headers["content-type"]).toBe(type);
        const back = await ds.profileImage.get({ userId });
        // JPEG holds bytes that are not valid UTF-8: a text decode would have changed them.
        expect(Buffer.from(back).equals(Buffer.from(bytes))).toBe(true);
      }
    });

    it("refuses bytes that are no image, or more than 200 KB, before any request", async () => {
      const before = sb.requests.length;
      const text = new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>");
      await expect(ds.profileImage.put({ userId: "u", image: text })).rejects.toMatchObject({
        name: "ValidationError",
        field: "image",
      });
      const big = new Uint8Array(200 * 1024 + 1);
      big.set(PNG);
      await expect(ds.profileImage.put({ userId: "u", image: big })).rejects.toMatchObject({ name: "ValidationError", rule: "maxBytes" });
      await expect(
        // @ts-expect-error a string is not image bytes
        ds.profileImage.put({ userId: "u", image: "iVBORw0KGgo=" }),
      ).rejects.toBeInstanceOf(ValidationError);
      expect(sb.requests.length).toBe(before);
    });

    it("accepts exactly 200 KB", async () => {
      const userId = await addUser("Ada", "ada@example.com");
      const limit = new Uint8Array(200 * 1024);
      limit.set(PNG);
      await ds.profileImage.put({ userId, image: limit });
      expect((await ds.profileImage.get({ userId })).byteLength).toBe(200 * 1024);
    });

    it("deletes the picture; without one, get is a NotFoundError", async () => {
      const userId = await addUser("Ada", "ada@example.com");
      await ds.profileImage.put({ userId, image: GIF });
      await expect(ds.profileImage.delete({ userId })).resolves.toBeUndefined();
      expect(last(sb)).toMatchObject({ method: "DELETE", path: `${accountPath}/users/${userId}/profile/image` });
      expect(last(sb).body.length).toBe(0);
      const error = await ds.profileImage.get({ userId }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, code: "USER_PROFILE_IMAGE_NOT_FOUND" });
    });
  });

  describe("profile", () => {
    it("updates the ID card (name parts win over userName) and reads it back", async () => {
      const userId = await addUser("Ada Lovelace", "ada@example.com");
      await expect(
        ds.profile.update({
          userId,
          companyName: "Analytical Engines",
          displayOrganizationInfo: "true",
          userDetails: { userName: "Ignored", firstName: "Augusta", lastName: "King" },
        }),
      ).resolves.toBeUndefined();
      const req = last(sb);
      expect(req).toMatchObject({ method: "PUT", path: `${accountPath}/users/${userId}/profile`, status: 200 });
      expect(json(req)).toEqual({
        companyName: "Analytical Engines",
        displayOrganizationInfo: "true",
        userDetails: { userName: "Ignored", firstName: "Augusta", lastName: "King" },
      });
      const profile = await ds.profile.get({ userId });
      expect(profile).toMatchObject({
        companyName: "Analytical Engines",
        displayOrganizationInfo: "true",
        userDetails: { userId, userName: "Augusta King", firstName: "Augusta" },
      });
      expect(last(sb)).toMatchObject({ method: "GET", path: `${accountPath}/users/${userId}/profile` });
    });
  });

  describe("customSettings", () => {
    it("stores, reads and removes name/value pairs, per group with X-DocuSign-User-Settings-Key", async () => {
      const userId = await addUser("Ada", "ada@example.com");
      const stored = await ds.customSettings.update({ userId, customSettings: [{ name: "crmId", value: "4711" }] });
      expect(stored.customSettings).toEqual([{ name: "crmId", value: "4711" }]);
      expect(last(sb)).toMatchObject({ method: "PUT", path: `${accountPath}/users/${userId}/custom_settings` });
      expect(json(last(sb))).toEqual({ customSettings: [{ name: "crmId", value: "4711" }] });

      await ds.customSettings.update({ userId, group: "crm", customSettings: [{ name: "team", value: "blue" }] });
      expect(last(sb).headers["x-docusign-user-settings-key"]).toBe("crm");
      expect((await ds.customSettings.get({ userId })).customSettings).toEqual([{ name: "crmId", value: "4711" }]);
      expect(last(sb).headers["x-docusign-user-settings-key"]).toBeUndefined();
      expect((await ds.customSettings.get({ userId, group: "crm" })).customSettings).toEqual([
        { name: "team", value: "blue" },
      ]);

      const left = await ds.customSettings.delete({ userId, customSettings: [{ name: "crmId" }] });
      expect(last(sb)).toMatchObject({ method: "DELETE", path: `${accountPath}/users/${userId}/custom_settings` });
      expect(json(last(sb))).toEqual({ customSettings: [{ name: "crmId" }] });
      expect(left.customSettings).toEqual([]);
      expect((await ds.customSettings.get({ userId, group: "crm" })).customSettings).toHaveLength(1);
    });
  });

  describe("authentication and account", () => {
    it("calls a token function again after a 401 and repeats the request once", async () => {
      const fresh = await startSandbox({ provider, credentials: { accessToken: "new" } });
      try {
        const tokens = ["old", "new"];
        let calls = 0;
        const client = create({
          baseUrl: fresh.url,
          accountId: fresh.credentials.accountId,
          accessToken: async () => tokens[Math.min(calls++, tokens.length - 1)] as string,
        });
        const page = await client.users.listPage();
        expect(page.totalSetSize).toBe("0");
        expect(calls).toBe(2);
        expect(fresh.requests.map((r) => [r.headers.authorization, r.status])).toEqual([
          ["Bearer old", 401],
          ["Bearer new", 200],
        ]);
      } finally {
        await fresh.close();
      }
    });

    it("a refused static token is an AuthenticationError that does not contain the token", async () => {
      const secret = "expired-token-0123456789";
      const client = create({ baseUrl: sb.url, accessToken: secret, accountId: sb.credentials.accountId });
      const error = await client.users.listPage().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ status: 401, code: "AUTHORIZATION_INVALID_TOKEN" });
      expect(sb.requests.length).toBe(1);
      expect(JSON.stringify(error)).not.toContain(secret);
      expect(String((error as Error).stack)).not.toContain(secret);
    });

    it("fills in accountId and lets one call address another account", async () => {
      await ds.users.listPage();
      expect(last(sb).path).toBe(`${accountPath}/users`);
      const error = await ds.users.listPage({ accountId: "other-account" }).catch((e: unknown) => e);
      expect(last(sb).path).toBe(`/restapi/${version}/accounts/other-account/users`);
      expect(error).toMatchObject({ status: 400, code: "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT" });
    });

    it("adds /restapi to a base URI without a path, as OAuth userinfo returns it", async () => {
      const client = create({
        baseUrl: sb.origin,
        accessToken: sb.credentials.accessToken,
        accountId: sb.credentials.accountId,
      });
      await client.users.listPage();
      expect(last(sb).path).toBe(`${accountPath}/users`);
    });

    it("refuses missing options at construction", () => {
      const { accessToken, accountId } = sb.credentials;
      // @ts-expect-error baseUrl is required
      expect(() => create({ accessToken, accountId })).toThrow(ValidationError);
      // @ts-expect-error accountId is required
      expect(() => create({ baseUrl: sb.url, accessToken })).toThrow(ValidationError);
      // @ts-expect-error accessToken is required
      expect(() => create({ baseUrl: sb.url, accountId })).toThrow(ValidationError);
    });
  });
});
