import type { EsignApiError, PageIterator, RequestOptions } from "@esign-users/runtime";
import type { adapters } from "./providers.js";

/** The providers a directory can talk to (the keys of the registry in providers.ts). */
export type ProviderName = keyof typeof adapters;

/** A user's state, the same words for every provider (see the mapping table in the README). */
export type UserStatus = "active" | "invited" | "inactive" | "closed";

/** Provider-neutral roles; each provider supports the subset its capabilities list. */
export type UserRole = "admin" | "teamAdmin" | "member";

/** One user, normalised. `raw` is the provider's own record, untouched. */
export interface User {
  id: string;
  provider: ProviderName;
  email: string;
  firstName?: string;
  lastName?: string;
  /** Full name as the provider shows it. */
  name: string;
  status: UserStatus;
  role?: UserRole;
  createdAt?: Date;
  updatedAt?: Date;
  raw: unknown;
}

export interface NewUser {
  email: string;
  firstName?: string;
  lastName?: string;
  role?: UserRole;
}

export interface UserPatch {
  email?: string;
  firstName?: string;
  lastName?: string;
  role?: UserRole;
}

export interface ListQuery {
  /** Matches email or name, where the provider can search. */
  search?: string;
  /** Only users in this state, where the provider can filter by state. */
  status?: UserStatus;
}

export interface ListOptions extends RequestOptions {
  /** Resume an interrupted list: the `cursor` of the iterator that stopped. */
  cursor?: unknown;
}

export type FilterSupport = "provider" | "directory";

/** What one operation means for a provider. */
export interface OperationCapability {
  supported: boolean;
  /** What the provider really does, in a few words (e.g. remove = "close"). */
  meaning: string;
}

export interface Capabilities {
  create: OperationCapability & {
    /** The fields the provider stores; others are accepted and ignored. */
    fields: readonly (keyof NewUser)[];
    roles: readonly UserRole[];
    /** Fields the provider insists on besides `email`. */
    requires: readonly (keyof NewUser)[];
    sendsInvitation: boolean;
  };
  get: OperationCapability & { scope: "any user" | "authenticated user only" };
  /**
   * Where each filter runs: `provider` (sent with the request) or `directory`
   * (applied to the pages the provider returns, so every page is still fetched).
   */
  list: OperationCapability & { search: FilterSupport; statusFilter: FilterSupport };
  update: OperationCapability & { fields: readonly (keyof UserPatch)[] };
  /**
   * `delete`: the user is gone; `close` and `deactivate`: the user stays, `closed` or
   * `inactive`; `removeFromTeam`: the person leaves your team (and this directory) but
   * keeps their account with the provider; `none`: not supported.
   */
  remove: OperationCapability & { effect: "delete" | "close" | "deactivate" | "removeFromTeam" | "none" };
  createMany: OperationCapability & { nativeBulk: boolean };
}

/**
 * The outcome of one input of `createMany`:
 * - `created`: this call created the user;
 * - `exists`: the user was there already (nothing was created);
 * - `failed`: the user was not created by this call (refused, invalid, or not
 *   attempted: `advice` then says why); running again is safe;
 * - `unknown`: the create may have happened and could not be checked (its answer
 *   was lost: a timeout, a reset, a 5xx, and the provider's users could not be
 *   listed). `advice` says what to do; do not assume either way.
 */
export type CreateManyItem =
  | { index: number; input: NewUser; status: "created"; user: User }
  /** `user` is absent where the provider cannot show other users (QuicklySign). */
  | { index: number; input: NewUser; status: "exists"; user?: User }
  | { index: number; input: NewUser; status: "failed"; error: EsignApiError; advice?: string }
  | { index: number; input: NewUser; status: "unknown"; error: EsignApiError; advice: string };

export interface CreateManyOptions extends RequestOptions {
  /** Requests in flight at once (default 4); the client's rate limiter still applies. */
  concurrency?: number;
}

export interface CreateManyResult extends ReadonlyArray<CreateManyItem> {
  readonly created: number;
  readonly existing: number;
  readonly failed: number;
  /** Inputs whose create may or may not have happened (see `CreateManyItem`). */
  readonly unknown: number;
}

/** Every operation of a directory; providers that cannot do one leave it out of their type. */
export interface DirectoryOperations<Raw> {
  readonly provider: ProviderName;
  readonly capabilities: Capabilities;
  /** The typed provider client, for anything the directory does not cover. */
  readonly raw: Raw;
  create(input: NewUser, options?: RequestOptions): Promise<User>;
  get(id: string, options?: RequestOptions): Promise<User>;
  update(id: string, patch: UserPatch, options?: RequestOptions): Promise<User>;
  remove(id: string, options?: RequestOptions): Promise<void>;
  list(query?: ListQuery, options?: ListOptions): PageIterator<User, unknown>;
  createMany(inputs: readonly NewUser[], options?: CreateManyOptions): Promise<CreateManyResult>;
}
