/**
 * Dropbox Sign's own Node SDK (npm `@dropbox/sign`), a client nobody here wrote,
 * against the sandbox, changed in nothing but its base path and credentials: if the
 * sandbox drifted from the real wire format, these calls would be refused or their
 * answers lost in the SDK's models.
 */
import { AccountApi, HttpError, TeamAddMemberRequest, TeamApi } from "@dropbox/sign";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { acceptDropboxSignInvite, type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "../src/index.js";

let sb: Sandbox<SandboxCredentials["dropboxsign"], SandboxState["dropboxsign"]>;
let account: AccountApi;
let team: TeamApi;

beforeAll(async () => {
  sb = await startSandbox({ provider: "dropboxsign" });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  account = new AccountApi();
  account.basePath = sb.url;
  account.username = sb.credentials.apiKey;
  team = new TeamApi();
  team.basePath = sb.url;
  team.username = sb.credentials.apiKey;
});

const last = () => sb.requests.at(-1)!;
const jsonSent = () => JSON.parse(last().body.toString("utf8"));
const teamId = () => sb.state.accounts.get(sb.state.callerId)!.teamId as string;
const subTeam = (name: string) => [...sb.state.teams.values()].find((t) => t.name === name)!.teamId;
/** The rejection of a call that should fail, as the SDK's HttpError. */
async function failure(call: Promise<unknown>): Promise<HttpError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HttpError);
  return error as HttpError;
}

describe("the official Dropbox Sign SDK against the sandbox", () => {
  it("is pointed at the sandbox by its base path, which ends in /v3", () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v3$/);
    expect(account.basePath).toBe(sb.url);
  });

  it("reads the calling account, sending Basic with the key and an empty password, JSON content type and its user agent", async () => {
    const { response, body } = await account.accountGet();
    expect(response.status).toBe(200);
    expect(body.account).toMatchObject({
      accountId: sb.state.callerId,
      emailAddress: "owner@example.com",
      isLocked: false,
      isPaidHs: true,
      roleCode: "a",
      teamId: teamId(),
      locale: "en-US",
      callbackUrl: null,
    });
    expect(body.account?.quotas?.apiSignatureRequestsLeft).toEqual(expect.any(Number));
    expect(body.account?.settings?.smsDelivery).toBe(false);
    const req = last();
    expect(req).toMatchObject({ method: "GET", path: "/v3/account", rawQuery: "", operationId: "accountGet", status: 200, problems: [] });
    expect(req.headers.authorization).toBe(`Basic ${Buffer.from(`${sb.credentials.apiKey}:`).toString("base64")}`);
    expect(req.headers["user-agent"]).toMatch(/^OpenAPI-Generator\//);
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body.length).toBe(0);
    expect(response.headers["x-ratelimit-limit"]).toBe("100");
  });

  it("reads another account by email address or id, and creates, updates and verifies accounts", async () => {
    const created = await account.accountCreate({ emailAddress: "ada@example.com", locale: "fr-FR" });
    expect(last()).toMatchObject({ method: "POST", path: "/v3/account/create", status: 200 });
    expect(jsonSent()).toEqual({ email_address: "ada@example.com", locale: "fr-FR" });
    const ada = created.body.account?.accountId as string;
    expect(ada).toMatch(/^[0-9a-f]{40}$/);
    expect(created.body.oauthData).toBeUndefined();

    expect((await account.accountGet(undefined, "ada@example.com")).body.account?.accountId).toBe(ada);
    expect(last().rawQuery).toBe("email_address=ada%40example.com");
    expect((await account.accountGet(ada)).body.account?.emailAddress).toBe("ada@example.com");
    expect(last().rawQuery).toBe(`account_id=${ada}`);

    const updated = await account.accountUpdate({ callbackUrl: "https://example.com/hook", locale: "de-DE" });
    expect(jsonSent()).toEqual({ callback_url: "https://example.com/hook", locale: "de-DE" });
    expect(updated.body.account).toMatchObject({ callbackUrl: "https://example.com/hook", locale: "de-DE" });

    const found = await account.accountVerify({ emailAddress: "ada@example.com" });
    expect(jsonSent()).toEqual({ email_address: "ada@example.com" });
    expect(found.body.account?.emailAddress).toBe("ada@example.com");
    const missing = await account.accountVerify({ emailAddress: "nobody@example.com" });
    expect(missing.response.data).toEqual({});
    expect(missing.body.account).toBeUndefined();
  });

  it("creates an account through an app, whose oauth_data token the SDK then authenticates with", async () => {
    const created = await account.accountCreate({ emailAddress: "app-user@example.com", clientId: "cid", clientSecret: "secret" });
    expect(jsonSent()).toEqual({ email_address: "app-user@example.com", client_id: "cid", client_secret: "secret" });
    expect(created.body.oauthData).toMatchObject({ tokenType: "Bearer", expiresIn: 86400, accessToken: expect.any(String) });
    const theirs = new AccountApi();
    theirs.basePath = sb.url;
    theirs.accessToken = created.body.oauthData?.accessToken as string;
    expect((await theirs.accountGet()).body.account?.emailAddress).toBe("app-user@example.com");
    expect(last().headers.authorization).toBe(`Bearer ${created.body.oauthData?.accessToken}`);
  });

  it("authenticates with the sandbox's access token as a Bearer", async () => {
    const oauth = new TeamApi();
    oauth.basePath = sb.url;
    oauth.accessToken = sb.credentials.accessToken;
    expect((await oauth.teamGet()).body.team?.name).toBe("Sandbox Team");
    expect(last().headers.authorization).toBe(`Bearer ${sb.credentials.accessToken}`);
  });

  it("invites by address (with team_id in the query and a role) and by account id; lists invitations", async () => {
    const byEmail = await team.teamAddMember({ emailAddress: "new@example.com", role: TeamAddMemberRequest.RoleEnum.Developer }, teamId());
    expect(last()).toMatchObject({ method: "PUT", path: "/v3/team/add_member", rawQuery: `team_id=${teamId()}`, status: 200 });
    expect(jsonSent()).toEqual({ email_address: "new@example.com", role: "Developer" });
    expect(byEmail.body.team?.invitedEmails).toEqual(["new@example.com"]);

    const ada = (await account.accountCreate({ emailAddress: "ada@example.com" })).body.account?.accountId as string;
    const byId = await team.teamAddMember({ accountId: ada });
    expect(last().rawQuery).toBe("");
    expect(jsonSent()).toEqual({ account_id: ada });
    expect(byId.body.team?.invitedAccounts?.map((a) => a.accountId)).toEqual([ada]);

    const invites = await team.teamInvites("new@example.com");
    expect(last().rawQuery).toBe("email_address=new%40example.com");
    expect(invites.body.teamInvites).toEqual([
      expect.objectContaining({ emailAddress: "new@example.com", teamId: teamId(), role: "Developer", redeemedAt: null }),
    ]);
    expect(Number.isInteger(invites.body.teamInvites?.[0]?.sentAt)).toBe(true);
    expect((await team.teamInvites()).body.teamInvites).toEqual([]);
  });

  it("lists members and sub-teams a page at a time, with list_info", async () => {
    for (const email of ["a@example.com", "b@example.com"]) {
      await team.teamAddMember({ emailAddress: email });
      acceptDropboxSignInvite(sb.state, email);
    }
    const page = await team.teamMembers(teamId(), 2, 2);
    expect(last()).toMatchObject({ path: `/v3/team/members/${teamId()}`, rawQuery: "page=2&page_size=2" });
    expect(page.body.teamMembers).toEqual([expect.objectContaining({ emailAddress: "b@example.com", role: "Member" })]);
    expect(page.body.listInfo).toMatchObject({ page: 2, numPages: 2, numResults: 3, pageSize: 2 });

    const subTeams = await team.teamSubTeams(teamId(), 1, 2);
    expect(subTeams.body.subTeams?.map((t) => t.name)).toEqual(["Legal", "Sales"]);
    expect(subTeams.body.listInfo?.numPages).toBe(2);

    const info = await team.teamInfo(subTeam("Sales"));
    expect(last().rawQuery).toBe(`team_id=${subTeam("Sales")}`);
    expect(info.body.team).toMatchObject({ teamId: subTeam("Sales"), name: "Sales", numMembers: 0, teamParent: { teamId: teamId(), name: "Sandbox Team" } });
    expect((await team.teamInfo()).body.team).toMatchObject({ numMembers: 3, numSubTeams: 3, teamParent: null });
  });

  it("removes a member, handing their documents to a teammate, and takes the 201", async () => {
    for (const email of ["ada@example.com", "grace@example.com"]) {
      await team.teamAddMember({ emailAddress: email });
      acceptDropboxSignInvite(sb.state, email);
    }
    const removed = await team.teamRemoveMember({ emailAddress: "ada@example.com", newOwnerEmailAddress: "grace@example.com" });
    expect(removed.response.status).toBe(201);
    expect(last()).toMatchObject({ method: "POST", path: "/v3/team/remove_member", status: 201 });
    expect(jsonSent()).toEqual({ email_address: "ada@example.com", new_owner_email_address: "grace@example.com" });
    expect(removed.body.team?.accounts?.map((a) => a.emailAddress)).toEqual(["owner@example.com", "grace@example.com"]);
    expect((await account.accountGet(undefined, "ada@example.com")).body.account?.teamId).toBeNull();
  });

  it("renames, deletes and recreates the team", async () => {
    expect((await team.teamUpdate({ name: "Renamed" })).body.team?.name).toBe("Renamed");
    expect(jsonSent()).toEqual({ name: "Renamed" });

    const deleted = await team.teamDelete();
    expect(deleted.response.status).toBe(200);
    expect(last()).toMatchObject({ method: "DELETE", path: "/v3/team/destroy", status: 200 });
    expect(last().body.length).toBe(0);

    const created = await team.teamCreate({});
    expect(last().body.toString()).toBe("{}");
    expect(created.body.team).toMatchObject({ name: "Untitled Team", invitedEmails: [], invitedAccounts: [] });
    expect(created.body.team?.accounts?.[0]?.roleCode).toBe("a");
  });

  it("rejects with HttpError carrying the status and the error name", async () => {
    const invited = await failure(team.teamCreate({ name: "Second" }));
    expect(invited.statusCode).toBe(400);
    expect(invited.body.error).toMatchObject({ errorName: "bad_request", errorMsg: expect.any(String) });

    const outsider = await account.accountCreate({ emailAddress: "other@example.com", clientId: "c", clientSecret: "s" });
    const theirs = new TeamApi();
    theirs.basePath = sb.url;
    theirs.accessToken = outsider.body.oauthData?.accessToken as string;
    await theirs.teamCreate({ name: "Other Org" });
    const taken = await failure(team.teamAddMember({ emailAddress: "other@example.com" }));
    expect(taken.statusCode).toBe(400);
    expect(taken.body.error?.errorName).toBe("team_invite_failed");

    // The SDK percent-encodes the path id; the sandbox decodes it and finds no such team.
    const unknown = await failure(team.teamMembers("a/b c"));
    expect(last().path).toBe("/v3/team/members/a%2Fb%20c");
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body.error?.errorName).toBe("not_found");

    const wrong = new AccountApi();
    wrong.basePath = sb.url;
    wrong.username = "not-the-key";
    const refused = await failure(wrong.accountGet());
    expect(refused.statusCode).toBe(401);
    expect(refused.body.error?.errorName).toBe("unauthorized");

    sb.faults.next(1, { type: "status", status: 429, retryAfter: 3 });
    const limited = await failure(team.teamGet());
    expect(limited.statusCode).toBe(429);
    expect(limited.body.error?.errorName).toBe("exceeded_rate");
    expect(limited.response.headers["retry-after"]).toBe("3");
  });
});
