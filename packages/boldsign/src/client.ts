import {
  type ApiClient,
  type CommonClientOptions,
  type Credential,
  createApiClient,
  type OperationMethod,
  type PageIterator,
  paginate,
  Redactor,
  type RequestOptions,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import { type AccessToken, boldsignAuth } from "./auth.js";
import { operations as table } from "./generated/operations.js";
import type { components, operations, paths } from "./generated/schema.js";
import { boldsignProfile } from "./profile.js";
import { type BoldSignRegion, boldsignBaseUrl } from "./regions.js";
import {
  checkId,
  checkIdList,
  checkMetadata,
  checkNewUsers,
  checkOptionalId,
  checkPageNumber,
  checkPageSize,
  checkSearch,
  checkUserChange,
  inputObject,
  MAX_PAGE_SIZE,
} from "./validate.js";

/** A user as `get` returns it. */
export type BoldSignUser = components["schemas"]["User"];
/** A user as a list page shows it. */
export type BoldSignUserSummary = components["schemas"]["UserSummary"];
export type BoldSignUserPage = components["schemas"]["UserPage"];
/** One invitation of a bulk `create`. */
export type BoldSignNewUser = components["schemas"]["NewUser"];
export type BoldSignUserRole = components["schemas"]["UserRole"];
export type BoldSignUserStatusChange = components["schemas"]["UserStatusChange"];
export type BoldSignMetadata = components["schemas"]["MetadataPairs"];

interface BoldSignClientBaseOptions extends CommonClientOptions {
  /** Which data centre the account lives in; picks the base URL. Default `"us"`. `baseUrl` overrides it. */
  region?: BoldSignRegion;
}

/** Exactly one of `apiKey` and `accessToken`. */
export type BoldSignClientOptions = BoldSignClientBaseOptions &
  (
    | {
        /** An API key (or a function returning one), sent as `X-API-KEY`. */
        apiKey: Credential;
        accessToken?: undefined;
      }
    | {
        /**
         * An OAuth access token, sent as `Authorization: Bearer`. A function is called
         * before every request, and again with `{ refresh: true }` after a 401.
         */
        accessToken: AccessToken;
        apiKey?: undefined;
      }
  );

export interface ListUsersQuery {
  /** Users per page, 1–100. Default 100: the fewest requests against the hourly quota. */
  pageSize?: number;
  /** Only users whose email address or name contains this text (sent as `Search`). */
  search?: string;
  /** Only these users (sent as repeated `UserId`). An empty array lists nobody. */
  userIds?: string[];
}

export interface ListOptions extends RequestOptions {
  /** Resume a list where an earlier one stopped: the `cursor` (a page number, from 1) of its iterator. */
  cursor?: number;
}

type NoContent<Op> = (input: Parameters<OperationMethod<Op>>[0], options?: RequestOptions) => Promise<void>;

export interface BoldSignClient {
  users: {
    /** Invites users in one request (`{ body: [{ emailId }, …] }`); BoldSign answers 204 with no body. */
    create: NoContent<operations["createUsers"]>;
    get: OperationMethod<operations["getUser"]>;
    /** Every user, fetching pages as the loop advances; stops after the first short page. */
    list(query?: ListUsersQuery, options?: ListOptions): PageIterator<BoldSignUserSummary, number>;
    /** One page, as BoldSign returns it (`Page` from 1). */
    listPage: OperationMethod<operations["listUsers"]>;
    /** Changes the role, or deactivates or reactivates the user. */
    update: NoContent<operations["updateUser"]>;
    updateMetaData: NoContent<operations["updateUserMetadata"]>;
    /** Sends a pending invitation again (`{ UserId }`, capital U, as on the wire). */
    resendInvitation: NoContent<operations["resendInvitation"]>;
    /** Withdraws a pending invitation, removing the invited user (`{ UserId }`). */
    cancelInvitation: NoContent<operations["cancelInvitation"]>;
    changeTeam: NoContent<operations["changeTeam"]>;
  };
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  raw: Client<paths>;
}

/**
 * A client for BoldSign's user API.
 *
 * ```ts
 * const boldsign = createBoldSignClient({ apiKey: process.env.BOLDSIGN_API_KEY!, region: "eu" });
 * for await (const user of boldsign.users.list()) console.log(user.email, user.userStatus);
 * ```
 */
export function createBoldSignClient(options: BoldSignClientOptions): BoldSignClient {
  const redactor = new Redactor();
  const auth = boldsignAuth(options ?? {}, redactor);
  const baseUrl = options.baseUrl ?? boldsignBaseUrl(options.region);
  const api: ApiClient<paths, operations, typeof table> = createApiClient({
    ...options,
    profile: boldsignProfile,
    baseUrl,
    auth,
    redactor,
  });
  const call = (id: keyof typeof table, input: object, requestOptions?: RequestOptions) =>
    api.call(id, input as Record<string, unknown>, requestOptions);
  // Success bodies of these operations are empty: resolve to nothing whatever the server sent.
  const noContent = async (id: keyof typeof table, input: object, requestOptions?: RequestOptions) => {
    await call(id, input, requestOptions);
  };
  const getUser = api.method("getUser");
  const listUsers = api.method("listUsers");

  const listPage: BoldSignClient["users"]["listPage"] = (input, requestOptions) => {
    const query = inputObject(input);
    checkPageNumber(query.Page, "Page");
    checkPageSize(query.PageSize, "PageSize");
    checkSearch(query.Search, "Search");
    checkIdList(query.UserId, "UserId");
    return listUsers(input, requestOptions);
  };

  return {
    users: {
      create(input, requestOptions) {
        checkNewUsers(inputObject(input).body);
        return noContent("createUsers", input, requestOptions);
      },
      get(input, requestOptions) {
        checkId(inputObject(input).userId, "userId");
        return getUser(input, requestOptions);
      },
      list(query = {}, listOptions = {}) {
        const { cursor = 1, ...requestOptions } = listOptions;
        const pageSize = query.pageSize ?? MAX_PAGE_SIZE;
        checkPageSize(pageSize, "pageSize");
        checkSearch(query.search, "search");
        checkIdList(query.userIds, "userIds");
        checkPageNumber(cursor, "cursor");
        if (query.userIds?.length === 0) return paginate(async () => ({ items: [], next: undefined }), cursor);
        return paginate(async (page: number) => {
          const answer = await listPage(
            { Page: page, PageSize: pageSize, Search: query.search, UserId: query.userIds },
            requestOptions,
          );
          const items = answer.result ?? [];
          // No total count: a page with fewer users than asked for is the last one.
          return { items, next: items.length < pageSize ? undefined : page + 1 };
        }, cursor);
      },
      listPage,
      update(input, requestOptions) {
        checkUserChange(inputObject(input));
        return noContent("updateUser", input, requestOptions);
      },
      updateMetaData(input, requestOptions) {
        const change = inputObject(input);
        checkId(change.userId, "userId");
        checkMetadata(change.metaData ?? null, "metaData", false);
        return noContent("updateUserMetadata", input, requestOptions);
      },
      resendInvitation(input, requestOptions) {
        checkId(inputObject(input).UserId, "UserId");
        return noContent("resendInvitation", input, requestOptions);
      },
      cancelInvitation(input, requestOptions) {
        checkId(inputObject(input).UserId, "UserId");
        return noContent("cancelInvitation", input, requestOptions);
      },
      changeTeam(input, requestOptions) {
        const change = inputObject(input);
        checkId(change.userId, "userId");
        checkId(change.toTeamId, "toTeamId");
        checkOptionalId(change.transferDocumentsToUserId, "transferDocumentsToUserId");
        return noContent("changeTeam", input, requestOptions);
      },
    },
    // A getter: the openapi-fetch client is made on first use (see the runtime's createApiClient).
    get raw() {
      return api.raw;
    },
  };
}
