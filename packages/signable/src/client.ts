import {
  type ApiClient,
  basicAuth,
  type CommonClientOptions,
  type Credential,
  checkCredentialOption,
  createApiClient,
  type OperationMethod,
  PageIterator,
  paginate,
  type ProviderErrorParser,
  type ProviderProfile,
  Redactor,
  type RequestOptions,
  ValidationError,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import { operations as table } from "./generated/operations.js";
import type { components, operations, paths } from "./generated/schema.js";

export const SIGNABLE_BASE_URL = "https://api.signable.co.uk/v1";

export type SignableUser = components["schemas"]["User"];
export type SignableUserList = components["schemas"]["UserList"];
export type CreatedSignableUser = components["schemas"]["CreatedUser"];
export type UpdatedSignableUser = components["schemas"]["UpdatedUser"];
export type DeletedSignableUser = components["schemas"]["DeletedUser"];
export type SignableErrorBody = components["schemas"]["Error"];

export interface SignableClientOptions extends CommonClientOptions {
  /** The company's API key (or a function returning it). Sent as the Basic user name, with `x` as password. */
  apiKey: Credential;
}

export interface ListUsersQuery {
  /** Users per page, 1–50 (default 50: fewest requests). */
  limit?: number;
}

export interface ListOptions extends RequestOptions {
  /** Resume a list where an earlier one stopped: the `cursor` (an offset) of its iterator. */
  cursor?: number;
}

export interface SignableClient {
  users: {
    create: OperationMethod<operations["createUser"]>;
    get: OperationMethod<operations["getUser"]>;
    /** Every user, fetching pages of `limit` as the loop advances. */
    list(query?: ListUsersQuery, options?: ListOptions): PageIterator<SignableUser, number>;
    /** One page, as Signable returns it. */
    listPage: OperationMethod<operations["listUsers"]>;
    update: OperationMethod<operations["updateUser"]>;
    delete: OperationMethod<operations["deleteUser"]>;
  };
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  raw: Client<paths>;
}

/** `{http, code, message}` on every error status. */
export const parseSignableError: ProviderErrorParser = (body) => {
  const b = body as Partial<SignableErrorBody>;
  if (typeof b?.message !== "string" && typeof b?.code !== "number") return undefined;
  return { code: b.code, message: b.message };
};

export const signableProfile: ProviderProfile<typeof table> = {
  provider: "signable",
  operations: table,
  parseError: parseSignableError,
  // Signable allows 5 requests per second per IP address.
  defaultRateLimit: { requestsPerSecond: 5 },
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Refuses a bad name or email before any request; `required` also refuses a missing one. */
function checkField(value: unknown, field: string, kind: "name" | "email", required: boolean): void {
  if (value === undefined && !required) return;
  const ok = typeof value === "string" && (kind === "email" ? EMAIL.test(value) : value.trim() !== "");
  if (!ok) {
    const what = kind === "email" ? "an email address" : "a non-empty string";
    throw new ValidationError(`signable: ${field} must be ${what}`, { field, provider: "signable" });
  }
}

/**
 * A client for Signable's user API.
 *
 * ```ts
 * const signable = createSignableClient({ apiKey: process.env.SIGNABLE_API_KEY! });
 * for await (const user of signable.users.list()) console.log(user.user_email);
 * ```
 */
export function createSignableClient(options: SignableClientOptions): SignableClient {
  checkCredentialOption(options?.apiKey, "apiKey", "signable");
  const redactor = new Redactor();
  const api: ApiClient<paths, operations, typeof table> = createApiClient({
    ...options,
    profile: signableProfile,
    baseUrl: options.baseUrl ?? SIGNABLE_BASE_URL,
    auth: basicAuth(options.apiKey, "x", redactor, { name: "apiKey", provider: "signable" }),
    redactor,
  });
  const createUser = api.method("createUser");
  const updateUser = api.method("updateUser");
  const listPage = api.method("listUsers");

  return {
    users: {
      create: async (input, requestOptions) => {
        checkField(input?.user_name, "user_name", "name", true);
        checkField(input?.user_email, "user_email", "email", true);
        return createUser(input, requestOptions);
      },
      get: api.method("getUser"),
      listPage,
      list(query = {}, listOptions = {}) {
        const { cursor = 0, ...requestOptions } = listOptions;
        const limit = query.limit ?? 50;
        if (!Number.isInteger(limit) || limit < 1 || limit > 50) {
          throw new ValidationError("signable: limit must be an integer from 1 to 50", {
            field: "limit",
            provider: "signable",
          });
        }
        return paginate(async (offset: number) => {
          const page = await listPage({ offset, limit }, requestOptions);
          const items = page.users ?? [];
          // `next` is absent on the last page; an empty page also ends the list.
          return { items, next: page.next && items.length > 0 ? offset + items.length : undefined };
        }, cursor);
      },
      update: async (input, requestOptions) => {
        checkField(input?.user_name, "user_name", "name", false);
        checkField(input?.user_email, "user_email", "email", false);
        if (input && input.user_name === undefined && input.user_email === undefined) {
          throw new ValidationError("signable: update needs user_name or user_email", {
            field: "user_name",
            provider: "signable",
          });
        }
        return updateUser(input, requestOptions);
      },
      delete: api.method("deleteUser"),
    },
    // A getter: the openapi-fetch client is made on first use (see the runtime's createApiClient).
    get raw() {
      return api.raw;
    },
  };
}
