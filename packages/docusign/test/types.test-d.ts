import { describe, expectTypeOf, it } from "vitest";
import type { DocuSignClient, DocuSignCreateUsersResult, DocuSignNewUser, DocuSignUser } from "../src/index.js";
import type { DocuSignClient as DocuSignV2Client, DocuSignUser as DocuSignV2User } from "../src/v2.js";

// Type tests: vitest's typecheck compiles this file (it never runs it), and so does
// the package's `tsc --noEmit`. Every `@ts-expect-error` must meet a real error.

describe("the spec's types reach the methods", () => {
  it("refuses wrong parameter names and missing path parameters", () => {
    const calls = (ds: DocuSignClient, v2: DocuSignV2Client) => {
      // @ts-expect-error the path parameter is userId, not userID
      void ds.users.get({ userID: "u" });
      // @ts-expect-error userId is a required path parameter
      void ds.users.get({});
      // @ts-expect-error userId is a required path parameter
      void ds.profileImage.get({ encoding: "base64" });
      // @ts-expect-error start_position, not start_postion
      void ds.users.listPage({ start_postion: 0 });
      // @ts-expect-error start_position is set by the list itself
      void ds.users.list({ start_position: 4 });
      // the page size and every filter of listUsers pass through list()
      void ds.users.list({ count: 20, status: "Active", include_license: "true" });
      // @ts-expect-error flags are the strings "true"/"false", not booleans
      void ds.users.listPage({ additional_info: true });
      // @ts-expect-error a new user needs an email
      void ds.users.create({ newUsers: [{ userName: "Ada" }] });
      // @ts-expect-error close takes { users: [{ userId }] }
      void ds.users.close({ userIds: ["u"] });
      // @ts-expect-error the image goes in `image`
      void ds.profileImage.put({ userId: "u", body: new Uint8Array() });
      // accountId is filled in by the client, and may be overridden
      void ds.users.get({ userId: "u", accountId: "another-account" });
      void v2.users.get({ userId: "u" });
    };
    expectTypeOf(calls).toBeFunction();
  });

  it("keeps the versions apart", () => {
    const calls = (ds: DocuSignClient, v2: DocuSignV2Client) => {
      // @ts-expect-error v2.1 settings are one object, not name/value pairs
      void ds.settings.update({ userId: "u", userSettings: [{ name: "locale", value: "de" }] });
      void ds.settings.update({ userId: "u", locale: "de" });
      // @ts-expect-error v2 settings are name/value pairs, there is no flat `locale`
      void v2.settings.update({ userId: "u", locale: "de" });
      void v2.settings.update({ userId: "u", userSettings: [{ name: "locale", value: "de" }] });
      // @ts-expect-error include_license exists in v2.1 only
      void v2.users.get({ userId: "u", include_license: "true" });
      void ds.users.get({ userId: "u", include_license: "true" });
    };
    expectTypeOf(calls).toBeFunction();
    expectTypeOf<DocuSignUser["hasRemoteNotary"]>().toEqualTypeOf<boolean | undefined>();
    expectTypeOf<DocuSignV2User>().not.toHaveProperty("hasRemoteNotary");
    expectTypeOf<NonNullable<DocuSignV2User["userSettings"]>>().toBeArray();
  });

  it("types results: bytes for images, per-user outcomes for bulk calls", () => {
    expectTypeOf<Awaited<ReturnType<DocuSignClient["profileImage"]["get"]>>>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<Awaited<ReturnType<DocuSignClient["users"]["create"]>>>().toEqualTypeOf<DocuSignCreateUsersResult>();
    expectTypeOf<DocuSignCreateUsersResult["succeeded"][number]["user"]>().toEqualTypeOf<DocuSignNewUser>();
    expectTypeOf<Awaited<ReturnType<DocuSignClient["users"]["get"]>>>().toEqualTypeOf<DocuSignUser>();
    expectTypeOf<Awaited<ReturnType<DocuSignClient["settings"]["update"]>>>().toEqualTypeOf<void>();
  });
});
