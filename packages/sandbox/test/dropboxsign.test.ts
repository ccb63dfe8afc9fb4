import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import spec from "../src/generated/dropboxsign.js";
import { acceptDropboxSignInvite, type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "../src/index.js";

let sb: Sandbox<SandboxCredentials["dropboxsign"], SandboxState["dropboxsign"]>;

beforeAll(async () => {
  sb = await startSandbox({ provider: "dropboxsign" });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

const basic = (user: string, password = "") => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

interface CallInit {
  json?: unknown;
  form?: FormData;
  raw?: { body: string; contentType: string };
  auth?: string | null;
}

async function call(method: string, path: string, init: CallInit = {}) {
  const headers: Record<string, string> = {};
  const auth = init.auth === undefined ? basic(sb.credentials.apiKey) : init.auth;
  if (auth !== null) headers.Authorization = auth;
  let body: string | FormData | undefined;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers["Content-Type"] = "application/json";
  } else if (init.form) body = init.form;
  else if (init.raw) {
    body = init.raw.body;
    headers["Content-Type"] = init.raw.contentType;
  }
  const res = await fetch(`${sb.url}${path}`, { method, headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const caller = () => sb.state.accounts.get(sb.state.callerId)!;
const teamId = () => caller().teamId as string;
const teamNamed = (name: string) => [...sb.state.teams.values()].find((t) => t.name === name)!.teamId;
const accountOf = (email: string) => [...sb.state.accounts.values()].find((a) => a.email === email)!;
const invite = (email: string, query = "", role?: string) =>
  call("PUT", `/team/add_member${query}`, { json: role ? { email_address: email, role } : { email_address: email } });
/** Invites and accepts, so the address becomes a member of the caller's team. */
async function member(email: string) {
  expect((await invite(email)).status).toBe(200);
  acceptDropboxSignInvite(sb.state, email);
}
const form = (fields: Record<string, string>) => {
  const fd = new FormData();
  for (const [k, v] of Object.entries(fields)) fd.append(k, v);
  return fd;
};
const errorOf = (status: number, name: string) => ({ status, json: { error: expect.objectContaining({ error_name: name, error_msg: expect.any(String) }) } });

describe("the Dropbox Sign sandbox", () => {
  it("serves /v3 with the calling account as the Admin of a team with three sub-teams", async () => {
    expect(sb.url).toBe(`${sb.origin}/v3`);
    const res = await call("GET", "/account");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      account: {
        account_id: expect.stringMatching(/^[0-9a-f]{40}$/),
        email_address: "owner@example.com",
        is_locked: false,
        is_paid_hs: true,
        is_paid_hf: false,
        quotas: expect.objectContaining({ api_signature_requests_left: expect.any(Number), documents_left: null }),
        callback_url: null,
        role_code: "a",
        team_id: expect.stringMatching(/^[0-9a-f]{40}$/),
        locale: "en-US",
        usage: { fax_pages_sent: 0 },
        settings: { signer_access_codes: false, sms_delivery: false, sms_authentication: false },
      },
    });
    const team = await call("GET", "/team");
    expect(team.json.team).toMatchObject({ name: "Sandbox Team", invited_accounts: [], invited_emails: [] });
    expect(team.json.team.accounts.map((a: { email_address: string }) => a.email_address)).toEqual(["owner@example.com"]);
    expect((await call("GET", "/team/info")).json.team).toEqual({
      team_id: res.json.account.team_id,
      team_parent: null,
      name: "Sandbox Team",
      num_members: 1,
      num_sub_teams: 3,
    });
  });

  it("hands out the same ids after a reset", async () => {
    const before = (await call("GET", "/account")).json.account;
    await call("POST", "/account/create", { json: { email_address: "ada@example.com" } });
    const ada = accountOf("ada@example.com").accountId;
    sb.reset();
    expect((await call("GET", "/account")).json.account).toEqual(before);
    await call("POST", "/account/create", { json: { email_address: "ada@example.com" } });
    expect(accountOf("ada@example.com").accountId).toBe(ada);
  });

  it("answers an unknown path with 404 not_found and a request the spec forbids with 400 bad_request naming the field", async () => {
    expect(await call("GET", "/teams")).toMatchObject(errorOf(404, "not_found"));
    const badEmail = await call("POST", "/account/verify", { json: { email_address: "not-an-email" } });
    expect(badEmail).toMatchObject(errorOf(400, "bad_request"));
    expect(badEmail.json.error.error_path).toBe("email_address");
    const badRole = await call("PUT", `/team/add_member?team_id=${teamId()}`, { json: { email_address: "x@example.com", role: "Owner" } });
    expect(badRole).toMatchObject(errorOf(400, "bad_request"));
    expect(badRole.json.error.error_path).toBe("role");
    expect(await call("PUT", "/team/add_member", { json: { role: "Member" } })).toMatchObject(errorOf(400, "bad_request"));
    expect(sb.requests.at(-1)?.problems?.length).toBeGreaterThan(0);
  });
});

describe("credentials", () => {
  it("takes the API key as the Basic user name with an empty password, or the access token as a Bearer", async () => {
    expect((await call("GET", "/account")).status).toBe(200);
    expect((await call("GET", "/account", { auth: `Bearer ${sb.credentials.accessToken}` })).status).toBe(200);
    expect(sb.requests.at(-1)?.headers.authorization).toBe(`Bearer ${sb.credentials.accessToken}`);
  });

  it("refuses a wrong key, a non-empty password, a wrong token and no credentials with 401 unauthorized", async () => {
    for (const auth of [basic("not-the-key"), basic(sb.credentials.apiKey, "x"), "Bearer not-the-token", basic(sb.credentials.accessToken), null]) {
      const res = await call("GET", "/account", { auth });
      expect(res, String(auth)).toMatchObject(errorOf(401, "unauthorized"));
      expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    }
    expect(sb.requests.at(-1)).toMatchObject({ status: 401, operationId: "accountGet" });
  });
});

describe("accounts", () => {
  it("reads an account by account_id or email_address, the id winning when both are given", async () => {
    await call("POST", "/account/create", { json: { email_address: "ada@example.com" } });
    const ada = accountOf("ada@example.com").accountId;
    const byId = await call("GET", `/account?account_id=${ada}`);
    expect(byId.json.account).toMatchObject({ account_id: ada, email_address: "ada@example.com", team_id: null, role_code: null });
    expect((await call("GET", "/account?email_address=ADA%40example.com")).json.account.account_id).toBe(ada);
    const both = await call("GET", `/account?account_id=${sb.state.callerId}&email_address=ada%40example.com`);
    expect(both.json.account.email_address).toBe("owner@example.com");
    expect(await call("GET", `/account?account_id=${"0".repeat(40)}`)).toMatchObject(errorOf(404, "not_found"));
    expect(await call("GET", "/account?email_address=nobody%40example.com")).toMatchObject(errorOf(404, "not_found"));
  });

  it("updates the caller's callback URL and locale, and no one else's", async () => {
    const res = await call("PUT", "/account", { json: { callback_url: "https://example.com/hook", locale: "fr-FR" } });
    expect(res.json.account).toMatchObject({ callback_url: "https://example.com/hook", locale: "fr-FR" });
    const own = await call("PUT", "/account", { json: { account_id: sb.state.callerId, locale: "de-DE" } });
    expect(own.json.account.locale).toBe("de-DE");
    expect((await call("PUT", "/account", { json: { account_id: null, locale: "en-GB" } })).json.account.locale).toBe("en-GB");
    await call("POST", "/account/create", { json: { email_address: "ada@example.com" } });
    const other = await call("PUT", "/account", { json: { account_id: accountOf("ada@example.com").accountId, locale: "es-ES" } });
    expect(other).toMatchObject(errorOf(403, "forbidden"));
    expect(other.json.error.error_path).toBe("account_id");
    expect(accountOf("ada@example.com").locale).toBe("en-US");
  });

  it("creates accounts, refusing an address that already has one (whatever its case) with 400 bad_request", async () => {
    const res = await call("POST", "/account/create", { json: { email_address: "ada@example.com", locale: "fr-FR" } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ account: expect.objectContaining({ email_address: "ada@example.com", locale: "fr-FR", is_paid_hs: false }) });
    expect(res.json.oauth_data).toBeUndefined();
    const again = await call("POST", "/account/create", { json: { email_address: "Ada@Example.com" } });
    expect(again).toMatchObject(errorOf(400, "bad_request"));
    expect(again.json.error.error_path).toBe("email_address");
    expect(sb.state.accounts.size).toBe(2);
  });

  it("adds oauth_data with an app's client_id and client_secret, whose access token acts for the new account", async () => {
    const res = await call("POST", "/account/create", { json: { email_address: "app-user@example.com", client_id: "cid", client_secret: "secret" } });
    expect(res.json.oauth_data).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      refresh_token: expect.any(String),
      expires_in: 86400,
      state: null,
    });
    const mine = await call("GET", "/account", { auth: `Bearer ${res.json.oauth_data.access_token}` });
    expect(mine.json.account.email_address).toBe("app-user@example.com");
    // A refresh token is no access token.
    expect((await call("GET", "/account", { auth: `Bearer ${res.json.oauth_data.refresh_token}` })).status).toBe(401);
    const half = await call("POST", "/account/create", { json: { email_address: "b@example.com", client_id: "cid" } });
    expect(half).toMatchObject(errorOf(400, "bad_request"));
    expect(half.json.error.error_path).toBe("client_secret");
  });

  it("verifies an address: {account:{email_address}} when an account has it, {} (still 200) when none has", async () => {
    const found = await call("POST", "/account/verify", { json: { email_address: "OWNER@example.com" } });
    expect(found).toMatchObject({ status: 200, json: { account: { email_address: "owner@example.com" } } });
    const missing = await call("POST", "/account/verify", { json: { email_address: "nobody@example.com" } });
    expect(missing).toMatchObject({ status: 200, text: "{}" });
  });
});

describe("the team", () => {
  it("renames the team, refusing a blank name", async () => {
    const res = await call("PUT", "/team", { json: { name: "Renamed" } });
    expect(res).toMatchObject({ status: 200, json: { team: { name: "Renamed" } } });
    expect(await call("PUT", "/team", { json: { name: "  " } })).toMatchObject(errorOf(400, "bad_request"));
    expect((await call("GET", "/team")).json.team.name).toBe("Renamed");
  });

  it("deletes a team whose one member is the caller (200, no body); then GET /team is 404 and a new team can be made", async () => {
    expect(await call("POST", "/team/create", { json: { name: "Second" } })).toMatchObject(errorOf(400, "bad_request"));
    const gone = await call("DELETE", "/team/destroy");
    expect(gone).toMatchObject({ status: 200, text: "" });
    expect(gone.headers.get("content-length")).toBe("0");
    expect(gone.headers.get("x-ratelimit-limit")).toBe("100");
    expect(sb.state.teams.size).toBe(0);
    expect(await call("GET", "/team")).toMatchObject(errorOf(404, "not_found"));
    expect(await call("GET", "/team/info")).toMatchObject(errorOf(404, "not_found"));
    expect(await call("DELETE", "/team/destroy")).toMatchObject(errorOf(404, "not_found"));
    expect((await call("GET", "/account")).json.account).toMatchObject({ team_id: null, role_code: null });

    const made = await call("POST", "/team/create", { json: {} });
    expect(made.json.team).toMatchObject({ name: "Untitled Team", invited_accounts: [], invited_emails: [] });
    expect(made.json.team.accounts).toEqual([expect.objectContaining({ email_address: "owner@example.com", role_code: "a" })]);
  });

  it("refuses to delete a team with other members, in it or in a sub-team, with 403 forbidden", async () => {
    await member("ada@example.com");
    expect(await call("DELETE", "/team/destroy")).toMatchObject(errorOf(403, "forbidden"));
    await call("POST", "/team/remove_member", { json: { email_address: "ada@example.com", new_team_id: teamNamed("Sales") } });
    expect(await call("DELETE", "/team/destroy")).toMatchObject(errorOf(403, "forbidden"));
    await call("POST", "/team/remove_member", { json: { email_address: "ada@example.com" } });
    expect((await call("DELETE", "/team/destroy")).status).toBe(200);
  });

  it("describes a sub-team with its parent; an unknown team is 404, another organisation's 403", async () => {
    const sales = await call("GET", `/team/info?team_id=${teamNamed("Sales")}`);
    expect(sales.json.team).toEqual({
      team_id: teamNamed("Sales"),
      team_parent: { team_id: teamId(), name: "Sandbox Team" },
      name: "Sales",
      num_members: 0,
      num_sub_teams: 0,
    });
    expect(await call("GET", `/team/info?team_id=${"f".repeat(40)}`)).toMatchObject(errorOf(404, "not_found"));
    const outsider = await call("POST", "/account/create", { json: { email_address: "other@example.com", client_id: "c", client_secret: "s" } });
    const token = `Bearer ${outsider.json.oauth_data.access_token}`;
    const theirs = await call("POST", "/team/create", { json: { name: "Other Org" }, auth: token });
    expect(theirs.status).toBe(200);
    expect(await call("GET", `/team/info?team_id=${teamNamed("Other Org")}`)).toMatchObject(errorOf(403, "forbidden"));
    expect(await call("GET", `/team/members/${teamNamed("Other Org")}`)).toMatchObject(errorOf(403, "forbidden"));
  });
});

describe("invitations", () => {
  it("invites an address with no account: an account is made, listed under invited_emails until accepted", async () => {
    const res = await invite("new@example.com");
    expect(res.status).toBe(200);
    expect(res.json.team.invited_emails).toEqual(["new@example.com"]);
    expect(res.json.team.invited_accounts).toEqual([]);
    expect(res.json.team.accounts).toHaveLength(1);
    const made = await call("GET", "/account?email_address=new%40example.com");
    expect(made.json.account).toMatchObject({ team_id: null, role_code: null });
  });

  it("invites an existing account (by account_id, which wins over email_address) under invited_accounts", async () => {
    await call("POST", "/account/create", { json: { email_address: "ada@example.com" } });
    const ada = accountOf("ada@example.com").accountId;
    const res = await call("PUT", "/team/add_member", { json: { account_id: ada, email_address: "ignored@example.com" } });
    expect(res.json.team.invited_accounts).toEqual([expect.objectContaining({ account_id: ada, team_id: null })]);
    expect(res.json.team.invited_emails).toEqual([]);
    expect(sb.state.accounts.size).toBe(2);
    expect(await call("PUT", "/team/add_member", { json: { account_id: "0".repeat(40) } })).toMatchObject(errorOf(404, "not_found"));
  });

  it("lists invitations with Unix-second times, for the caller or the address given", async () => {
    const before = Math.floor(Date.now() / 1000);
    await invite("ada@example.com");
    const res = await call("GET", "/team/invites?email_address=ada%40example.com");
    expect(res.json.team_invites).toEqual([
      { email_address: "ada@example.com", team_id: teamId(), role: "Member", sent_at: expect.any(Number), redeemed_at: null, expires_at: expect.any(Number) },
    ]);
    const [inv] = res.json.team_invites;
    expect(inv.sent_at).toBeGreaterThanOrEqual(before);
    expect(inv.sent_at).toBeLessThan(before + 60);
    expect(inv.expires_at).toBeGreaterThan(inv.sent_at);
    expect((await call("GET", "/team/invites")).json).toEqual({ team_invites: [] });
  });

  it("takes role only together with team_id", async () => {
    await invite("ada@example.com", "", "Developer");
    await invite("grace@example.com", `?team_id=${teamId()}`, "Team Manager");
    await invite("alan@example.com", `?team_id=${teamNamed("Sales")}`, "Developer");
    const role = async (email: string) => (await call("GET", `/team/invites?email_address=${encodeURIComponent(email)}`)).json.team_invites[0];
    expect((await role("ada@example.com")).role).toBe("Member");
    expect((await role("grace@example.com")).role).toBe("Team Manager");
    expect(await role("alan@example.com")).toMatchObject({ role: "Developer", team_id: teamNamed("Sales") });
  });

  it("moves an accepted invitee into accounts with the invited role, and redeems the invitation", async () => {
    await invite("ada@example.com", `?team_id=${teamId()}`, "Developer");
    await call("POST", "/account/create", { json: { email_address: "grace@example.com" } });
    await invite("grace@example.com");
    const accepted = acceptDropboxSignInvite(sb.state, "ada@example.com");
    expect(accepted).toMatchObject({ teamId: teamId(), role: "Developer" });
    acceptDropboxSignInvite(sb.state, accountOf("grace@example.com").accountId);
    const team = (await call("GET", "/team")).json.team;
    expect(team.accounts.map((a: { email_address: string; role_code: string }) => [a.email_address, a.role_code])).toEqual([
      ["owner@example.com", "a"],
      ["ada@example.com", "d"],
      ["grace@example.com", "m"],
    ]);
    expect(team.invited_emails).toEqual([]);
    expect(team.invited_accounts).toEqual([]);
    const [inv] = (await call("GET", "/team/invites?email_address=ada%40example.com")).json.team_invites;
    expect(inv.redeemed_at).toEqual(expect.any(Number));
    expect(() => acceptDropboxSignInvite(sb.state, "ada@example.com")).toThrow(/no pending invitation/);
    expect(() => acceptDropboxSignInvite(sb.state, "nobody@example.com")).toThrow(/no account/);
  });

  it("refuses someone already in another team, or already in this one, with team_invite_failed", async () => {
    const outsider = await call("POST", "/account/create", { json: { email_address: "other@example.com", client_id: "c", client_secret: "s" } });
    await call("POST", "/team/create", { json: { name: "Other Org" }, auth: `Bearer ${outsider.json.oauth_data.access_token}` });
    expect(await invite("other@example.com")).toMatchObject(errorOf(400, "team_invite_failed"));
    await member("ada@example.com");
    expect(await invite("ada@example.com")).toMatchObject(errorOf(400, "team_invite_failed"));
    // Inviting again while the invitation is pending renews it rather than adding a second one.
    await invite("grace@example.com");
    await invite("grace@example.com");
    expect(sb.state.invites.filter((i) => i.email === "grace@example.com")).toHaveLength(1);
  });

  it("lets only an Admin or Team Manager invite and remove (403 forbidden for a Member)", async () => {
    const res = await call("POST", "/account/create", { json: { email_address: "ada@example.com", client_id: "c", client_secret: "s" } });
    const ada = `Bearer ${res.json.oauth_data.access_token}`;
    await invite("ada@example.com");
    acceptDropboxSignInvite(sb.state, "ada@example.com");
    expect(await call("PUT", "/team/add_member", { json: { email_address: "x@example.com" }, auth: ada })).toMatchObject(errorOf(403, "forbidden"));
    expect(await call("PUT", "/team", { json: { name: "Mine" }, auth: ada })).toMatchObject(errorOf(403, "forbidden"));
    expect((await call("GET", "/team", { auth: ada })).status).toBe(200);
  });
});

describe("removing members", () => {
  it("removes a member with 201 and the team; the account remains", async () => {
    await member("ada@example.com");
    const res = await call("POST", "/team/remove_member", { json: { email_address: "ada@example.com" } });
    expect(res.status).toBe(201);
    expect(res.json.team.accounts.map((a: { email_address: string }) => a.email_address)).toEqual(["owner@example.com"]);
    expect(res.headers.get("x-ratelimit-remaining")).toEqual(expect.any(String));
    const ada = await call("GET", "/account?email_address=ada%40example.com");
    expect(ada.json.account).toMatchObject({ team_id: null, role_code: null });
  });

  it("withdraws an outstanding invitation", async () => {
    await invite("new@example.com");
    const res = await call("POST", "/team/remove_member", { json: { email_address: "new@example.com" } });
    expect(res).toMatchObject({ status: 201, json: { team: { invited_emails: [] } } });
    expect((await call("GET", "/team/invites?email_address=new%40example.com")).json.team_invites).toEqual([]);
  });

  it("hands documents to a teammate with new_owner_email_address, who must be one", async () => {
    await member("ada@example.com");
    await member("grace@example.com");
    const bad = await call("POST", "/team/remove_member", { json: { email_address: "ada@example.com", new_owner_email_address: "nobody@example.com" } });
    expect(bad).toMatchObject(errorOf(400, "bad_request"));
    expect(bad.json.error.error_path).toBe("new_owner_email_address");
    const ok = await call("POST", "/team/remove_member", { json: { account_id: accountOf("ada@example.com").accountId, new_owner_email_address: "grace@example.com" } });
    expect(ok.status).toBe(201);
  });

  it("moves a member to another team with new_team_id and new_role", async () => {
    await member("ada@example.com");
    const sales = teamNamed("Sales");
    await call("POST", "/team/remove_member", { json: { email_address: "ada@example.com", new_team_id: sales, new_role: "Team Manager" } });
    expect((await call("GET", `/team/members/${sales}`)).json.team_members).toEqual([
      { account_id: accountOf("ada@example.com").accountId, email_address: "ada@example.com", role: "Team Manager" },
    ]);
    expect((await call("GET", `/team/info?team_id=${sales}`)).json.team.num_members).toBe(1);
  });

  it("refuses to remove the caller, an unknown account, or someone not on the team", async () => {
    expect(await call("POST", "/team/remove_member", { json: { account_id: sb.state.callerId } })).toMatchObject(errorOf(403, "forbidden"));
    expect(await call("POST", "/team/remove_member", { json: { email_address: "nobody@example.com" } })).toMatchObject(errorOf(404, "not_found"));
    await call("POST", "/account/create", { json: { email_address: "loner@example.com" } });
    expect(await call("POST", "/team/remove_member", { json: { email_address: "loner@example.com" } })).toMatchObject(errorOf(404, "not_found"));
  });
});

describe("paging", () => {
  const emails = (res: { json: { team_members: { email_address: string }[] } }) => res.json.team_members.map((m) => m.email_address);

  it("pages members with page (from 1) and page_size, with list_info", async () => {
    for (const name of ["a", "b", "c", "d"]) await member(`${name}@example.com`);
    const first = await call("GET", `/team/members/${teamId()}?page=1&page_size=2`);
    expect(emails(first)).toEqual(["owner@example.com", "a@example.com"]);
    expect(first.json.team_members[0]).toEqual({ account_id: sb.state.callerId, email_address: "owner@example.com", role: "Admin" });
    expect(first.json.list_info).toEqual({ page: 1, num_pages: 3, num_results: 5, page_size: 2 });
    const last = await call("GET", `/team/members/${teamId()}?page=3&page_size=2`);
    expect(emails(last)).toEqual(["d@example.com"]);
    const beyond = await call("GET", `/team/members/${teamId()}?page=4&page_size=2`);
    expect(beyond.json).toEqual({ team_members: [], list_info: { page: 4, num_pages: 3, num_results: 5, page_size: 2 } });
    const defaults = await call("GET", `/team/members/${teamId()}`);
    expect(defaults.json.list_info).toEqual({ page: 1, num_pages: 1, num_results: 5, page_size: 20 });
    const full = await call("GET", `/team/members/${teamId()}?page_size=5`);
    expect(full.json.list_info.num_pages).toBe(1);
  });

  it("keeps page_size within 1–100 and page from 1, as the spec says", async () => {
    expect((await call("GET", `/team/members/${teamId()}?page_size=100`)).json.list_info.page_size).toBe(100);
    for (const query of ["page_size=101", "page_size=0", "page=0", "page=two"]) {
      const res = await call("GET", `/team/members/${teamId()}?${query}`);
      expect(res, query).toMatchObject(errorOf(400, "bad_request"));
      expect(res.json.error.error_path).toBe(query.split("=")[0]);
    }
    expect(await call("GET", `/team/members/${"0".repeat(40)}`)).toMatchObject(errorOf(404, "not_found"));
    expect((await call("GET", "/team/members/%20")).status).toBe(400);
  });

  it("pages sub-teams the same way", async () => {
    const first = await call("GET", `/team/sub_teams/${teamId()}?page_size=2`);
    expect(first.json).toEqual({
      sub_teams: [
        { team_id: teamNamed("Legal"), name: "Legal" },
        { team_id: teamNamed("Sales"), name: "Sales" },
      ],
      list_info: { page: 1, num_pages: 2, num_results: 3, page_size: 2 },
    });
    const second = await call("GET", `/team/sub_teams/${teamId()}?page=2&page_size=2`);
    expect(second.json.sub_teams.map((t: { name: string }) => t.name)).toEqual(["Support"]);
    expect((await call("GET", `/team/sub_teams/${teamId()}?page=3&page_size=2`)).json.sub_teams).toEqual([]);
    const none = await call("GET", `/team/sub_teams/${teamNamed("Sales")}`);
    expect(none.json).toEqual({ sub_teams: [], list_info: { page: 1, num_pages: 0, num_results: 0, page_size: 20 } });
  });
});

describe("multipart/form-data bodies", () => {
  it("are read like JSON ones (a FormData body, as cURL's -F sends)", async () => {
    const created = await call("POST", "/account/create", { form: form({ email_address: "mp@example.com", locale: "fr-FR" }) });
    expect(created.status).toBe(200);
    expect(created.json.account).toMatchObject({ email_address: "mp@example.com", locale: "fr-FR" });
    expect(String(sb.requests.at(-1)?.headers["content-type"])).toMatch(/^multipart\/form-data; boundary=/);
    const invited = await call("PUT", `/team/add_member?team_id=${teamId()}`, { form: form({ email_address: "mp@example.com", role: "Developer" }) });
    expect(invited.json.team.invited_accounts).toHaveLength(1);
    expect(sb.state.invites[0]?.role).toBe("Developer");
    expect((await call("PUT", "/account", { form: form({ callback_url: "https://example.com/cb" }) })).json.account.callback_url).toBe(
      "https://example.com/cb",
    );
    const refused = await call("POST", "/account/create", { form: form({ email_address: "not-an-email" }) });
    expect(refused).toMatchObject(errorOf(400, "bad_request"));
  });

  it("are read from hand-built bytes: a preamble, quoted parameters, a value with line breaks and UTF-8", async () => {
    const body = [
      "ignored preamble",
      "--XyZ",
      'Content-Disposition: form-data; name="name"',
      "Content-Type: text/plain; charset=utf-8",
      "",
      "Équipe\r\nDeux",
      "--XyZ--",
      "epilogue",
    ].join("\r\n");
    const res = await call("PUT", "/team", { raw: { body, contentType: 'multipart/form-data; boundary="XyZ"' } });
    expect(res.status).toBe(200);
    expect(res.json.team.name).toBe("Équipe\r\nDeux");
  });

  it("that are malformed, carry a file or lack a boundary get a clear 400 bad_request", async () => {
    const cases: [string, string, RegExp][] = [
      ["--b\r\nContent-Disposition: form-data; name=\"email_address\"\r\n\r\nx@example.com\r\n", "multipart/form-data; boundary=b", /closing boundary/],
      ["--b\r\nContent-Disposition: form-data; name=\"email_address\"\r\n\r\nx@example.com\r\n--b--", "multipart/form-data", /boundary parameter/],
      ["no delimiter at all", "multipart/form-data; boundary=b", /no boundary delimiter/],
      ["--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--", "multipart/form-data; boundary=b", /no field name/],
      ["--b\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--b--", "multipart/form-data; boundary=b", /not a form-data field/],
      ["--b\r\nContent-Disposition: form-data; name=\"a\"\r\nx\r\n--b--", "multipart/form-data; boundary=b", /no header block/],
      [
        '--b\r\nContent-Disposition: form-data; name="email_address"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nx@example.com\r\n--b--',
        "multipart/form-data; boundary=b",
        /is a file/,
      ],
    ];
    for (const [body, contentType, message] of cases) {
      const res = await call("POST", "/account/create", { raw: { body, contentType } });
      expect(res, body).toMatchObject(errorOf(400, "bad_request"));
      expect(res.json.error.error_msg, body).toMatch(message);
    }
    expect(sb.state.accounts.size).toBe(1);
  });

  it("are one of the two media types a body may have; another is refused", async () => {
    const res = await call("POST", "/account/create", { raw: { body: "email_address=x@example.com", contentType: "text/plain" } });
    expect(res).toMatchObject(errorOf(400, "bad_request"));
    expect(res.json.error.error_msg).toContain("multipart/form-data");
  });
});

describe("rate-limit headers, faults and the journal", () => {
  it("puts X-RateLimit-Limit, X-RateLimit-Remaining and X-Ratelimit-Reset on every success the spec declares them on", async () => {
    const paths = (spec as { paths: Record<string, Record<string, { responses: Record<string, { $ref?: string; headers?: object }> }>> }).paths;
    const components = (spec as { components: { responses: Record<string, { headers?: object }> } }).components;
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, response] of Object.entries(operation.responses).filter(([s]) => s.startsWith("2"))) {
          const declared = response.$ref ? components.responses[response.$ref.split("/").at(-1) as string] : response;
          expect(Object.keys(declared?.headers ?? {}), `${method} ${path} ${status}`).toEqual(["X-RateLimit-Limit", "X-RateLimit-Remaining", "X-Ratelimit-Reset"]);
        }
      }
    }
    const first = await call("GET", "/account");
    const second = await call("GET", "/team");
    expect(first.headers.get("x-ratelimit-limit")).toBe("100");
    expect(Number(second.headers.get("x-ratelimit-remaining"))).toBe(Number(first.headers.get("x-ratelimit-remaining")) - 1);
    const reset = Number(first.headers.get("x-ratelimit-reset"));
    expect(Number.isInteger(reset)).toBe(true);
    expect(reset).toBeGreaterThan(Date.now() / 1000);
    expect(reset).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 60);
    const failed = await call("GET", "/account?email_address=nobody%40example.com");
    expect(failed.status).toBe(404);
    expect(failed.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("turns an injected 429 into exceeded_rate with Retry-After, then answers normally", async () => {
    sb.faults.next(1, { type: "status", status: 429, retryAfter: 7 });
    const limited = await call("GET", "/team");
    expect(limited).toMatchObject(errorOf(429, "exceeded_rate"));
    expect(limited.headers.get("retry-after")).toBe("7");
    expect((await call("GET", "/team")).status).toBe(200);
    expect(sb.requests.map((r) => [r.operationId, r.status])).toEqual([
      ["teamGet", 429],
      ["teamGet", 200],
    ]);
  });

  it("records the exact request on the wire", async () => {
    await call("PUT", `/team/add_member?team_id=${teamId()}`, { json: { email_address: "ada@example.com", role: "Member" } });
    const req = sb.requests.at(-1)!;
    expect(req).toMatchObject({ method: "PUT", path: "/v3/team/add_member", rawQuery: `team_id=${teamId()}`, operationId: "teamAddMember", status: 200, problems: [] });
    expect(JSON.parse(req.body.toString())).toEqual({ email_address: "ada@example.com", role: "Member" });
  });
});
