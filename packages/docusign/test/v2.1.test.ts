import { startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDocuSignClient, type DocuSignClient, DOCUSIGN_DEMO_BASE_URL, parseDocuSignFlag } from "../src/index.js";
import { type DocuSignSandbox, json, last } from "./helpers.js";

let sb: DocuSignSandbox;
let ds: DocuSignClient;
let accountPath: string;

beforeAll(async () => {
  // `provider: "docusign"` is v2.1, the current version.
  sb = await startSandbox({ provider: "docusign" });
  accountPath = `/restapi/v2.1/accounts/${sb.credentials.accountId}`;
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

describe("v2.1 settings are one flat object", () => {
  it("reads each setting by name with its …Metadata companion", async () => {
    const userId = await addUser();
    const settings = await ds.settings.get({ userId });
    expect(last(sb)).toMatchObject({ method: "GET", path: `${accountPath}/users/${userId}/settings` });
    expect(settings.canSendEnvelope).toBe("true");
    expect(settings.canSendEnvelopeMetadata).toMatchObject({ rights: "editable", uiType: "Checkbox" });
    expect(settings.locale).toBe("en");
    expect(settings.senderEmailNotifications?.envelopeComplete).toBe("true");
    expect(settings.accountManagementGranular?.canManageUsers).toBe("false");
    expect(settings.accountManagementGranular?.canManageUsersMetadata?.rights).toBe("editable");
    // canViewUsers has no metadata companion in v2.1 (it has one in v2).
    expect(settings.accountManagementGranular).not.toHaveProperty("canViewUsersMetadata");
    expect(settings).not.toHaveProperty("userSettings");
  });

  it("updates settings by name (metadata is read-only) and answers with no body", async () => {
    const userId = await addUser();
    const answer = await ds.settings.update({
      userId,
      allow_all_languages: "true",
      locale: "de",
      canSendEnvelope: "false",
      senderEmailNotifications: { envelopeComplete: "false" },
    });
    expect(answer).toBeUndefined();
    const req = last(sb);
    expect(req).toMatchObject({
      method: "PUT",
      path: `${accountPath}/users/${userId}/settings`,
      rawQuery: "allow_all_languages=true",
    });
    expect(json(req)).toEqual({
      locale: "de",
      canSendEnvelope: "false",
      senderEmailNotifications: { envelopeComplete: "false" },
    });
    const settings = await ds.settings.get({ userId });
    expect(settings).toMatchObject({ locale: "de", canSendEnvelope: "false" });
    expect(settings.senderEmailNotifications).toMatchObject({ envelopeComplete: "false", deliveryFailed: "true" });
  });

  it("takes settings as an object on create and update", async () => {
    const userId = await addUser({
      company: "Langley Research",
      userSettings: { locale: "fr", canManageAccount: "true" },
    });
    const user = await ds.users.get({ userId });
    expect(user.company).toBe("Langley Research");
    expect(user.userSettings).toMatchObject({ locale: "fr", canManageAccount: "true" });
    expect(user.isAdmin).toBe("True");
    expect(parseDocuSignFlag(user.isAdmin)).toBe(true);
    await ds.users.update({ userId, userSettings: { canManageAccount: "false" } });
    expect(json(last(sb))).toEqual({ userSettings: { canManageAccount: "false" } });
    expect((await ds.users.get({ userId })).isAdmin).toBe("False");
  });
});

describe("v2.1 user fields and filters", () => {
  it("returns hasRemoteNotary as the one real boolean, and the license with include_license", async () => {
    const userId = await addUser();
    const user = await ds.users.get({ userId, include_license: "true" });
    expect(last(sb).rawQuery).toBe("include_license=true");
    expect(user.hasRemoteNotary).toBe(false);
    expect(user).toMatchObject({
      licenseType: "eSignature",
      licenseStatus: "active",
      defaultAccountId: sb.credentials.accountId,
    });
  });

  it("sends the later list filters (alternate_admins_only, include_license) as strings", async () => {
    await addUser();
    const page = await ds.users.listPage({ include_license: "true", login_status: "true", domain_users_only: "false" });
    expect(last(sb).rawQuery).toBe("domain_users_only=false&include_license=true&login_status=true");
    expect(page.users?.[0]).toMatchObject({ licenseStatus: "active", loginStatus: "false" });
    const admins = await ds.users.listPage({ alternate_admins_only: "true" });
    expect(admins.totalSetSize).toBe("0");
  });

  it("lists full details (settings object, custom settings) with additional_info", async () => {
    const userId = await addUser();
    await ds.customSettings.update({ userId, customSettings: [{ name: "crmId", value: "7" }] });
    const [user] = await ds.users.list({ additional_info: "true" }).toArray();
    expect(user?.userSettings).toMatchObject({ canSendEnvelope: "true" });
    expect(user?.customSettings).toEqual([{ name: "crmId", value: "7" }]);
  });

  it("keeps zipPlus4 in addresses and counts usage with strings", async () => {
    const userId = await addUser();
    await ds.profile.update({ userId, address: { address1: "1 Main St", postalCode: "94105", zipPlus4: "1234" } });
    const profile = await ds.profile.get({ userId });
    expect(profile.address).toEqual({ address1: "1 Main St", postalCode: "94105", zipPlus4: "1234" });
    expect(profile.usageHistory).toMatchObject({ sentCount: "0", signedCount: "0" });
  });
});

describe("raw", () => {
  it("is the typed openapi-fetch client for v2.1 paths, with the same auth", async () => {
    const userId = await addUser();
    const { data, response } = await ds.raw.GET("/v2.1/accounts/{accountId}/users/{userId}", {
      params: { path: { accountId: sb.credentials.accountId, userId } },
    });
    expect(response.status).toBe(200);
    expect(data?.userSettings?.canSendEnvelope).toBe("true");
    expect(last(sb).headers.authorization).toBe(`Bearer ${sb.credentials.accessToken}`);
  });
});

describe("module surface", () => {
  it("names the developer environment and reads DocuSign flags in any case", () => {
    expect(DOCUSIGN_DEMO_BASE_URL).toBe("https://demo.docusign.net/restapi");
    expect([
      parseDocuSignFlag("True"),
      parseDocuSignFlag("false"),
      parseDocuSignFlag(true),
      parseDocuSignFlag("yes"),
    ]).toEqual([true, false, true, undefined]);
    expect(ds.version).toBe("v2.1");
    expect(ds.accountId).toBe(sb.credentials.accountId);
  });
});
