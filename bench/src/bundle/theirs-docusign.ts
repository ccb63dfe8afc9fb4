// Gets one user with the official DocuSign SDK.
import docusign from "docusign-esign";

const env = process.env;
const client = new docusign.ApiClient();
client.setBasePath(env.BENCH_URL ?? "");
client.addDefaultHeader("Authorization", `Bearer ${env.BENCH_SECRET ?? ""}`);
new docusign.UsersApi(client)
  .getInformation(env.BENCH_ACCOUNT ?? "", env.BENCH_USER_ID ?? "")
  .then((user) => console.log(JSON.stringify({ userId: user.userId })));
