import { createQuicklySignClient } from "@esign-users/quicklysign";
import { type ProviderName as SandboxName, type Sandbox, startSandbox } from "@esign-users/sandbox";
import { createUserDirectory, type DirectoryOptions, type UserDirectory } from "../src/index.js";

type AnySandbox = Sandbox<Record<string, string>>;

/** A provider under test: which sandbox to start and the directory options that reach it. */
export interface Setup {
  label: string;
  sandbox: SandboxName;
  options(sb: AnySandbox): DirectoryOptions | Promise<DirectoryOptions>;
  start(): Promise<{ sb: AnySandbox; dir: UserDirectory; options: DirectoryOptions; close(): Promise<void> }>;
}

// Tests must not wait on the providers' real rate limits; the limiter itself is tested in the runtime.
const fast = { rateLimit: { requestsPerSecond: 1000 } } as const;

function setup(label: string, sandbox: SandboxName, options: Setup["options"]): Setup {
  return {
    label,
    sandbox,
    options,
    async start() {
      const sb = (await startSandbox({ provider: sandbox })) as unknown as AnySandbox;
      const chosen = { ...(await options(sb)), ...fast } as DirectoryOptions;
      // Typed as "any provider", so the suite can call everything and see refusals at run time.
      return { sb, dir: createUserDirectory(chosen), options: chosen, close: () => sb.close() };
    },
  };
}

const docusign = (version: "v2.1" | "v2") => (sb: AnySandbox) =>
  ({
    provider: "docusign",
    version,
    baseUrl: sb.url,
    accessToken: sb.credentials.accessToken,
    accountId: sb.credentials.accountId,
  }) as DirectoryOptions;

export const setups: Setup[] = [
  setup("docusign v2.1", "docusign", docusign("v2.1")),
  setup("docusign v2", "docusign-v2", docusign("v2")),
  setup("boldsign", "boldsign", (sb) => ({ provider: "boldsign", apiKey: sb.credentials.apiKey as string, baseUrl: sb.url })),
  setup("signable", "signable", (sb) => ({ provider: "signable", apiKey: sb.credentials.apiKey as string, baseUrl: sb.url })),
  setup("quicklysign", "quicklysign", async (sb) => {
    const app = { baseUrl: sb.url, clientId: sb.credentials.clientId as string, clientSecret: sb.credentials.clientSecret as string };
    // QuicklySign reaches only the user whose api_key the directory holds: make one first.
    const owner = await createQuicklySignClient(app).users.create({
      user: { name: "Owner", last_name: "Account", email_address: `owner.${Date.now()}@example.com` },
    });
    return { provider: "quicklysign", ...app, apiKey: owner.api_key };
  }),
];
