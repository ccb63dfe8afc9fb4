import {
  type AcceptedCredentials,
  providers,
  type ProviderName,
  type SandboxCredentials,
  type SandboxState,
} from "./providers/index.js";
import { type Sandbox, type ServeOptions, serve } from "./server.js";

export type { Fault, FaultOptions, FaultRule } from "./faults.js";
export { FaultController, seededRandom } from "./faults.js";
export type { AcceptedCredentials, ProviderName, SandboxCredentials, SandboxState } from "./providers/index.js";
export { providers } from "./providers/index.js";
export type { Sandbox, ServeOptions } from "./server.js";
export { serve } from "./server.js";
export type {
  AuthOutcome,
  Handler,
  HandlerContext,
  RecordedRequest,
  SandboxProvider,
  SandboxResponse,
} from "./types.js";
export { type Problem, SpecValidator } from "./validate.js";
export { authOutcome, invalidFromSpec, type SpecFacts, specFacts } from "./spec-provider.js";
export { acceptDropboxSignInvite } from "./providers/dropboxsign.js";

export interface StartSandboxOptions<P extends ProviderName> extends ServeOptions<AcceptedCredentials[P]> {
  /** Which provider API to emulate. */
  provider: P;
}

/**
 * Starts a local server that behaves like one provider's user API, on 127.0.0.1
 * and a free port unless told otherwise. Hand `sb.url` and `sb.credentials` to
 * the provider's client; call `sb.close()` when done.
 */
export async function startSandbox<P extends ProviderName>(
  options: StartSandboxOptions<P>,
): Promise<Sandbox<SandboxCredentials[P], SandboxState[P]>> {
  const provider = providers[options.provider];
  if (!provider) {
    throw new Error(
      `startSandbox: unknown provider ${JSON.stringify(options.provider)} (have: ${Object.keys(providers).join(", ")})`,
    );
  }
  return serve(provider as never, options) as never;
}

/** Every provider the sandbox can emulate. */
export const providerNames = Object.keys(providers) as ProviderName[];
