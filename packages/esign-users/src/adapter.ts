import type { EsignApiError, ListOptions, PageIterator, RequestOptions } from "@esign-users/runtime";
import type { Capabilities, ListQuery, NewUser, ProviderName, User, UserPatch } from "./types.js";

/** The outcome of one item of a native bulk create. */
export type BatchOutcome = { user: User } | { error: EsignApiError };

/**
 * What the directory needs from a provider: the operations in neutral terms. One
 * adapter per provider, each a thin mapping over that provider's client.
 */
export interface ProviderAdapter<Raw = unknown> {
  readonly provider: ProviderName;
  readonly raw: Raw;
  readonly capabilities: Capabilities;
  create(input: NewUser, options?: RequestOptions): Promise<User>;
  get(id: string, options?: RequestOptions): Promise<User>;
  /** Absent where the provider has no operation that changes a user. */
  update?(id: string, patch: UserPatch, options?: RequestOptions): Promise<User>;
  remove?(id: string, options?: RequestOptions): Promise<void>;
  /**
   * Every user, page by page: the provider client's own `list()` (one paginator,
   * the runtime's, with the stop rule the spec declares), mapped to `User`. Applies
   * the filters the provider supports (per `capabilities.list`); the directory
   * applies the others to what comes back.
   */
  list?(query: ListQuery, options?: ListOptions<unknown>): PageIterator<User, unknown>;
  /** The provider's own bulk endpoint, one outcome per input in order. */
  createBatch?(inputs: readonly NewUser[], options?: RequestOptions): Promise<BatchOutcome[]>;
  /** Largest batch the bulk endpoint takes. */
  readonly batchSize?: number;
  /** Whether an error means "a user with this email already exists". */
  isDuplicate(error: EsignApiError): boolean;
}

/**
 * A provider's entry in the facade: its capabilities (as literal data, so that the
 * directory's type can leave out what the provider cannot do) and the factory that
 * makes its adapter from the provider client's options.
 */
export interface AdapterDefinition<Options, Raw, Caps extends Capabilities = Capabilities> {
  (options: Options): ProviderAdapter<Raw>;
  readonly capabilities: Caps;
}

export function defineAdapter<Options, Raw, const Caps extends Capabilities>(
  capabilities: Caps,
  create: (options: Options) => ProviderAdapter<Raw>,
): AdapterDefinition<Options, Raw, Caps> {
  return Object.assign((options: Options) => create(options), { capabilities });
}

/** Splits a provider's single name field into first and last name (last word is the last name). */
export function splitName(full: string | undefined | null): { firstName?: string; lastName?: string } {
  const parts = (full ?? "").trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return {};
  if (parts.length === 1) return { firstName: parts[0] };
  return { firstName: parts.slice(0, -1).join(" "), lastName: parts.at(-1) };
}

export function joinName(first: string | undefined, last: string | undefined): string {
  return [first, last].filter((p) => p && p.trim()).join(" ").trim();
}

/** Parses provider dates (ISO strings, `+0000` offsets, epoch seconds or milliseconds); undefined when absent or invalid. */
export function toDate(value: unknown, unit: "auto" | "s" | "ms" = "auto"): Date | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  let date: Date;
  if (typeof value === "number") {
    const ms = unit === "s" || (unit === "auto" && value < 1e11) ? value * 1000 : value;
    date = new Date(ms);
  } else {
    // `2013-10-25T12:07:52+0000` is not ISO 8601 until the offset gets its colon.
    date = new Date(String(value).replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
  }
  return Number.isNaN(date.getTime()) ? undefined : date;
}
