import type { SandboxProvider } from "../types.js";
import { boldsign } from "./boldsign.js";
import { docusign, docusignV2 } from "./docusign.js";
import { quicklysign } from "./quicklysign.js";
import { signable } from "./signable.js";
import { dropboxsign } from "./dropboxsign.js";

/**
 * The provider servers: the one place one is registered. Adding one: write
 * `providers/<name>.ts` exporting a `SandboxProvider` and add it here; its name,
 * credentials and state types follow.
 */
export const providers = {
  docusign,
  "docusign-v2": docusignV2,
  boldsign,
  signable,
  quicklysign,
  dropboxsign,
} as const;

export type ProviderName = keyof typeof providers;

type Registry = typeof providers;
type Parts<P> = P extends SandboxProvider<infer State, infer Accepted, infer Client> ? { state: State; accepted: Accepted; client: Client } : never;

/** What `sb.credentials` holds per provider: working options for its client. */
export type SandboxCredentials = { [P in ProviderName]: Parts<Registry[P]>["client"] };

/** The credentials each sandbox accepts (what `startSandbox({ credentials })` may change). */
export type AcceptedCredentials = { [P in ProviderName]: Parts<Registry[P]>["accepted"] };

/** Each sandbox's in-memory state (`sb.state`). */
export type SandboxState = { [P in ProviderName]: Parts<Registry[P]>["state"] };
