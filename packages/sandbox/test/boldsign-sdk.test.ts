/**
 * BoldSign's own Node SDK (npm `boldsign`), a client nobody here wrote, against
 * the sandbox: if the sandbox drifted from the real wire format, these calls
 * would be refused.
 */
import { CreateUser, UpdateUser, UserApi } from "boldsign";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "../src/index.js";

let sb: Sandbox<SandboxCredentials["boldsign"], SandboxState["boldsign"]>;
let api: UserApi;

beforeAll(async () => {
  sb = await startSandbox({ provider: "boldsign" });
});
afterAll(() => sb.close());
beforeEach(() => {
  sb.reset();
  api = new UserApi(sb.url);
  api.setApiKey(sb.credentials.apiKey);
});

const last = () => sb.requests.at(-1)!;
const idOf = (email: string) => [...sb.state.users.values()].find((u) => u.email === email)?.id as string;

describe("the official BoldSign SDK against the sandbox", () => {
  it("creates users in bulk", async () => {
    await api.createUser([
      { emailId: "ada@example.com", userRole: CreateUser.UserRoleEnum.Admin, metaData: { Department: "Engineering" } },
      { emailId: "grace@example.com" },
    ]);
    const req = last();
    expect(req).toMatchObject({ method: "POST", path: "/v1/users/create", status: 204 });
    expect(req.headers["user-agent"]).toMatch(/^boldsign-node-sdk\//);
    expect(req.headers["x-api-key"]).toBe(sb.credentials.apiKey);
    expect(JSON.parse(req.body.toString())).toEqual([
      { emailId: "ada@example.com", userRole: "Admin", metaData: { Department: "Engineering" } },
      { emailId: "grace@example.com" },
    ]);
    expect(sb.state.users.get(idOf("ada@example.com"))).toMatchObject({ role: "Admin", status: "InvitationPending" });
  });

  it("lists users, with search and repeated user ids, sending JSON content type on GETs", async () => {
    await api.createUser([{ emailId: "ada@example.com" }, { emailId: "alan@example.org" }, { emailId: "grace@example.com" }]);
    const all = await api.listUsers(1, 10);
    expect(all.pageDetails).toEqual({ page: 1, pageSize: 10 });
    expect(all.result?.map((u) => u.email)).toEqual([
      "owner@example.com",
      "ada@example.com",
      "alan@example.org",
      "grace@example.com",
    ]);
    expect(last().headers["content-type"]).toBe("application/json");
    expect(last().rawQuery).toBe("PageSize=10&Page=1");

    const found = await api.listUsers(1, 10, "example.org");
    expect(found.result?.map((u) => u.email)).toEqual(["alan@example.org"]);

    const ada = idOf("ada@example.com");
    const grace = idOf("grace@example.com");
    const picked = await api.listUsers(1, 10, undefined, [ada, grace]);
    expect(picked.result?.map((u) => u.userId)).toEqual([ada, grace]);
    expect(last().rawQuery).toBe(`PageSize=10&Page=1&UserId=${ada}&UserId=${grace}`);
  });

  it("gets a user", async () => {
    await api.createUser([{ emailId: "ada@example.com" }]);
    const user = await api.getUser(idOf("ada@example.com"));
    expect(user).toMatchObject({
      userId: idOf("ada@example.com"),
      email: "ada@example.com",
      teamName: "Default",
      role: "Member",
      userStatus: "InvitationPending",
    });
    expect(Number.isInteger(user.createdDate)).toBe(true);
  });

  it("updates a user's role and status", async () => {
    await api.createUser([{ emailId: "ada@example.com" }]);
    const ada = idOf("ada@example.com");
    await api.updateUser({ userId: ada, userRole: UpdateUser.UserRoleEnum.TeamAdmin });
    expect(last()).toMatchObject({ method: "PUT", path: "/v1/users/update", status: 200 });
    expect((await api.getUser(ada)).role).toBe("TeamAdmin");

    const user = sb.state.users.get(ada);
    if (user) user.status = "Active";
    await api.updateUser({ userId: ada, userStatus: UpdateUser.UserStatusEnum.Deactivate, toUserId: sb.state.ownerId });
    expect((await api.getUser(ada)).userStatus).toBe("Deactivated");
  });

  it("resends and cancels invitations, with the {} body the SDK sends", async () => {
    await api.createUser([{ emailId: "ada@example.com" }, { emailId: "grace@example.com" }]);
    const ada = idOf("ada@example.com");
    const grace = idOf("grace@example.com");

    await api.resendInvitation(ada);
    expect(last()).toMatchObject({ method: "POST", path: "/v1/users/resendInvitation", rawQuery: `UserId=${ada}`, status: 200 });
    expect(last().body.toString()).toBe("{}");
    expect(sb.state.users.get(ada)?.invitationsSent).toBe(2);

    await api.cancelInvitation(grace);
    expect(last()).toMatchObject({ path: "/v1/users/cancelInvitation", rawQuery: `UserId=${grace}`, status: 200 });
    const gone = await api.getUser(grace).catch((e) => e);
    expect(gone.response?.status).toBe(404);
    expect(gone.response?.data).toEqual({ error: "User not found." });
  });

  it("changes team and metadata", async () => {
    await api.createUser([{ emailId: "ada@example.com" }]);
    const ada = idOf("ada@example.com");
    const research = [...sb.state.teams.values()].find((t) => t.name === "Research")?.id as string;
    await api.changeTeam(ada, { toTeamId: research });
    expect(last().rawQuery).toBe(`userId=${ada}`);
    await api.updateMetaData({ userId: ada, metaData: { Office: "Leeds" } });
    expect(await api.getUser(ada)).toMatchObject({ teamName: "Research", metaData: { Office: "Leeds" } });
  });

  it("authenticates with an access token (the SDK writes the scheme as lower-case bearer)", async () => {
    const oauth = new UserApi(sb.url);
    oauth.setAccessToken((sb.otherCredentials.oauth!.accessToken as string));
    const page = await oauth.listUsers(1);
    expect(page.result).toHaveLength(1);
    expect(last().headers.authorization).toBe(`bearer ${(sb.otherCredentials.oauth!.accessToken as string)}`);
  });

  it("is refused with 401 for a wrong key", async () => {
    const wrong = new UserApi(sb.url);
    wrong.setApiKey("not-the-key");
    const error = await wrong.listUsers(1).catch((e) => e);
    expect(error.statusCode).toBe(401);
    expect(last().status).toBe(401);
  });
});
