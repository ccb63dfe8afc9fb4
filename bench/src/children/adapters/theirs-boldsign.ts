import boldsign from "boldsign";
import { type AdapterFactory, expect, newEmail, pick } from "./common.ts";

const theirsBoldSign: AdapterFactory = (c) => {
  const api = new boldsign.UserApi(c.url);
  api.setApiKey(c.secret);
  return {
    async getUser(i) {
      const userId = pick(c.userIds, i);
      const user = await api.getUser(userId);
      expect(user.userId === userId, `getUser answered ${JSON.stringify(user).slice(0, 200)}`);
    },
    async listPage() {
      const page = await api.listUsers(1, c.pageSize);
      expect(page.result?.length === c.pageSize, `listUsers gave ${page.result?.length} users`);
    },
    async createUser() {
      await api.createUser([{ emailId: newEmail("theirs") }]);
    },
  };
};

export default theirsBoldSign;
