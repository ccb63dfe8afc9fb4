import { describe, expect, it } from "vitest";
import { BadRequestError, createBoldSignClient } from "../src/index.js";
import { accept, useBoldSignSandbox } from "./helpers.js";

const { sb } = useBoldSignSandbox();

describe("the README's example", () => {
  it("runs as written against the sandbox", async () => {
    const boldsign = createBoldSignClient({ apiKey: sb().credentials.apiKey, region: "eu", baseUrl: sb().url });
    await boldsign.users.create({
      body: [
        { emailId: "ada@example.com" },
        { emailId: "grace@example.com", userRole: "Admin", metaData: { Department: "Engineering" } },
      ],
    });
    const listed: string[] = [];
    for await (const user of boldsign.users.list({ Search: "example.com" })) listed.push(`${user.email} ${user.userStatus}`);
    expect(listed).toEqual([
      "owner@example.com Active",
      "ada@example.com InvitationPending",
      "grace@example.com InvitationPending",
    ]);
    const [ada] = await boldsign.users.list({ Search: "ada@example.com" }).toArray();
    const userId = ada!.userId!;

    const user = await boldsign.users.get({ userId });
    expect(new Date(user.createdDate! * 1000).getFullYear()).toBe(new Date().getFullYear());
    await boldsign.users.update({ userId, userRole: "TeamAdmin" });
    await boldsign.users.updateMetaData({ userId, metaData: { Office: "Leeds" } });
    expect(await boldsign.users.get({ userId })).toMatchObject({ role: "TeamAdmin", metaData: { Office: "Leeds" } });

    await boldsign.users.resendInvitation({ UserId: userId });
    accept(sb(), userId);
    await expect(boldsign.users.resendInvitation({ UserId: userId })).rejects.toBeInstanceOf(BadRequestError);
  });
});
