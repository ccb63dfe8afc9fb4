import { ValidationError } from "@esign-users/runtime";
import type { AdapterDefinition, ProviderAdapter } from "./adapter.js";
import { createDirectory } from "./directory.js";
import { adapters } from "./providers.js";
import type { DirectoryOperations, ProviderName } from "./types.js";

export * from "@esign-users/runtime/public";
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

type Registry = typeof adapters;
type OptionsOf<A> = A extends AdapterDefinition<infer O, unknown, never> ? O : A extends (options: infer O) => unknown ? O : never;
type RawOf<A> = A extends (options: never) => ProviderAdapter<infer R> ? R : never;
type Optional = "list" | "remove" | "update";
type CannotDo<C> = { [K in Optional]: C extends { [Q in K]: { supported: false } } ? K : never }[Optional];

/** Each provider's client options (credentials, base URL, retries, …), as its client takes them. */
export type ProviderOptions = { [P in ProviderName]: OptionsOf<Registry[P]> };

/** Each provider's typed client, as `dir.raw`. */
export type ProviderClients = { [P in ProviderName]: RawOf<Registry[P]> };

/** Operations a provider cannot do (its capabilities say `supported: false`): absent from its directory's type. */
export type UnsupportedOperations = { [P in ProviderName]: CannotDo<Registry[P]["capabilities"]> };

type Provider = ProviderName;

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
  const make = adapterFor("createUserDirectory", provider) as unknown as (o: unknown) => ProviderAdapter<ProviderClients[P]>;
  return createDirectory(make(clientOptions)) as UserDirectory<P>;
}

/** The provider's adapter; a provider the facade does not know is refused in the name of `caller`. */
function adapterFor<P extends Provider>(caller: string, provider: P): Registry[P] {
  if (!Object.hasOwn(adapters, provider)) {
    throw new ValidationError(`${caller}: unknown provider ${JSON.stringify(provider)} (use one of ${Object.keys(adapters).join(", ")})`, {
      field: "provider",
    });
  }
  return adapters[provider];
}

/** The providers `createUserDirectory` knows. */
export const providers = Object.keys(adapters) as Provider[];

/** What each provider can do, without making a directory (the same object as `dir.capabilities`). */
export function capabilitiesOf<P extends Provider>(provider: P): Registry[P]["capabilities"] {
  return adapterFor("capabilitiesOf", provider).capabilities;
}
