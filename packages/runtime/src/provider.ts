import type { Client } from "openapi-fetch";
import { type AuthStrategy, type Credential, checkCredentialOption } from "./auth.js";
import { type ApiClient, type CommonClientOptions, createApiClient, type ProviderProfile } from "./client.js";
import { ValidationError } from "./errors.js";
import type { ApiDefinition, OperationTable } from "./operations.js";
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
 * Checks the credentials a client is made with against the spec: each one given must
 * be usable (a non-empty string that fits in a header, or a function), and with the
 * strategies the package supplies itself they must let at least one operation be
 * sent. A client that could send nothing is refused when it is made; which
 * operation needs which credential is checked again on each call.
 */
function checkCredentials(
  api: ApiDefinition,
  credentials: Readonly<Record<string, Credential | undefined>>,
  custom: Readonly<Record<string, AuthStrategy>>,
): void {
  for (const [name, value] of Object.entries(credentials)) if (value != null) checkCredentialOption(value, name, api.provider);
  const option = (scheme: string) => api.securitySchemes[scheme]?.credential ?? scheme;
  const satisfied = (scheme: string) => Object.hasOwn(custom, scheme) || credentials[option(scheme)] != null;
  const callable = (security: readonly (readonly string[])[]) =>
    security.length === 0 || security.some((alternative) => alternative.every(satisfied));
  const requirements = Object.values(api.operations).map((op) => op.security);
  if (requirements.length === 0 ? callable(api.security ?? []) : requirements.some(callable)) return;
  const names = [...new Set((api.security ?? requirements.flat()).flat().map(option))];
  throw new ValidationError(`${api.provider}: the ${names.join(" or ")} option is required (a string, or a function returning one)`, {
    field: names[0],
    provider: api.provider,
  });
}

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
  checkCredentials(api, credentials as Readonly<Record<string, Credential | undefined>>, quirks.auth ?? {});
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
