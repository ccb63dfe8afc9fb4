import { ValidationError } from "@esign-users/runtime";
import type { BoldSignClient, BoldSignClientOptions } from "@esign-users/boldsign";
import type { DocuSignClient, DocuSignV2Client, DocuSignVersionedOptions } from "@esign-users/docusign";
import type { QuicklySignClient, QuicklySignClientOptions } from "@esign-users/quicklysign";
import type { SignableClient, SignableClientOptions } from "@esign-users/signable";
import type { ProviderAdapter } from "./adapter.js";
import { boldsignAdapter } from "./adapters/boldsign.js";
import { docusignAdapter } from "./adapters/docusign.js";
import { quicklysignAdapter } from "./adapters/quicklysign.js";
import { signableAdapter } from "./adapters/signable.js";
import { createDirectory } from "./directory.js";
import type { DirectoryOperations, ProviderName } from "./types.js";

export * from "@esign-users/runtime/public";
export { boldsignCapabilities } from "./adapters/boldsign.js";
export { docusignCapabilities } from "./adapters/docusign.js";
export { quicklysignCapabilities } from "./adapters/quicklysign.js";
export { signableCapabilities } from "./adapters/signable.js";
export type {
  Capabilities,
  CreateManyItem,
  CreateManyOptions,
  CreateManyResult,
  DirectoryOperations,
  FilterSupport,
  ListOptions,
  ListQuery,
  NewUser,
  OperationCapability,
  ProviderName,
  User,
  UserPatch,
  UserRole,
  UserStatus,
} from "./types.js";

/** Each provider's client options (credentials, base URL, retries, …). */
export interface ProviderOptions {
  boldsign: BoldSignClientOptions;
  /** DocuSign v2.1 unless `version: "v2"`. */
  docusign: DocuSignVersionedOptions;
  quicklysign: QuicklySignClientOptions;
  signable: SignableClientOptions;
}

/** Each provider's typed client, as `dir.raw`. */
export interface ProviderClients {
  boldsign: BoldSignClient;
  docusign: DocuSignClient | DocuSignV2Client;
  quicklysign: QuicklySignClient;
  signable: SignableClient;
}

/** Operations a provider cannot do: absent from its directory's type. */
export interface UnsupportedOperations {
  boldsign: never;
  docusign: never;
  /** QuicklySign reaches only the authenticated user: nothing to list, nothing to remove. */
  quicklysign: "list" | "remove";
  signable: never;
}

type Provider = keyof ProviderOptions & ProviderName;

/** `createUserDirectory` options: `provider` plus that provider's client options. */
export type DirectoryOptions<P extends Provider = Provider> = P extends Provider
  ? { provider: P } & ProviderOptions[P]
  : never;

/**
 * A directory for provider `P`. With a literal provider the type leaves out what
 * the provider cannot do, so such a call does not compile; with a provider only
 * known at run time, every operation is there and unsupported ones throw
 * `UnsupportedOperationError`.
 */
export type UserDirectory<P extends Provider = Provider> = [Provider] extends [P]
  ? DirectoryOperations<ProviderClients[P]>
  : Omit<DirectoryOperations<ProviderClients[P]>, UnsupportedOperations[P]>;

const adapters: { [P in Provider]: (options: ProviderOptions[P]) => ProviderAdapter<ProviderClients[P]> } = {
  boldsign: boldsignAdapter,
  docusign: docusignAdapter,
  quicklysign: quicklysignAdapter,
  signable: signableAdapter,
};

/**
 * One users API over every provider:
 *
 * ```ts
 * const dir = createUserDirectory({ provider: "signable", apiKey });
 * const user = await dir.create({ email: "ada@example.com", firstName: "Ada", lastName: "Lovelace" });
 * for await (const u of dir.list({ search: "ada" })) console.log(u.name, u.status);
 * ```
 */
export function createUserDirectory<P extends Provider>(options: { provider: P } & ProviderOptions[P]): UserDirectory<P> {
  const { provider, ...clientOptions } = options ?? ({} as { provider: P });
  const make = adapters[provider] as ((o: unknown) => ProviderAdapter<ProviderClients[P]>) | undefined;
  if (!make) {
    throw new ValidationError(
      `createUserDirectory: unknown provider ${JSON.stringify(provider)} (use one of ${Object.keys(adapters).join(", ")})`,
      { field: "provider" },
    );
  }
  return createDirectory(make(clientOptions)) as UserDirectory<P>;
}

/** The providers `createUserDirectory` knows. */
export const providers = Object.keys(adapters) as Provider[];
