import { describe, expect, it } from "vitest";
import { BadRequestError, NotFoundError } from "../src/index.js";
import { accept, invite, lastRequest, useBoldSignSandbox } from "./helpers.js";

const { sb, client } = useBoldSignSandbox();
const teamId = (name: string) => [...sb().state.teams.values()].find((t) => t.name === name)?.id as string;

describe("users.create", () => {
  it("POSTs the array of invitations as JSON with X-API-KEY and resolves to nothing on 204", async () => {
    const research = teamId("Research");
    const result = await client().users.create({
      body: [
        { emailId: "ada@example.com" },
        { emailId: "grace@example.com", teamId: research, userRole: "Admin", metaData: { Department: "Engineering" } },
      ],
    });
    expect(result).toBeUndefined();
    const req = lastRequest(sb());
    expect(req.method).toBe("POST");
    expect(req.path).toBe("/v1/users/create");
    expect(req.rawQuery).toBe("");
    expect(req.status).toBe(204);
    expect(req.headers["x-api-key"]).toBe("sandbox-boldsign-api-key");
    expect(req.headers.authorization).toBeUndefined();
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body.toString()).toBe(
      `[{"emailId":"ada@example.com"},{"emailId":"grace@example.com","teamId":"${research}","userRole":"Admin","metaData":{"Department":"Engineering"}}]`,
    );
    const users = [...sb().state.users.values()].filter((u) => u.id !== sb().state.ownerId);
    expect(users.map((u) => [u.email, u.role, u.status, u.teamId])).toEqual([
      ["ada@example.com", "Member", "InvitationPending", sb().state.defaultTeamId],
      ["grace@example.com", "Admin", "InvitationPending", research],
    ]);
  });

  it("turns an address already in use into BadRequestError carrying BoldSign's {error} body", async () => {
    await invite(client(), sb(), "ada@example.com");
    const error = await client()
      .users.create({ body: [{ emailId: "new@example.com" }, { emailId: "ADA@example.com" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, provider: "boldsign", code: undefined });
    expect(error.body).toEqual({ error: "A user with the email address ADA@example.com already exists." });
    expect(error.message).toContain("already exists");
    // All or nothing: the good item of the refused request was not created either.
    expect([...sb().state.users.values()].some((u) => u.email === "new@example.com")).toBe(false);
  });

  it("is refused whole when one request names the same address twice", async () => {
    const error = await client()
      .users.create({ body: [{ emailId: "twin@example.com" }, { emailId: "twin@example.com" }] })
      .catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain("more than once");
    expect(sb().state.users.size).toBe(1);
  });
});

describe("users.get", () => {
  it("GETs /v1/users/get?userId= and decodes UserProperties with epoch-second dates", async () => {
    const before = Math.floor(Date.now() / 1000);
    await client().users.create({ body: [{ emailId: "ada@example.com", metaData: { Office: "Leeds" } }] });
    const [id] = [...sb().state.users.keys()].slice(1);
    const user = await client().users.get({ userId: id as string });
    expect(user).toEqual({
      userId: id,
      email: "ada@example.com",
      firstName: null,
      lastName: null,
      teamId: sb().state.defaultTeamId,
      teamName: "Default",
      role: "Member",
      userStatus: "InvitationPending",
      createdDate: expect.any(Number),
      modifiedDate: expect.any(Number),
      metaData: { Office: "Leeds" },
    });
    expect(Number.isInteger(user.createdDate)).toBe(true);
    expect(user.createdDate).toBeGreaterThanOrEqual(before);
    expect(user.createdDate).toBeLessThan(before + 60);
    const req = lastRequest(sb());
    expect(`${req.method} ${req.path}?${req.rawQuery}`).toBe(`GET /v1/users/get?userId=${id}`);
    expect(req.body.length).toBe(0);
  });

  it("percent-encodes the id so it stays one query value", async () => {
    await expect(client().users.get({ userId: "a b&userId=c" })).rejects.toBeInstanceOf(NotFoundError);
    expect(lastRequest(sb()).rawQuery).toBe("userId=a%20b%26userId%3Dc");
  });

  it("turns an unknown id into NotFoundError with the message BoldSign sent", async () => {
    const error = await client().users.get({ userId: "00000000-0000-4000-8000-000000000000" }).catch((e) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error.status).toBe(404);
    expect(error.body).toEqual({ error: "User not found." });
    expect(error.message).toBe("boldsign answered 404 Not Found: User not found.");
  });
});

describe("users.update", () => {
  it("PUTs the role change as JSON and resolves to nothing", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    expect(await client().users.update({ userId: id as string, userRole: "TeamAdmin" })).toBeUndefined();
    const req = lastRequest(sb());
    expect(`${req.method} ${req.path}`).toBe("PUT /v1/users/update");
    expect(req.rawQuery).toBe("");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.body.toString()).toBe(`{"userId":"${id}","userRole":"TeamAdmin"}`);
    expect((await client().users.get({ userId: id as string })).role).toBe("TeamAdmin");
  });

  it("deactivates an active user, handing their documents to toUserId, and activates them again", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    accept(sb(), id as string);
    const owner = sb().state.ownerId;
    await client().users.update({ userId: id as string, userStatus: "Deactivate", toUserId: owner });
    expect(lastRequest(sb()).body.toString()).toBe(
      `{"userId":"${id}","userStatus":"Deactivate","toUserId":"${owner}"}`,
    );
    expect((await client().users.get({ userId: id as string })).userStatus).toBe("Deactivated");
    // Repeating a status change is harmless, which is what lets PUT be retried.
    await client().users.update({ userId: id as string, userStatus: "Deactivate" });
    await client().users.update({ userId: id as string, userStatus: "Activate" });
    expect((await client().users.get({ userId: id as string })).userStatus).toBe("Active");
  });

  it("cannot deactivate a user who has not accepted the invitation", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    const error = await client().users.update({ userId: id as string, userStatus: "Deactivate" }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.message).toContain("cancel the invitation instead");
  });

  it("turns an unknown user into NotFoundError", async () => {
    await expect(client().users.update({ userId: "nobody", userRole: "Member" })).rejects.toMatchObject({
      name: "NotFoundError",
      status: 404,
    });
  });
});

describe("users.updateMetaData", () => {
  it("PUTs the pairs; null removes a key", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    await client().users.updateMetaData({ userId: id as string, metaData: { Department: "Finance", Office: "Leeds" } });
    const req = lastRequest(sb());
    expect(`${req.method} ${req.path}`).toBe("PUT /v1/users/updateMetaData");
    expect(req.body.toString()).toBe(`{"userId":"${id}","metaData":{"Department":"Finance","Office":"Leeds"}}`);
    await client().users.updateMetaData({ userId: id as string, metaData: { Office: null, Floor: "3" } });
    expect((await client().users.get({ userId: id as string })).metaData).toEqual({ Department: "Finance", Floor: "3" });
  });
});

describe("invitations", () => {
  it("resendInvitation POSTs ?UserId= (capital U) with no body", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    expect(await client().users.resendInvitation({ UserId: id as string })).toBeUndefined();
    const req = lastRequest(sb());
    expect(`${req.method} ${req.path}?${req.rawQuery}`).toBe(`POST /v1/users/resendInvitation?UserId=${id}`);
    expect(req.body.length).toBe(0);
    expect(req.headers["content-type"]).toBeUndefined();
    expect(sb().state.users.get(id as string)?.invitationsSent).toBe(2);
  });

  it("cancelInvitation POSTs ?UserId= and the invited user is gone", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    await client().users.cancelInvitation({ UserId: id as string });
    const req = lastRequest(sb());
    expect(`${req.method} ${req.path}?${req.rawQuery}`).toBe(`POST /v1/users/cancelInvitation?UserId=${id}`);
    expect(req.body.length).toBe(0);
    await expect(client().users.get({ userId: id as string })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses both for a user who already accepted, with BoldSign's {error} body", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    accept(sb(), id as string);
    for (const call of [client().users.resendInvitation, client().users.cancelInvitation]) {
      const error = await call({ UserId: id as string }).catch((e) => e);
      expect(error).toBeInstanceOf(BadRequestError);
      expect(error.body.error).toContain("has already accepted the invitation");
    }
    expect(sb().state.users.get(id as string)?.status).toBe("Active");
  });
});

describe("users.changeTeam", () => {
  it("PUTs ?userId= with the target team in the body", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    const research = teamId("Research");
    await client().users.changeTeam({ userId: id as string, toTeamId: research });
    const req = lastRequest(sb());
    expect(`${req.method} ${req.path}?${req.rawQuery}`).toBe(`PUT /v1/users/changeTeam?userId=${id}`);
    expect(req.body.toString()).toBe(`{"toTeamId":"${research}"}`);
    expect(await client().users.get({ userId: id as string })).toMatchObject({ teamId: research, teamName: "Research" });
  });

  it("sends transferDocumentsToUserId and refuses an unknown team", async () => {
    const [id, heir] = await invite(client(), sb(), "ada@example.com", "grace@example.com");
    await client().users.changeTeam({ userId: id as string, toTeamId: teamId("Research"), transferDocumentsToUserId: heir });
    expect(lastRequest(sb()).body.toString()).toBe(
      `{"toTeamId":"${teamId("Research")}","transferDocumentsToUserId":"${heir}"}`,
    );
    const error = await client().users.changeTeam({ userId: id as string, toTeamId: "no-such-team" }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.body).toEqual({ error: "Invalid team ID no-such-team." });
  });
});

describe("raw", () => {
  it("is the typed openapi-fetch client with the same credentials", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    const { data, error, response } = await client().raw.GET("/v1/users/get", { params: { query: { userId: id as string } } });
    expect(error).toBeUndefined();
    expect(response.status).toBe(200);
    expect(data?.email).toBe("ada@example.com");
    expect(lastRequest(sb()).headers["x-api-key"]).toBe("sandbox-boldsign-api-key");
    const missing = await client().raw.GET("/v1/users/get", { params: { query: { userId: "nobody" } } });
    expect(missing.error).toEqual({ error: "User not found." });
  });
});
