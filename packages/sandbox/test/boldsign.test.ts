import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "../src/index.js";

let sb: Sandbox<SandboxCredentials["boldsign"], SandboxState["boldsign"]>;

beforeAll(async () => {
  sb = await startSandbox({ provider: "boldsign" });
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

async function call(method: string, path: string, init: { json?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    headers: {
      "X-API-KEY": sb.credentials.apiKey,
      ...(init.json === undefined ? {} : { "Content-Type": "application/json" }),
      ...init.headers,
    },
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

const invite = (...emailIds: string[]) => call("POST", "/v1/users/create", { json: emailIds.map((emailId) => ({ emailId })) });
const idOf = (email: string) => [...sb.state.users.values()].find((u) => u.email === email)?.id as string;
const team = (name: string) => [...sb.state.teams.values()].find((t) => t.name === name)?.id as string;
const activate = (id: string) => {
  const user = sb.state.users.get(id);
  if (user) user.status = "Active";
};

describe("the BoldSign sandbox", () => {
  it("serves the API at its origin, with the account owner and two teams already there", async () => {
    expect(sb.url).toBe(sb.origin);
    const page = await call("GET", "/v1/users/list?Page=1");
    expect(page.status).toBe(200);
    expect(page.json).toEqual({
      pageDetails: { page: 1, pageSize: 10 },
      result: [
        expect.objectContaining({ email: "owner@example.com", role: "Admin", userStatus: "Active", teamName: "Default" }),
      ],
    });
    expect([...sb.state.teams.values()].map((t) => t.name)).toEqual(["Default", "Research"]);
  });

  it("invites users in bulk with 204 and an empty body, GUID ids and epoch-second dates", async () => {
    const created = await invite("ada@example.com", "grace@example.com");
    expect(created.status).toBe(204);
    expect(created.text).toBe("");
    const got = await call("GET", `/v1/users/get?userId=${idOf("grace@example.com")}`);
    expect(got.json).toEqual({
      userId: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      email: "grace@example.com",
      firstName: null,
      lastName: null,
      teamId: sb.state.defaultTeamId,
      teamName: "Default",
      role: "Member",
      userStatus: "InvitationPending",
      createdDate: expect.any(Number),
      modifiedDate: expect.any(Number),
      metaData: null,
    });
    expect(Math.abs(got.json.createdDate - Date.now() / 1000)).toBeLessThan(60);
  });

  it("hands out the same ids after a reset, so runs are repeatable", async () => {
    await invite("ada@example.com");
    const first = idOf("ada@example.com");
    sb.reset();
    await invite("ada@example.com");
    expect(idOf("ada@example.com")).toBe(first);
  });

  it("refuses duplicates and bad items in BoldSign's {error} format, creating nothing", async () => {
    await invite("ada@example.com");
    const taken = await invite("new@example.com", "Ada@Example.com");
    expect(taken).toMatchObject({ status: 400, json: { error: "A user with the email address Ada@Example.com already exists." } });
    const twice = await invite("twin@example.com", "twin@example.com");
    expect(twice.status).toBe(400);
    expect(twice.json.error).toContain("more than once");
    const badEmail = await invite("new@example.com", "not-an-email");
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.error).toContain("/1/emailId");
    const unknownField = await call("POST", "/v1/users/create", { json: [{ emailId: "x@example.com", name: "X" }] });
    expect(unknownField.status).toBe(400);
    const badTeam = await call("POST", "/v1/users/create", { json: [{ emailId: "x@example.com", teamId: "nope" }] });
    expect(badTeam.json).toEqual({ error: "Invalid team ID nope for user 1." });
    const tooMuchMetadata = await call("POST", "/v1/users/create", {
      json: [{ emailId: "x@example.com", metaData: { ["k".repeat(51)]: "v" } }],
    });
    expect(tooMuchMetadata.status).toBe(400);
    expect((await call("POST", "/v1/users/create", { json: [] })).status).toBe(400);
    expect([...sb.state.users.values()].map((u) => u.email)).toEqual(["owner@example.com", "ada@example.com"]);
  });

  it("answers an unknown user with 404 {error}", async () => {
    const res = await call("GET", "/v1/users/get?userId=nobody");
    expect(res).toMatchObject({ status: 404, json: { error: "User not found." } });
  });
});

describe("listing", () => {
  it("pages with Page (from 1) and PageSize, with no total", async () => {
    await invite("a@example.com", "b@example.com", "c@example.com", "d@example.com");
    const emails = async (query: string) =>
      (await call("GET", `/v1/users/list?${query}`)).json.result.map((u: { email: string }) => u.email);
    expect(await emails("Page=1&PageSize=2")).toEqual(["owner@example.com", "a@example.com"]);
    expect(await emails("Page=3&PageSize=2")).toEqual(["d@example.com"]);
    expect(await emails("Page=4&PageSize=2")).toEqual([]);
    expect((await call("GET", "/v1/users/list?Page=2&PageSize=2")).json.pageDetails).toEqual({ page: 2, pageSize: 2 });
  });

  it("filters by repeated UserId and by Search over email and name", async () => {
    await invite("ada@example.com", "alan@example.org", "grace@example.com");
    const ada = idOf("ada@example.com");
    const grace = idOf("grace@example.com");
    const byId = await call("GET", `/v1/users/list?Page=1&UserId=${grace}&UserId=${ada}`);
    expect(byId.json.result.map((u: { userId: string }) => u.userId)).toEqual([ada, grace]);
    const byEmail = await call("GET", "/v1/users/list?Page=1&Search=EXAMPLE.ORG");
    expect(byEmail.json.result.map((u: { email: string }) => u.email)).toEqual(["alan@example.org"]);
    const byName = await call("GET", "/v1/users/list?Page=1&Search=sandbox%20owner");
    expect(byName.json.result.map((u: { email: string }) => u.email)).toEqual(["owner@example.com"]);
  });

  it("requires Page and keeps PageSize within 1–100", async () => {
    expect(await call("GET", "/v1/users/list")).toMatchObject({ status: 400, json: { error: expect.stringContaining("Page") } });
    expect((await call("GET", "/v1/users/list?Page=0")).status).toBe(400);
    expect((await call("GET", "/v1/users/list?Page=1&PageSize=101")).status).toBe(400);
  });
});

describe("changing users", () => {
  it("changes roles, deactivates and reactivates active users, and treats repeats as no-ops", async () => {
    await invite("ada@example.com");
    const ada = idOf("ada@example.com");
    expect((await call("PUT", "/v1/users/update", { json: { userId: ada, userRole: "TeamAdmin" } })).status).toBe(200);
    const invited = await call("PUT", "/v1/users/update", { json: { userId: ada, userStatus: "Deactivate" } });
    expect(invited.status).toBe(400);
    activate(ada);
    const deactivate = { userId: ada, userStatus: "Deactivate", toUserId: sb.state.ownerId };
    const first = await call("PUT", "/v1/users/update", { json: deactivate });
    expect(first).toMatchObject({ status: 200, text: "" });
    expect(first.headers.get("content-length")).toBe("0");
    expect((await call("PUT", "/v1/users/update", { json: deactivate })).status).toBe(200);
    expect(sb.state.users.get(ada)).toMatchObject({ role: "TeamAdmin", status: "Deactivated" });
    await call("PUT", "/v1/users/update", { json: { userId: ada, userStatus: "Activate" } });
    expect(sb.state.users.get(ada)?.status).toBe("Active");
  });

  it("refuses empty updates, bad heirs and values outside the enums", async () => {
    await invite("ada@example.com", "grace@example.com");
    const ada = idOf("ada@example.com");
    activate(ada);
    const put = (json: unknown) => call("PUT", "/v1/users/update", { json });
    expect((await put({ userId: ada })).json.error).toContain("Nothing to update");
    const pendingHeir = await put({ userId: ada, userStatus: "Deactivate", toUserId: idOf("grace@example.com") });
    expect(pendingHeir.json.error).toContain("toUserId");
    expect((await put({ userId: ada, userStatus: "Deactivated" })).status).toBe(400);
    expect((await put({ userId: ada, userRole: "Owner" })).status).toBe(400);
    expect((await put({ userId: "nobody", userRole: "Member" })).status).toBe(404);
    expect(sb.state.users.get(ada)?.status).toBe("Active");
  });

  it("merges metadata, removes keys sent as null, and holds a user to 50 pairs", async () => {
    await invite("ada@example.com");
    const ada = idOf("ada@example.com");
    const put = (metaData: unknown) => call("PUT", "/v1/users/updateMetaData", { json: { userId: ada, metaData } });
    expect((await put({ Department: "Finance", Office: "Leeds" })).status).toBe(200);
    await put({ Office: null, Floor: "3" });
    expect(sb.state.users.get(ada)?.metaData).toEqual({ Department: "Finance", Floor: "3" });
    const fortyNine = Object.fromEntries(Array.from({ length: 49 }, (_, i) => [`k${i}`, "v"]));
    const tooMany = await put(fortyNine);
    expect(tooMany).toMatchObject({ status: 400, json: { error: "A user can hold at most 50 metadata pairs." } });
    expect((await put({ k: "v".repeat(501) })).status).toBe(400);
  });

  it("moves users between teams, checking the team and the heir", async () => {
    await invite("ada@example.com");
    const ada = idOf("ada@example.com");
    const move = (json: unknown) => call("PUT", `/v1/users/changeTeam?userId=${ada}`, { json });
    expect((await move({ toTeamId: team("Research") })).status).toBe(200);
    expect((await call("GET", `/v1/users/get?userId=${ada}`)).json.teamName).toBe("Research");
    expect((await move({ toTeamId: "nope" })).status).toBe(400);
    expect((await move({ toTeamId: team("Default"), transferDocumentsToUserId: ada })).status).toBe(400);
    expect((await call("PUT", "/v1/users/changeTeam?userId=nobody", { json: { toTeamId: team("Default") } })).status).toBe(404);
  });
});

describe("invitations", () => {
  it("resends and cancels only pending invitations", async () => {
    await invite("ada@example.com", "grace@example.com");
    const ada = idOf("ada@example.com");
    const grace = idOf("grace@example.com");
    expect((await call("POST", `/v1/users/resendInvitation?UserId=${ada}`)).status).toBe(200);
    expect(sb.state.users.get(ada)?.invitationsSent).toBe(2);
    expect((await call("POST", `/v1/users/cancelInvitation?UserId=${grace}`)).status).toBe(200);
    expect(sb.state.users.has(grace)).toBe(false);
    // Withdrawn, the address can be invited again.
    expect((await invite("grace@example.com")).status).toBe(204);
    activate(ada);
    for (const action of ["resendInvitation", "cancelInvitation"]) {
      const res = await call("POST", `/v1/users/${action}?UserId=${ada}`);
      expect(res.status).toBe(400);
      expect(res.json.error).toBe(
        "The user ada@example.com has already accepted the invitation; only pending invitations can be resent or cancelled.",
      );
    }
    expect((await call("POST", "/v1/users/resendInvitation?UserId=nobody")).status).toBe(404);
  });

  it("takes UserId with a capital U, as the official definition spells it", async () => {
    await invite("ada@example.com");
    const res = await call("POST", `/v1/users/resendInvitation?userId=${idOf("ada@example.com")}`);
    expect(res.status).toBe(400);
    expect(res.json.error).toContain("UserId");
  });

  it("accepts the {} body and JSON content type the official SDK sends, but no real body", async () => {
    await invite("ada@example.com");
    const ada = idOf("ada@example.com");
    expect((await call("POST", `/v1/users/resendInvitation?UserId=${ada}`, { json: {} })).status).toBe(200);
    const withBody = await call("POST", `/v1/users/resendInvitation?UserId=${ada}`, { json: { userId: ada } });
    expect(withBody.status).toBe(400);
  });
});

describe("authentication", () => {
  it("accepts the API key in X-API-KEY or the access token as Bearer, in any case of the scheme", async () => {
    const list = (headers: Record<string, string>) =>
      fetch(`${sb.url}/v1/users/list?Page=1`, { headers }).then((r) => r.status);
    expect(await list({ "X-API-KEY": sb.credentials.apiKey })).toBe(200);
    expect(await list({ Authorization: `Bearer ${(sb.otherCredentials.oauth!.accessToken as string)}` })).toBe(200);
    expect(await list({ Authorization: `bearer ${(sb.otherCredentials.oauth!.accessToken as string)}` })).toBe(200);
    // The key is not a token, nor the other way round.
    expect(await list({ Authorization: `Bearer ${sb.credentials.apiKey}` })).toBe(401);
    expect(await list({ "X-API-KEY": (sb.otherCredentials.oauth!.accessToken as string) })).toBe(401);
  });

  it("answers a missing or wrong credential with 401 {error}", async () => {
    const missing = await fetch(`${sb.url}/v1/users/list?Page=1`);
    expect(missing.status).toBe(401);
    expect((await missing.json()).error).toContain("X-API-KEY");
    const wrong = await fetch(`${sb.url}/v1/users/list?Page=1`, { headers: { "X-API-KEY": "nope" } });
    expect(await wrong.json()).toEqual({ error: "Invalid API key or access token." });
  });

  it("takes other credentials when told to", async () => {
    const custom = await startSandbox({ provider: "boldsign", credentials: { apiKey: "my-own-key" } });
    try {
      const res = await fetch(`${custom.url}/v1/users/list?Page=1`, { headers: { "X-API-KEY": "my-own-key" } });
      expect(res.status).toBe(200);
      expect(custom.otherCredentials.oauth!.accessToken).toBe("sandbox-boldsign-access-token");
    } finally {
      await custom.close();
    }
  });
});

describe("unknown routes", () => {
  it("answers in BoldSign's error format", async () => {
    expect(await call("GET", "/v1/users/delete")).toMatchObject({ status: 404, json: { error: expect.any(String) } });
    expect(await call("DELETE", "/v1/users/get?userId=x")).toMatchObject({ status: 405, json: { error: expect.any(String) } });
  });
});
