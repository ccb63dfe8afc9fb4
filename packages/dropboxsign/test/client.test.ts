import { acceptDropboxSignInvite, type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  api,
  AuthenticationError,
  createDropboxSignClient,
  type DropboxSignClient,
  NotFoundError,
  ValidationError,
} from "../src/index.js";

let sb: Sandbox<SandboxCredentials["dropboxsign"], SandboxState["dropboxsign"]>;
let dbx: DropboxSignClient;
let teamId: string;

beforeAll(async () => {
  sb = await startSandbox({ provider: "dropboxsign" });
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  // The documented 100 a minute would make these tests wait; the limiter has its own tests.
  dbx = createDropboxSignClient({ apiKey: sb.credentials.apiKey, baseUrl: sb.url, rateLimit: false });
  teamId = (await dbx.team.info()).team.team_id as string;
});

/** Invites `n` people and has each accept, so that they are members. */
async function members(n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const email = `member.${i}@example.com`;
    await dbx.team.addMember({ team_id: teamId, email_address: email, role: "Member" });
    acceptDropboxSignInvite(sb.state, email);
  }
}

const requestsFor = (operationId: string, since: number) => sb.requests.slice(since).filter((r) => r.operationId === operationId).length;

describe("the Dropbox Sign client on its sandbox", () => {
  it("takes an API key (Basic, empty password) or an access token (Bearer), and names a wrong one", async () => {
    expect((await dbx.account.get()).account.email_address).toBe("owner@example.com");
    expect(sb.requests.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from(`${sb.credentials.apiKey}:`).toString("base64")}`);
    const bearer = createDropboxSignClient({ accessToken: sb.credentials.accessToken, baseUrl: sb.url, rateLimit: false });
    expect((await bearer.account.get()).account.email_address).toBe("owner@example.com");
    expect(sb.requests.at(-1)?.headers.authorization).toBe(`Bearer ${sb.credentials.accessToken}`);
    const wrong = createDropboxSignClient({ apiKey: "not-the-key", baseUrl: sb.url, rateLimit: false, maxRetries: 0 });
    const error = await wrong.account.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe("unauthorized");
    expect(JSON.stringify(error)).not.toContain("not-the-key");
  });

  it("refuses a client without credentials, and inputs the spec forbids, before sending anything", async () => {
    expect(() => createDropboxSignClient({ baseUrl: sb.url } as never)).toThrow(ValidationError);
    const before = sb.requests.length;
    const refused = async (p: Promise<unknown>) => {
      const e = await p.catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ValidationError);
      return [(e as ValidationError).field, (e as ValidationError).rule];
    };
    // One of account_id and email_address (x-esign-require-any), a role word, a page size of 1–100.
    expect(await refused(dbx.team.addMember({ team_id: teamId } as never))).toEqual(["account_id", "requireAny"]);
    expect(await refused(dbx.team.addMember({ team_id: teamId, email_address: "a@example.com", role: "Owner" as never }))).toEqual([
      "role",
      "enum",
    ]);
    expect(await refused(dbx.team.membersPage({ team_id: teamId, page_size: 101 }))).toEqual(["page_size", "maximum"]);
    expect(sb.requests.length).toBe(before);
  });

  it("invites (add_member), and the person becomes a member only once they accept", async () => {
    const { team } = await dbx.team.addMember({ team_id: teamId, email_address: "ada@example.com", role: "Team Manager" });
    expect(team.invited_emails).toEqual(["ada@example.com"]);
    expect(team.accounts?.map((a) => a.email_address)).toEqual(["owner@example.com"]);
    const { team_invites } = await dbx.team.invites({ email_address: "ada@example.com" });
    expect(team_invites).toMatchObject([{ email_address: "ada@example.com", role: "Team Manager", redeemed_at: null }]);

    acceptDropboxSignInvite(sb.state, "ada@example.com");
    const listed = await dbx.team.members({ team_id: teamId }).toArray();
    expect(listed.map((m) => [m.email_address, m.role])).toEqual([
      ["owner@example.com", "Admin"],
      ["ada@example.com", "Team Manager"],
    ]);
  });

  it("removes a member with 201, the account remaining; errors carry error_name as code", async () => {
    await members(1);
    const { team } = await dbx.team.removeMember({ email_address: "member.0@example.com" });
    expect(sb.requests.at(-1)?.status).toBe(201);
    expect(team.accounts?.map((a) => a.email_address)).toEqual(["owner@example.com"]);
    expect((await dbx.account.get({ email_address: "member.0@example.com" })).account.team_id).toBeNull();
    const missing = await dbx.account.get({ account_id: "0".repeat(40) }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe("not_found");
  });

  it("spaces requests to the documented 100 a minute unless told otherwise", () => {
    expect(api.rateLimit).toEqual({ requests: 100, intervalMs: 60_000 });
  });

  // Members page by `page`/`page_size`, and `list_info.num_pages` ends the list: no request past the last page.
  for (const [size, total] of [
    [1, 4],
    [2, 4],
    [2, 5],
    [100, 100],
    [100, 101],
  ] as const) {
    it(`pages ${total} members ${size} at a time in ${Math.ceil(total / size)} request(s)`, { timeout: 60_000 }, async () => {
      await members(total - 1); // the owner is the first member
      const since = sb.requests.length;
      const all = await dbx.team.members({ team_id: teamId, page_size: size }).toArray();
      expect(all).toHaveLength(total);
      expect(new Set(all.map((m) => m.account_id)).size).toBe(total);
      expect(requestsFor("teamMembers", since)).toBe(Math.ceil(total / size));
    });
  }

  it("pages sub-teams the same way, and resumes a list from its cursor", async () => {
    const since = sb.requests.length;
    const all = await dbx.team.subTeams({ team_id: teamId, page_size: 1 }).toArray();
    expect(all.length).toBeGreaterThan(1);
    expect(requestsFor("teamSubTeams", since)).toBe(all.length);
    const listing = dbx.team.subTeams({ team_id: teamId, page_size: 1 });
    const pages = listing.pages();
    await pages.next();
    await pages.next();
    const rest = await dbx.team.subTeams({ team_id: teamId, page_size: 1 }, { cursor: listing.cursor }).toArray();
    expect(rest.map((t) => t.team_id)).toEqual(all.slice(1).map((t) => t.team_id));
  });
});
