import { providerNames, type ProviderName as SandboxName, type Sandbox, startSandbox } from "@esign-users/sandbox";
import { createUserDirectory, type DirectoryOptions, providers, type UserDirectory } from "../src/index.js";

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

// Every sandbox hands out working client options: `{ ...sb.credentials, baseUrl: sb.url }`.
const fromSandbox = (provider: string) => (sb: AnySandbox) =>
  ({ provider, ...sb.credentials, baseUrl: sb.url }) as DirectoryOptions;

/** The facade provider a sandbox serves: its name without an API version (`docusign-v2` is DocuSign). */
export const facadeProvider = (sandbox: SandboxName) => sandbox.replace(/-v[0-9.]+$/, "");
const label = (sandbox: SandboxName) => (sandbox === "docusign" ? "docusign v2.1" : sandbox.replace(/-v([0-9.]+)$/, " v$1"));

/** One setup per sandbox whose provider the facade knows: every shared suite runs on each. */
export const setups: Setup[] = providerNames
  .filter((name) => (providers as string[]).includes(facadeProvider(name)))
  .map((name) => setup(label(name), name, fromSandbox(facadeProvider(name))));
