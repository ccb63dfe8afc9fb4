import { createDocuSignClient } from "@esign-users/docusign";
import { type AdapterFactory, expect, newEmail, pick } from "./common.ts";

const oursDocuSign: AdapterFactory = (c) => {
  // The client-side rate limiter is off for a fair comparison: the official SDK has none.
  const ds = createDocuSignClient({
    baseUrl: c.url,
    accessToken: c.secret,
    accountId: c.accountId ?? "",
    rateLimit: false,
  });
  return {
    async getUser(i) {
      const userId = pick(c.userIds, i);
      const user = await ds.users.get({ userId });
      expect(user.userId === userId, `getUser answered ${JSON.stringify(user).slice(0, 200)}`);
    },
    async listPage() {
      const page = await ds.users.listPage({ count: c.pageSize, start_position: 0 });
      expect(page.users?.length === c.pageSize, `listUsers gave ${page.users?.length} users`);
    },
    async createUser() {
      const [entry] = await ds.users.create({ newUsers: [{ userName: "Bench User", email: newEmail("ours") }] });
      expect(entry?.ok === true, `createUsers answered ${JSON.stringify(entry).slice(0, 200)}`);
    },
  };
};

export default oursDocuSign;
