import spec from "../generated/dropboxsign.js";
import { authOutcome, invalidFromSpec, specFacts } from "../spec-provider.js";
import type { SandboxProvider, SandboxResponse } from "../types.js";

/** The credentials the DropboxSign sandbox accepts, by the client option that carries each. */
export interface DropboxSignCredentials {
  apiKey: string;
  accessToken: string;
}

/** What the sandbox keeps between requests. Add the provider's users here as its handlers take shape. */
export type DropboxSignState = Record<string, never>;

const facts = specFacts(spec);

function error(status: number, message: string, code: string | number = "error"): SandboxResponse {
  return { status, body: facts.errorBody(message, code) };
}

/**
 * The DropboxSign sandbox. Credentials, the error shape and the base path come from the
 * spec; every operation without a handler is answered from the spec (its first
 * success response, smallest valid body). Write handlers, one per operationId, as the
 * provider's behaviour is learned.
 */
export const dropboxsign: SandboxProvider<DropboxSignState, DropboxSignCredentials> = {
  name: "dropboxsign",
  spec,
  basePath: facts.basePath,
  defaultCredentials: () => ({ apiKey: "sandbox-dropboxsign-api-key", accessToken: "sandbox-dropboxsign-access-token" }),
  createState: () => ({}),
  authenticate: (request, operation, _state, credentials) =>
    authOutcome(facts, facts.authenticate(request, operation, credentials as unknown as Record<string, string>), "unauthorized"),
  error,
  invalid: (problems) => invalidFromSpec(facts, problems, "invalid_request"),
  handlers: {},
};
