import { startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDocuSignClient, type DocuSignClient } from "../src/v2.js";
import { type DocuSignSandbox, json, last } from "./helpers.js";

let sb: DocuSignSandbox;
let ds: DocuSignClient;
let accountPath: string;

beforeAll(async () => {
  sb = await startSandbox({ provider: "docusign-v2" });
  accountPath = `/restapi/v2/accounts/${sb.credentials.accountId}`;
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  ds = createDocuSignClient({
    baseUrl: sb.url,
    accessToken: sb.credentials.accessToken,
    accountId: sb.credentials.accountId,
  });
});

async function addUser(extra: Record<string, unknown> = {}): Promise<string> {
  const result = await ds.users.create({
    newUsers: [{ userName: "Ada Lovelace", email: "ada@example.com", ...extra }],
  });
  return result.succeeded[0]!.user.userId as string;
}

describe("v2 settings are a name/value list", () => {
  it("reads userSettings as pairs, with the rights and notifications as objects", async () => {
    const userId = await addUser();
    const settings = await ds.settings.get({ userId });
    expect(last(sb)).toMatchObject({ method: "GET", path: `${accountPath}/users/${userId}/settings` });
    expect(settings.userSettings).toContainEqual({ name: "canSendEnvelope", value: "true" });
    expect(settings.userSettings).toContainEqual({ name: "locale", value: "en" });
    expect(settings).not.toHaveProperty("canSendEnvelope");
    expect(settings.accountManagementGranular).toMatchObject({
      canViewUsers: "false",
      canViewUsersMetadata: { rights: "editable" },
    });
    expect(settings.signerEmailNotifications?.envelopeActivation).toBe("true");
  });

  it("changes the named settings only", async () => {
    const userId = await addUser();
    await expect(
      ds.settings.update({
        userId,
        userSettings: [
          { name: "locale", value: "de" },
          { name: "canSendEnvelope", value: "false" },
        ],
        accountManagementGranular: { canManageUsers: "true" },
      }),
    ).resolves.toBeUndefined();
    const req = last(sb);
    expect(req).toMatchObject({ method: "PUT", path: `${accountPath}/users/${userId}/settings`, rawQuery: "" });
    expect(json(req)).toEqual({
      userSettings: [
        { name: "locale", value: "de" },
        { name: "canSendEnvelope", value: "false" },
      ],
      accountManagementGranular: { canManageUsers: "true" },
    });
    const settings = await ds.settings.get({ userId });
    expect(settings.userSettings).toContainEqual({ name: "locale", value: "de" });
    expect(settings.userSettings).toContainEqual({ name: "canSendEnvelope", value: "false" });
    expect(settings.userSettings).toContainEqual({ name: "canSignEnvelope", value: "true" });
    expect(settings.accountManagementGranular?.canManageUsers).toBe("true");
  });

  it("takes settings as pairs on create; a user carries accountManagementGranular itself", async () => {
    const userId = await addUser({ userSettings: [{ name: "canManageAccount", value: "true" }] });
    const user = await ds.users.get({ userId });
    expect(user.isAdmin).toBe("True");
    expect(user.userSettings).toContainEqual({ name: "canManageAccount", value: "true" });
    expect(user.accountManagementGranular).toMatchObject({ canManageUsers: "false" });
    expect(user).not.toHaveProperty("hasRemoteNotary");
    expect(user).not.toHaveProperty("company");
  });
});

describe("v2 profile", () => {
  it("counts usage with JSON integers and has no zipPlus4", async () => {
    const userId = await addUser();
    await ds.profile.update({ userId, address: { address1: "1 Main St", postalCode: "94105" } });
    const profile = await ds.profile.get({ userId });
    expect(last(sb).path).toBe(`${accountPath}/users/${userId}/profile`);
    expect(profile.usageHistory).toMatchObject({ sentCount: 0, signedCount: 0 });
    expect(profile.address).toEqual({ address1: "1 Main St", postalCode: "94105" });
  });
});

describe("raw", () => {
  it("is the typed openapi-fetch client for v2 paths, with the same auth", async () => {
    const userId = await addUser();
    const { data, response } = await ds.raw.GET("/v2/accounts/{accountId}/users/{userId}", {
      params: { path: { accountId: sb.credentials.accountId, userId } },
    });
    expect(response.status).toBe(200);
    expect(data?.userSettings).toContainEqual({ name: "canSendEnvelope", value: "true" });
    expect(last(sb).headers.authorization).toBe(`Bearer ${sb.credentials.accessToken}`);
  });
});

it("is the v2 client", () => {
  expect(ds.version).toBe("v2");
});
