// Gets one user with our client: what an application that needs just that ships.
import { createDocuSignClient } from "@esign-users/docusign";

const env = process.env;
const ds = createDocuSignClient({
  baseUrl: env.BENCH_URL ?? "",
  accessToken: env.BENCH_SECRET ?? "",
  accountId: env.BENCH_ACCOUNT ?? "",
});
ds.users.get({ userId: env.BENCH_USER_ID ?? "" }).then((user) => console.log(JSON.stringify({ userId: user.userId })));
