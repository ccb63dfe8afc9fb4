import { describe, expect, it } from "vitest";
import type { BoldSignClient } from "../src/index.js";
import { invite, useBoldSignSandbox } from "./helpers.js";

const { sb, client } = useBoldSignSandbox();

/** Runs `call`, expects ValidationError naming `field`, and checks the sandbox heard nothing. */
async function refused(field: string, call: (c: BoldSignClient) => unknown): Promise<Error> {
  const before = sb().requests.length;
  let error: unknown;
  try {
    await call(client());
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ name: "ValidationError", provider: "boldsign" });
  // The field names the exact place: a metadata problem names the key inside metaData.
  expect((error as { field: string }).field.startsWith(field)).toBe(true);
  expect(sb().requests.length).toBe(before);
  return error as Error;
}

const pairs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`key${i}`, `value${i}`]));
const anything = <T>(value: unknown) => value as T;

describe("create", () => {
  it("needs a non-empty array", async () => {
    await refused("body", (c) => c.users.create({ body: [] }));
    await refused("body", (c) => c.users.create(anything({ body: { emailId: "a@example.com" } })));
  });

  it("needs an email address in every item, naming the item's index", async () => {
    const error = await refused("body[2].emailId", (c) =>
      c.users.create({ body: [{ emailId: "a@example.com" }, { emailId: "b@example.com" }, { emailId: "not-an-email" }] }),
    );
    expect(error.message).toBe("boldsign createUsers: body[2].emailId must be an email address");
    expect(error).toMatchObject({ field: "body[2].emailId", rule: "format" });
    await refused("body[1].emailId", (c) => c.users.create({ body: [{ emailId: "a@example.com" }, anything({})] }));
    await refused("body[0].emailId", (c) => c.users.create({ body: [{ emailId: "" }] }));
  });

  it("checks roles against BoldSign's enum, which is case-sensitive", async () => {
    await refused("body[0].userRole", (c) => c.users.create({ body: [{ emailId: "a@example.com", userRole: anything("admin") }] }));
    await refused("body[0].userRole", (c) => c.users.create({ body: [{ emailId: "a@example.com", userRole: anything("Owner") }] }));
  });

  it("refuses an empty teamId", async () => {
    await refused("body[0].teamId", (c) => c.users.create({ body: [{ emailId: "a@example.com", teamId: "" }] }));
  });

  it("holds metadata to 50 pairs, keys of 50 and values of 500 characters", async () => {
    const at = (metaData: unknown) => (c: BoldSignClient) =>
      c.users.create({ body: [{ emailId: "a@example.com", metaData: anything(metaData) }] });
    await refused("body[0].metaData", at(pairs(51)));
    await refused("body[0].metaData", at({ ["k".repeat(51)]: "v" }));
    await refused("body[0].metaData", at({ "": "v" }));
    await refused("body[0].metaData", at({ key: "v".repeat(501) }));
    await refused("body[0].metaData", at({ key: 42 }));
    await refused("body[0].metaData", at(["Department", "Sales"]));
  });

  it("accepts metadata right at the limits, and the sandbox agrees", async () => {
    const full = { ...pairs(49), ["k".repeat(50)]: "v".repeat(500) };
    await client().users.create({ body: [{ emailId: "a@example.com", metaData: full }] });
    expect(sb().requests.at(-1)?.status).toBe(204);
  });
});

describe("ids", () => {
  it("must be non-empty wherever a user or team is named", async () => {
    await refused("userId", (c) => c.users.get({ userId: "" }));
    await refused("userId", (c) => c.users.update({ userId: "", userRole: "Member" }));
    await refused("toUserId", (c) => c.users.update({ userId: "u1", userStatus: "Deactivate", toUserId: "" }));
    await refused("userId", (c) => c.users.updateMetaData({ userId: "", metaData: {} }));
    await refused("UserId", (c) => c.users.resendInvitation({ UserId: "" }));
    await refused("UserId", (c) => c.users.cancelInvitation({ UserId: "" }));
    await refused("userId", (c) => c.users.changeTeam({ userId: "", toTeamId: "t1" }));
    await refused("toTeamId", (c) => c.users.changeTeam({ userId: "u1", toTeamId: "" }));
    await refused("transferDocumentsToUserId", (c) =>
      c.users.changeTeam({ userId: "u1", toTeamId: "t1", transferDocumentsToUserId: "" }),
    );
  });

  it("catches the userId/UserId mix-up of the invitation endpoints", async () => {
    await refused("UserId", (c) => c.users.resendInvitation(anything({ userId: "u1" })));
  });
});

describe("update", () => {
  it("checks role and status against their enums", async () => {
    await refused("userRole", (c) => c.users.update({ userId: "u1", userRole: anything("TeamMember") }));
    // `Deactivated` is what BoldSign reports; the command is `Deactivate`.
    await refused("userStatus", (c) => c.users.update({ userId: "u1", userStatus: anything("Deactivated") }));
  });

  it("must change something (the spec's x-esign-require-any), and the types say so too", async () => {
    // @ts-expect-error neither userRole nor userStatus
    const error = await refused("userRole", (c) => c.users.update({ userId: "u1" }));
    expect(error).toMatchObject({ rule: "requireAny" });
  });
});

describe("updateMetaData", () => {
  it("needs an object of at most 50 pairs within the length limits", async () => {
    await refused("metaData", (c) => c.users.updateMetaData(anything({ userId: "u1" })));
    await refused("metaData", (c) => c.users.updateMetaData(anything({ userId: "u1", metaData: null })));
    await refused("metaData", (c) => c.users.updateMetaData({ userId: "u1", metaData: pairs(51) }));
    await refused("metaData", (c) => c.users.updateMetaData({ userId: "u1", metaData: { ["x".repeat(51)]: "v" } }));
    await refused("metaData", (c) => c.users.updateMetaData({ userId: "u1", metaData: { k: "x".repeat(501) } }));
  });
});

describe("list", () => {
  it("checks page size, ids, search and cursor before the first page", async () => {
    await refused("PageSize", (c) => c.users.list({ PageSize: 0 }));
    await refused("PageSize", (c) => c.users.list({ PageSize: 101 }));
    await refused("PageSize", (c) => c.users.list({ PageSize: 2.5 }));
    await refused("UserId[1]", (c) => c.users.list({ UserId: ["u1", ""] }));
    // An empty id list would be sent as no filter at all, listing everyone: refused instead.
    await refused("UserId", (c) => c.users.list({ UserId: [] }));
    await refused("Search", (c) => c.users.list({ Search: anything({ text: "x" }) }));
    await refused("cursor", (c) => c.users.list({}, { cursor: 0 }));
    await refused("Page", (c) => c.users.list(anything({ Page: 2 })));
  });

  it("checks listPage's Page, PageSize and UserId", async () => {
    await refused("Page", (c) => c.users.listPage({ Page: 0 }));
    await refused("PageSize", (c) => c.users.listPage({ Page: 1, PageSize: 500 }));
    await refused("UserId[0]", (c) => c.users.listPage({ Page: 1, UserId: [""] }));
  });
});

describe("unknown parameters", () => {
  it("are refused by name before anything is sent", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    await refused("emailId", (c) => c.users.get(anything({ userId: id, emailId: "ada@example.com" })));
  });
});
