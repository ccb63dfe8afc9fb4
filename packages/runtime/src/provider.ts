import type { Client } from "openapi-fetch";
import type { AuthStrategy, Credential } from "./auth.js";
import { type ApiClient, type CommonClientOptions, createApiClient, type ProviderProfile } from "./client.js";
import type { OperationTable } from "./operations.js";
import { Redactor } from "./redact.js";
import { securityFromCredentials } from "./security.js";
import { resolveBaseUrl } from "./servers.js";

/** What a provider package adds to its generated definition: only what the spec cannot say. */
export interface ProviderQuirks<Ops extends OperationTable> extends Omit<ProviderProfile<Ops>, "api"> {
  /** Strategies for security schemes the client satisfies itself (a token it obtains), by scheme name. */
  auth?: Readonly<Record<string, AuthStrategy>>;
  /** Values for path parameters calls may leave out (DocuSign's `accountId`). */
  defaultParams?: Record<string, unknown>;
  /** The base URL when the options do not give one (for providers whose URL needs normalising). */
  baseUrl?: string;
  /** A redactor shared with code outside the client (a token exchange). */
  redactor?: Redactor;
}

/** A provider client: its generated methods and the openapi-fetch client over the same transport. */
export type ProviderClient<Methods, Paths extends object> = Methods & { readonly raw: Client<Paths> };

/**
 * Builds a provider client from its generated definition: credentials mapped to
 * the spec's security schemes, the base URL from the spec's servers (or the
 * client's server option, such as `region`), and one method per operation.
 * Returns the client and its engine, for packages that wrap a method or two.
 */
export function createProviderClient<Methods, Paths extends object, Ops extends OperationTable = OperationTable>(
  profile: ProviderProfile<Ops>,
  options: CommonClientOptions & Readonly<Record<string, unknown>>,
  /** Credentials by option name (`{ apiKey }`): each satisfies the security schemes whose `x-esign-credential` names it. */
  credentials: object,
  quirks: ProviderQuirks<Ops> = {},
): { client: ProviderClient<Methods, Paths>; engine: ApiClient<Paths, Ops> } {
  const { api } = profile;
  const redactor = quirks.redactor ?? new Redactor();
  const baseUrl =
    options.baseUrl ??
    quirks.baseUrl ??
    resolveBaseUrl(api, { server: api.serverOption !== undefined ? options[api.serverOption] : undefined });
  const engine = createApiClient<Paths, Ops>({
    ...options,
    profile: { ...profile, ...(quirks.parseError ? { parseError: quirks.parseError } : {}), ...(quirks.failureInBody ? { failureInBody: quirks.failureInBody } : {}) },
    baseUrl,
    auth: securityFromCredentials(api, credentials as Readonly<Record<string, Credential | undefined>>, redactor, quirks.auth),
    credentials: credentials as Readonly<Record<string, Credential | undefined>>,
    redactor,
    defaultParams: quirks.defaultParams,
  });
  const client = engine.methods() as Record<string, unknown>;
  // A getter: the openapi-fetch client is made on first use (see createApiClient).
  Object.defineProperty(client, "raw", { get: () => engine.raw, enumerable: true });
  return { client: client as ProviderClient<Methods, Paths>, engine };
}
