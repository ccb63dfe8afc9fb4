import { createRequire } from "node:module";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../src/index.js";

/**
 * The official DocuSign Node SDK (`docusign-esign`), a client nobody here wrote,
 * run against the v2.1 sandbox. It ships no type declarations; the part used
 * here is described below.
 */
interface UsersApi {
  list(accountId: string, options?: Record<string, string>): Promise<UserInformationList>;
  create(accountId: string, options: { newUsersDefinition: unknown }): Promise<{ newUsers?: NewUser[] }>;
  getInformation(accountId: string, userId: string, options?: Record<string, string>): Promise<UserInformation>;
  updateUser(accountId: string, userId: string, options: { userInformation: unknown }): Promise<UserInformation>;
  getSettings(accountId: string, userId: string): Promise<Record<string, unknown>>;
  updateSettings(accountId: string, userId: string, options: { userSettingsInformation: unknown }): Promise<unknown>;
  _delete(accountId: string, options: { userInfoList: unknown }): Promise<{ users?: UserInformation[] }>;
}
interface UserInformation {
  userId?: string;
  userName?: string;
  email?: string;
  jobTitle?: string;
  userStatus?: string;
  userSettings?: Record<string, unknown>;
}
interface UserInformationList {
  users?: UserInformation[];
  totalSetSize?: string;
  resultSetSize?: string;
  nextUri?: string;
}
interface NewUser extends UserInformation {
  errorDetails?: { errorCode?: string; message?: string };
}
interface DocuSignSdk {
  ApiClient: new (options?: { basePath?: string }) => {
    addDefaultHeader(name: string, value: string): void;
    setBasePath(path: string): void;
  };
  UsersApi: new (client: unknown) => UsersApi;
}

const sdk = createRequire(import.meta.url)("docusign-esign") as DocuSignSdk;

let sb: Sandbox<{ accessToken: string; accountId: string }>;
let users: UsersApi;
let accountId: string;

beforeAll(async () => {
  sb = await startSandbox({ provider: "docusign" });
  accountId = sb.credentials.accountId;
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  const client = new sdk.ApiClient();
  client.setBasePath(sb.url);
  client.addDefaultHeader("Authorization", `Bearer ${sb.credentials.accessToken}`);
  users = new sdk.UsersApi(client);
});

describe("the official docusign-esign SDK against the v2.1 sandbox", () => {
  it("creates users, one of them refused per entry", async () => {
    await users.create(accountId, {
      newUsersDefinition: { newUsers: [{ userName: "Grace Hopper", email: "grace@example.com" }] },
    });
    const summary = await users.create(accountId, {
      newUsersDefinition: {
        newUsers: [
          { userName: "Ada Lovelace", email: "ada@example.com", userSettings: { locale: "fr" } },
          { userName: "Grace Hopper", email: "grace@example.com" },
        ],
      },
    });
    expect(summary.newUsers?.[0]).toMatchObject({ userName: "Ada Lovelace", userStatus: "ActivationSent" });
    expect(summary.newUsers?.[1]?.errorDetails?.errorCode).toBe("USER_ALREADY_EXISTS_IN_ACCOUNT");
    // The SDK posts the JSON body as given, with its own headers.
    const req = sb.requests.at(-1)!;
    expect(req).toMatchObject({ method: "POST", path: `/restapi/v2.1/accounts/${accountId}/users`, status: 201 });
    expect(req.headers["x-docusign-sdk"]).toBe("Node");
  });

  it("lists users, sending Content-Type: application/json on a bodiless GET", async () => {
    for (const name of ["Ada", "Alan", "Grace"]) {
      await users.create(accountId, {
        newUsersDefinition: { newUsers: [{ userName: name, email: `${name.toLowerCase()}@example.com` }] },
      });
    }
    const page = await users.list(accountId, { count: "2", startPosition: "0", additionalInfo: "true" });
    expect(page.totalSetSize).toBe("3");
    expect(page.resultSetSize).toBe("2");
    expect(page.nextUri).toBe("/users?additional_info=true&count=2&start_position=2");
    expect(page.users?.map((u) => u.userName)).toEqual(["Ada", "Alan"]);
    expect(page.users?.[0]?.userSettings).toMatchObject({ canSendEnvelope: "true" });
    const req = sb.requests.at(-1)!;
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body.length).toBe(0);
    expect(req.status).toBe(200);
  });

  it("gets and updates a user", async () => {
    const created = await users.create(accountId, {
      newUsersDefinition: { newUsers: [{ userName: "Ada", email: "ada@example.com" }] },
    });
    const userId = created.newUsers![0]!.userId!;
    const user = await users.getInformation(accountId, userId, { includeLicense: "true" });
    expect(user).toMatchObject({ userId, userName: "Ada", email: "ada@example.com" });
    expect(sb.requests.at(-1)!.rawQuery).toBe("include_license=true");
    const updated = await users.updateUser(accountId, userId, { userInformation: { jobTitle: "Analyst" } });
    expect(updated.jobTitle).toBe("Analyst");
    expect((await users.getInformation(accountId, userId)).jobTitle).toBe("Analyst");
  });

  it("reads and changes settings", async () => {
    const created = await users.create(accountId, {
      newUsersDefinition: { newUsers: [{ userName: "Ada", email: "ada@example.com" }] },
    });
    const userId = created.newUsers![0]!.userId!;
    const before = await users.getSettings(accountId, userId);
    expect(before).toMatchObject({ locale: "en", canSendEnvelope: "true" });
    await users.updateSettings(accountId, userId, {
      userSettingsInformation: { locale: "de", canSendEnvelope: "false" },
    });
    expect(sb.requests.at(-1)!.status).toBe(200);
    const after = await users.getSettings(accountId, userId);
    expect(after).toMatchObject({ locale: "de", canSendEnvelope: "false" });
  });

  it("closes users with DELETE /users", async () => {
    const created = await users.create(accountId, {
      newUsersDefinition: { newUsers: [{ userName: "Ada", email: "ada@example.com" }] },
    });
    const userId = created.newUsers![0]!.userId!;
    const closed = await users._delete(accountId, { userInfoList: { users: [{ userId }] } });
    expect(closed.users?.[0]).toMatchObject({ userId, userStatus: "Closed" });
    const req = sb.requests.at(-1)!;
    expect(req).toMatchObject({ method: "DELETE", path: `/restapi/v2.1/accounts/${accountId}/users`, status: 200 });
    expect((await users.list(accountId, { status: "Closed" })).users?.map((u) => u.userId)).toEqual([userId]);
    expect((await users.list(accountId)).totalSetSize).toBe("0");
  });

  it("surfaces the sandbox's DocuSign error body to the SDK", async () => {
    const error = (await users
      .getInformation(accountId, "3f1c1d5e-0000-4000-8000-000000000000")
      .catch((e: unknown) => e)) as {
      response?: { status: number; data: unknown };
    };
    expect(error.response?.status).toBe(400);
    expect(error.response?.data).toMatchObject({ errorCode: "USER_DOES_NOT_EXIST_IN_SYSTEM" });
  });
});
