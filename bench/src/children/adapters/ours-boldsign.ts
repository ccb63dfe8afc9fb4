import { createBoldSignClient } from "@esign-users/boldsign";
import { type AdapterFactory, expect, newEmail, pick } from "./common.ts";

const oursBoldSign: AdapterFactory = (c) => {
  const client = createBoldSignClient({ apiKey: c.secret, baseUrl: c.url, rateLimit: false });
  return {
    async getUser(i) {
      const userId = pick(c.userIds, i);
      const user = await client.users.get({ userId });
      expect(user.userId === userId, `getUser answered ${JSON.stringify(user).slice(0, 200)}`);
    },
    async listPage() {
      const page = await client.users.listPage({ Page: 1, PageSize: c.pageSize });
      expect(page.result?.length === c.pageSize, `listUsers gave ${page.result?.length} users`);
    },
    async createUser() {
      // BoldSign answers 204 with no body: resolving is the success.
      await client.users.create({ body: [{ emailId: newEmail("ours") }] });
    },
  };
};

export default oursBoldSign;
