import {
  bearerAuth,
  type BulkResult,
  type CallOptions,
  type CommonClientOptions,
  type Credential,
  checkCredentialOption,
  createApiClient,
  type OperationInput,
  type OperationMethod,
  type OperationResult,
  type OperationTable,
  type PageIterator,
  type ProviderProfile,
  paginate,
  Redactor,
  type RequestOptions,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import { toCreateResult, toUserIdResult } from "./bulk.js";
import { type ImageInput, prepareProfileImage } from "./image.js";
import { checkCursor, checkEmail, checkEntries, checkIds, checkName, checkPageSize, invalid } from "./validate.js";

export type DocuSignApiVersion = "v2" | "v2.1";

/** The operations both versions' specs define, under the same ids. */
export type DocuSignOperationId =
  | "listUsers"
  | "updateUsers"
  | "createUsers"
  | "closeUsers"
  | "getUser"
  | "updateUser"
  | "getUserSettings"
  | "updateUserSettings"
  | "getUserProfile"
  | "updateUserProfile"
  | "getProfileImage"
  | "updateProfileImage"
  | "deleteProfileImage"
  | "getCustomSettings"
  | "updateCustomSettings"
  | "deleteCustomSettings";

/** A version's generated `operations` interface. */
export type DocuSignOperations = Record<DocuSignOperationId, unknown>;

export interface DocuSignClientOptions extends CommonClientOptions {
  /**
   * Where the account lives: `https://demo.docusign.net/restapi` for developer
   * accounts, the account's `base_uri` (from OAuth `userinfo`) in production.
   * A base URI without a path gets `/restapi` added.
   */
  baseUrl: string;
  /**
   * An OAuth access token, or a function returning one. A function is called
   * before every request, and once more after a 401 (the request is then
   * repeated once), so expired tokens are replaced without a new client.
   */
  accessToken: Credential;
  /** The account every call addresses unless the call passes its own `accountId`. */
  accountId: string;
}

type Input<Op> = OperationInput<Op, "accountId">;
type Method<Op> = OperationMethod<Op, "accountId">;
type Result<Op> = OperationResult<Op>;
type ListItem<L> = NonNullable<L> extends readonly (infer E)[] ? E : never;
type UsersOf<T> = T extends { users?: infer L } ? ListItem<L> : never;
type NewUsersOf<T> = T extends { newUsers?: infer L } ? ListItem<L> : never;

/** A user as `users.list` yields it. */
export type ListedUserOf<Ops extends DocuSignOperations> = UsersOf<Result<Ops["listUsers"]>>;

/** `users.list`'s filters: everything `listPage` takes except the paging, which the iterator does. */
export type ListUsersQueryOf<Ops extends DocuSignOperations> = Omit<
  Input<Ops["listUsers"]>,
  "start_position" | "count"
> & {
  /** Users per request, 1–100. Default 100, the fewest requests. */
  count?: number | string;
};

/** One result per new user, in input order: the `newUsers` entry DocuSign answered, or the error it gave. */
export type CreateUsersResultOf<Ops extends DocuSignOperations> = BulkResult<
  NewUsersOf<Result<Ops["createUsers"]>>,
  NewUsersOf<Input<Ops["createUsers"]>>,
  Result<Ops["createUsers"]>
>;
export type UpdateUsersResultOf<Ops extends DocuSignOperations> = BulkResult<
  UsersOf<Result<Ops["updateUsers"]>>,
  UsersOf<Input<Ops["updateUsers"]>>,
  Result<Ops["updateUsers"]>
>;
export type CloseUsersResultOf<Ops extends DocuSignOperations> = BulkResult<
  UsersOf<Result<Ops["closeUsers"]>>,
  UsersOf<Input<Ops["closeUsers"]>>,
  Result<Ops["closeUsers"]>
>;

export interface ListOptions extends RequestOptions {
  /** Resume an interrupted list: the `cursor` (a `start_position`) of its iterator. */
  cursor?: number;
}

export interface CustomSettingsOptions extends RequestOptions {
  /** The group the settings belong to; sent as `X-DocuSign-User-Settings-Key`. */
  group?: string;
}

export interface ProfileImageInput {
  userId: string;
  accountId?: string;
  /** GIF, PNG, JPEG or BMP bytes, at most 200 KB; the type is read from the bytes. */
  image: ImageInput;
}

type CustomSettingsMethod<Op> = (input: Input<Op>, options?: CustomSettingsOptions) => Promise<Result<Op>>;

/** The client for one API version; `Ops` and `Paths` are that version's generated types. */
export interface DocuSignClientOf<Ops extends DocuSignOperations, Paths extends object> {
  readonly version: DocuSignApiVersion;
  /** The account calls address by default. */
  readonly accountId: string;
  readonly users: {
    /** Every matching user, fetching pages of `count` as the loop advances. Closed users only with `status`. */
    list(query?: ListUsersQueryOf<Ops>, options?: ListOptions): PageIterator<ListedUserOf<Ops>, number>;
    /** One page, as DocuSign returns it. */
    listPage: Method<Ops["listUsers"]>;
    /** Adds up to 500 users; never throws for a user DocuSign refused, see the result. */
    create(input: Input<Ops["createUsers"]>, options?: RequestOptions): Promise<CreateUsersResultOf<Ops>>;
    get: Method<Ops["getUser"]>;
    update: Method<Ops["updateUser"]>;
    /** Changes several users; one result per user. */
    updateMany(input: Input<Ops["updateUsers"]>, options?: RequestOptions): Promise<UpdateUsersResultOf<Ops>>;
    /** Closes users (DocuSign never deletes them); one result per user. */
    close(input: Input<Ops["closeUsers"]>, options?: RequestOptions): Promise<CloseUsersResultOf<Ops>>;
  };
  readonly profileImage: {
    /** The picture's bytes, exactly as uploaded. */
    get(input: Input<Ops["getProfileImage"]>, options?: RequestOptions): Promise<Uint8Array>;
    put(input: ProfileImageInput, options?: RequestOptions): Promise<void>;
    delete(input: Input<Ops["deleteProfileImage"]>, options?: RequestOptions): Promise<void>;
  };
  readonly settings: {
    get: Method<Ops["getUserSettings"]>;
    update(input: Input<Ops["updateUserSettings"]>, options?: RequestOptions): Promise<void>;
  };
  readonly profile: {
    get: Method<Ops["getUserProfile"]>;
    update(input: Input<Ops["updateUserProfile"]>, options?: RequestOptions): Promise<void>;
  };
  readonly customSettings: {
    get: CustomSettingsMethod<Ops["getCustomSettings"]>;
    update: CustomSettingsMethod<Ops["updateCustomSettings"]>;
    delete: CustomSettingsMethod<Ops["deleteCustomSettings"]>;
  };
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts (pass `accountId` yourself). */
  readonly raw: Client<Paths>;
}

export interface DocuSignVersion {
  version: DocuSignApiVersion;
  profile: ProviderProfile<OperationTable>;
}

const ACCOUNT = ["accountId"] as const;
const ACCOUNT_AND_USER = ["accountId", "userId"] as const;

/** The userinfo endpoint gives production base URIs without `/restapi`; accept them as they come. */
function normalizeBaseUrl(baseUrl: unknown): string {
  const hint = "https://demo.docusign.net/restapi, or the account's base URI in production";
  if (typeof baseUrl !== "string" || baseUrl === "") throw invalid(`baseUrl is required (${hint})`, "baseUrl");
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid(`baseUrl must be an absolute URL (${hint})`, "baseUrl");
  }
  if (url.pathname.replace(/\/+$/, "") === "") url.pathname = "/restapi";
  return url.toString().replace(/\/+$/, "");
}

type Flat = Record<string, unknown>;

/**
 * The one implementation behind both entry points: `spec` names the version and
 * carries its profile (with the generated operations table); the version's types
 * come from the caller.
 */
export function buildDocuSignClient<Ops extends DocuSignOperations, Paths extends object>(
  spec: DocuSignVersion,
  options: DocuSignClientOptions,
): DocuSignClientOf<Ops, Paths> {
  checkCredentialOption(options?.accessToken, "accessToken", "docusign");
  checkName(options.accountId, "accountId", true);
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const accountId = options.accountId;
  const redactor = new Redactor();
  const api = createApiClient<Paths, Ops, OperationTable>({
    ...options,
    baseUrl,
    profile: spec.profile,
    auth: bearerAuth(options.accessToken, redactor, { name: "accessToken", provider: "docusign" }),
    redactor,
    defaultParams: { accountId },
  });

  /** An operation whose ids are checked before the call. */
  const op =
    (id: DocuSignOperationId, ids: readonly string[] = ACCOUNT_AND_USER) =>
    async (input?: Flat, callOptions?: CallOptions) => {
      checkIds(input, ids);
      return api.call(id, input, callOptions);
    };
  const noResult =
    (id: DocuSignOperationId) =>
    async (input?: Flat, callOptions?: RequestOptions): Promise<void> => {
      await op(id)(input, callOptions);
    };
  const withGroup =
    (id: DocuSignOperationId) =>
    (input?: Flat, { group, ...callOptions }: CustomSettingsOptions = {}) => {
      if (group === undefined) return op(id)(input, callOptions);
      checkName(group, "group", true);
      const headers = { ...callOptions.headers, "X-DocuSign-User-Settings-Key": group };
      return op(id)(input, { ...callOptions, headers });
    };
  const listPage = op("listUsers", ACCOUNT);

  const client = {
    version: spec.version,
    accountId,
    users: {
      list(query: Flat = {}, { cursor = 0, ...requestOptions }: ListOptions = {}) {
        const { count = 100, ...filters } = query;
        const pageSize = checkPageSize(count);
        checkCursor(cursor);
        checkIds(filters, ACCOUNT);
        return paginate(async (start: number) => {
          const page = (await listPage(
            { ...filters, start_position: String(start), count: String(pageSize) },
            requestOptions,
          )) as UsersPage;
          const items = page?.users ?? [];
          return { items, next: nextStart(page, start, items.length) };
        }, cursor);
      },
      listPage,
      async create(input: Flat, callOptions?: RequestOptions) {
        checkIds(input, ACCOUNT);
        const newUsers = checkEntries(input?.newUsers, "newUsers", 500);
        newUsers.forEach((user, i) => {
          checkName(user.userName, `newUsers[${i}].userName`, true);
          checkEmail(user.email, `newUsers[${i}].email`, true);
        });
        const raw = (await api.call("createUsers", input, callOptions)) as { newUsers?: { apiPassword?: unknown }[] };
        // A new user's API password is a credential: keep it out of every log line and error.
        for (const entry of raw?.newUsers ?? []) {
          if (typeof entry?.apiPassword === "string") redactor.add(entry.apiPassword);
        }
        return toCreateResult(newUsers, raw);
      },
      get: op("getUser"),
      async update(input: Flat, callOptions?: RequestOptions) {
        checkEmail(input?.email, "email", false);
        checkName(input?.userName, "userName", false);
        return op("updateUser")(input, callOptions);
      },
      async updateMany(input: Flat, callOptions?: RequestOptions) {
        checkIds(input, ACCOUNT);
        const users = checkEntries(input?.users, "users");
        users.forEach((user, i) => {
          checkName(user.userId, `users[${i}].userId`, true);
          checkEmail(user.email, `users[${i}].email`, false);
        });
        return toUserIdResult(users, await api.call("updateUsers", input, callOptions));
      },
      async close(input: Flat, callOptions?: RequestOptions) {
        checkIds(input, ACCOUNT);
        const users = checkEntries(input?.users, "users");
        users.forEach((user, i) => checkName(user.userId, `users[${i}].userId`, true));
        return toUserIdResult(users, await api.call("closeUsers", input, callOptions));
      },
    },
    profileImage: {
      get: op("getProfileImage"),
      async put(input: ProfileImageInput, callOptions?: RequestOptions) {
        checkIds(input, ACCOUNT_AND_USER);
        const { image, ...params } = input ?? ({} as ProfileImageInput);
        const { bytes, contentType } = await prepareProfileImage(image);
        await op("updateProfileImage")({ ...params, body: bytes }, { ...callOptions, contentType });
      },
      delete: noResult("deleteProfileImage"),
    },
    settings: { get: op("getUserSettings"), update: noResult("updateUserSettings") },
    profile: { get: op("getUserProfile"), update: noResult("updateUserProfile") },
    customSettings: {
      get: withGroup("getCustomSettings"),
      update: withGroup("updateCustomSettings"),
      delete: withGroup("deleteCustomSettings"),
    },
    // A getter: the openapi-fetch client is made on first use (see the runtime's createApiClient).
    get raw() {
      return api.raw;
    },
  };
  // The methods above are written once for both versions over plain objects; the
  // version's generated types are put on at this one place.
  return client as unknown as DocuSignClientOf<Ops, Paths>;
}

interface UsersPage {
  users?: unknown[];
  nextUri?: string | null;
  endPosition?: string;
  totalSetSize?: string;
}

/**
 * Where the next page starts, or undefined at the end: an empty page, no
 * `nextUri`, or a page that reaches `totalSetSize` each end the list.
 */
function nextStart(page: UsersPage | undefined, start: number, received: number): number | undefined {
  if (!page || received === 0 || !page.nextUri) return undefined;
  const end = Number(page.endPosition);
  const next = Number.isInteger(end) && end >= start ? end + 1 : start + received;
  const total = Number(page.totalSetSize);
  if (Number.isInteger(total) && next >= total) return undefined;
  return next;
}
