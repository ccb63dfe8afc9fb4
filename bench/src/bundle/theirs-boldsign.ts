// Gets one user with the official BoldSign SDK.
import boldsign from "boldsign";

const env = process.env;
const api = new boldsign.UserApi(env.BENCH_URL ?? "");
api.setApiKey(env.BENCH_SECRET ?? "");
api.getUser(env.BENCH_USER_ID ?? "").then((user) => console.log(JSON.stringify({ userId: user.userId })));
