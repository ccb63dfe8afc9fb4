// Gets one user with our client: what an application that needs just that ships.
import { createBoldSignClient } from "@esign-users/boldsign";

const env = process.env;
const boldsign = createBoldSignClient({ apiKey: env.BENCH_SECRET ?? "", baseUrl: env.BENCH_URL ?? "" });
boldsign.users
  .get({ userId: env.BENCH_USER_ID ?? "" })
  .then((user) => console.log(JSON.stringify({ userId: user.userId })));
