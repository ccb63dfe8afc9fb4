import docusign from "docusign-esign";
import { type AdapterFactory, expect, newEmail, pick } from "./common.ts";

const theirsDocuSign: AdapterFactory = (c) => {
  const client = new docusign.ApiClient();
  client.setBasePath(c.url);
  client.addDefaultHeader("Authorization", `Bearer ${c.secret}`);
  const users = new docusign.UsersApi(client);
  const accountId = c.accountId ?? "";
  return {
    async getUser(i) {
      const userId = pick(c.userIds, i);
      const user = await users.getInformation(accountId, userId);
      expect(user.userId === userId, `getInformation answered ${JSON.stringify(user).slice(0, 200)}`);
    },
    async listPage() {
      const page = await users.list(accountId, { count: String(c.pageSize), startPosition: "0" });
      expect(page.users?.length === c.pageSize, `list gave ${page.users?.length} users`);
    },
    async createUser() {
      const answer = await users.create(accountId, {
        newUsersDefinition: { newUsers: [{ userName: "Bench User", email: newEmail("theirs") }] },
      });
      const entry = answer.newUsers?.[0];
      expect(
        entry?.userStatus === "ActivationSent" && !entry.errorDetails,
        `create answered ${JSON.stringify(answer).slice(0, 200)}`,
      );
    },
  };
};

export default theirsDocuSign;
