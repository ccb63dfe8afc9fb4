import { randomUUID } from "node:crypto";
import specV2 from "../generated/docusign-v2.js";
import specV21 from "../generated/docusign-v2.1.js";
import type { AuthOutcome, Handler, SandboxProvider, SandboxResponse } from "../types.js";
import type { Problem } from "../validate.js";
import {
  createDocuSignState,
  type DocuSignState,
  docusignTime,
  findDuplicate,
  findUser,
  MAX_PROFILE_IMAGE_BYTES,
  NEVER,
  nextGuid,
  sniffImage,
  type StoredUser,
} from "./docusign-store.js";
import {
  createView,
  DEFAULT_PERMISSION_PROFILE,
  type DocuSignApiVersion,
  defaultSettings,
  nameFromParts,
  type VersionView,
} from "./docusign-views.js";

export type { DocuSignState, StoredUser as DocuSignStoredUser } from "./docusign-store.js";

export interface DocuSignCredentials {
  /** The OAuth access token the sandbox accepts as `Authorization: Bearer <token>`. */
  accessToken: string;
  /** The one account the token's user belongs to; any other `accountId` in a path is refused. */
  accountId: string;
}

/** What `sb.credentials` holds: the token and account, and for the v2 sandbox the version a client must speak. */
export interface DocuSignClientCredentials extends DocuSignCredentials {
  version?: DocuSignApiVersion;
}

type Json = Record<string, unknown>;

/** Default error codes by status, for errors the framework raises (faults, oversized bodies, unknown paths). */
const CODE_BY_STATUS: Record<number, string> = {
  400: "INVALID_REQUEST_PARAMETER",
  401: "AUTHORIZATION_INVALID_TOKEN",
  403: "USER_LACKS_PERMISSIONS",
  404: "RESOURCE_NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  413: "REQUEST_ENTITY_TOO_LARGE",
  429: "HOURLY_APIINVOCATION_LIMIT_EXCEEDED",
};

function error(status: number, message: string, code?: string | number): SandboxResponse {
  const errorCode = code === undefined ? CODE_BY_STATUS[status] ?? "UNSPECIFIED_ERROR" : String(code);
  return { status, body: { errorCode, message } };
}

const USER_NOT_FOUND = {
  errorCode: "USER_DOES_NOT_EXIST_IN_SYSTEM",
  message: "The user does not exist in the system.",
} as const;
const DUPLICATE_USER = {
  errorCode: "USER_ALREADY_EXISTS_IN_ACCOUNT",
  message: "Username and email combination already exists for this account.",
} as const;
// The sandbox's own code: the client refuses malformed addresses before sending, so this is rarely seen.
const INVALID_EMAIL = { errorCode: "INVALID_EMAIL_ADDRESS", message: "The email address is not valid." } as const;

/**
 * DocuSign answers an unknown user with 400, not 404: its REST API tells failures
 * apart by `errorCode`, and the official definition declares only 400 for errors.
 */
const userNotFound = (): SandboxResponse => ({ status: 400, body: { ...USER_NOT_FOUND } });

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function invalid(problems: Problem[]): SandboxResponse {
  const detail = problems.map((p) => p.message).join("; ");
  if (problems.some((p) => p.in === "content-type")) {
    return error(400, `Content Type specified is not supported. ${detail}`, "INVALID_CONTENT_TYPE");
  }
  if (problems.some((p) => p.in === "body")) {
    return error(400, `The request body is missing or improperly formatted. ${detail}`, "INVALID_REQUEST_BODY");
  }
  return error(400, `The request contained at least one invalid parameter. ${detail}`, "INVALID_REQUEST_PARAMETER");
}

function isTrue(value: unknown): boolean {
  return typeof value === "string" && value.toLowerCase() === "true";
}

function decode(raw: string | undefined): string {
  try {
    return decodeURIComponent(raw ?? "");
  } catch {
    return raw ?? "";
  }
}

function newUser(state: DocuSignState, userName: string, email: string): StoredUser {
  const now = docusignTime();
  const defaults = defaultSettings();
  return {
    userId: nextGuid(state, "user"),
    membershipId: nextGuid(state, "membership"),
    userName,
    email,
    // Users added through the API are invited by email and stay here until they accept.
    status: "ActivationSent",
    createdDateTime: now,
    userProfileLastModifiedDate: now,
    details: {},
    settings: defaults.settings,
    settingGroups: defaults.groups,
    customSettings: new Map(),
    profile: {},
    groupIds: [],
    permissionProfileId: DEFAULT_PERMISSION_PROFILE,
    image: undefined,
  };
}

/** Checks a change to a user; returns DocuSign's error details when it cannot be applied. */
function checkChange(state: DocuSignState, user: StoredUser, body: Json): Json | undefined {
  const email = typeof body.email === "string" ? body.email : user.email;
  const userName = typeof body.userName === "string" ? body.userName : user.userName;
  if (!EMAIL.test(email)) return { ...INVALID_EMAIL };
  const duplicate = findDuplicate(state, userName, email);
  if (duplicate && duplicate !== user) return { ...DUPLICATE_USER };
  return undefined;
}

function listUri(rawQuery: string, start: number, count: number): string {
  const query = new URLSearchParams(rawQuery);
  query.set("start_position", String(start));
  query.set("count", String(count));
  return `/users?${query}`;
}

function customSettingsGroup(headers: Record<string, string | string[] | undefined>): string {
  const key = headers["x-docusign-user-settings-key"];
  return typeof key === "string" ? key : "";
}

function handlers(view: VersionView): Record<string, Handler<DocuSignState>> {
  const v21 = view.version === "v2.1";
  const withUser =
    (
      handle: (user: StoredUser, context: Parameters<Handler<DocuSignState>>[0]) => SandboxResponse,
    ): Handler<DocuSignState> =>
    (context) => {
      const user = findUser(context.state, context.params.path.userId);
      return user ? handle(user, context) : userNotFound();
    };

  return {
    listUsers({ state, params, request }) {
      const q = params.query;
      const start = Number(q.start_position ?? 0);
      const count = Number(q.count ?? 100);
      const statuses = typeof q.status === "string" ? new Set(q.status.split(",")) : undefined;
      const lower = (v: unknown) => (typeof v === "string" ? v.toLowerCase() : undefined);
      const email = lower(q.email);
      const emailPart = lower(q.email_substring);
      const namePart = lower(q.user_name_substring);
      const groups = typeof q.group_id === "string" ? q.group_id.split(",") : undefined;
      const notGroups = typeof q.not_group_id === "string" ? q.not_group_id.split(",") : [];
      const matching = [...state.users.values()].filter(
        (u) =>
          (statuses ? statuses.has(u.status) : u.status !== "Closed") &&
          (email === undefined || u.email.toLowerCase() === email) &&
          (emailPart === undefined || u.email.toLowerCase().includes(emailPart)) &&
          (namePart === undefined || u.userName.toLowerCase().includes(namePart)) &&
          (groups === undefined || u.groupIds.some((g) => groups.includes(g))) &&
          !u.groupIds.some((g) => notGroups.includes(g)) &&
          // The sandbox has no alternate administrators.
          !(v21 && isTrue(q.alternate_admins_only)),
      );
      const page = matching.slice(start, start + count);
      const options = {
        full: isTrue(q.additional_info),
        loginStatus: isTrue(q.login_status),
        license: isTrue(q.include_license),
      };
      const body: Json = {
        users: page.map((u) => view.user(state, u, options)),
        resultSetSize: String(page.length),
        totalSetSize: String(matching.length),
        startPosition: String(start),
        endPosition: String(start + page.length - 1),
      };
      if (start + page.length < matching.length) body.nextUri = listUri(request.rawQuery, start + page.length, count);
      if (start > 0) body.previousUri = listUri(request.rawQuery, Math.max(0, start - count), count);
      return { status: 200, body };
    },

    createUsers({ state, body }) {
      const newUsers = ((body as Json).newUsers as Json[]).map((input) => {
        const userName = input.userName as string;
        const email = input.email as string;
        const failed = (errorDetails: Json) => ({ email, userName, createdDateTime: NEVER, errorDetails });
        if (!EMAIL.test(email)) return failed({ ...INVALID_EMAIL });
        // Closed users count too: DocuSign keeps their records.
        if (findDuplicate(state, userName, email)) return failed({ ...DUPLICATE_USER });
        const user = newUser(state, userName, email);
        view.applyUser(user, input);
        state.users.set(user.userId, user);
        const rendered = view.user(state, user);
        return {
          userId: user.userId,
          uri: rendered.uri,
          email: user.email,
          userName: user.userName,
          userStatus: user.status,
          createdDateTime: user.createdDateTime,
          membershipId: user.membershipId,
          permissionProfileId: rendered.permissionProfileId,
          permissionProfileName: rendered.permissionProfileName,
        };
      });
      // 201 even when entries failed: each failed entry carries its own errorDetails.
      return { status: 201, body: { newUsers } };
    },

    updateUsers({ state, body }) {
      const users = ((body as Json).users as Json[]).map((input) => {
        const user = findUser(state, input.userId);
        if (!user) return { userId: input.userId, errorDetails: { ...USER_NOT_FOUND } };
        const problem = checkChange(state, user, input);
        if (problem) return { userId: user.userId, errorDetails: problem };
        view.applyUser(user, input);
        return view.user(state, user);
      });
      return { status: 200, body: { users } };
    },

    closeUsers({ state, params, body }) {
      const alsoRemove = new Set(String(params.query.delete ?? "").split(","));
      const users = ((body as Json).users as Json[]).map((input) => {
        const user = findUser(state, input.userId);
        if (!user) return { userId: input.userId, errorDetails: { ...USER_NOT_FOUND } };
        // Closed, never deleted: the record stays readable and listable with status=Closed.
        user.status = "Closed";
        if (alsoRemove.has("Groups")) user.groupIds = [];
        if (alsoRemove.has("PermissionSet")) user.permissionProfileId = undefined;
        return view.userInfo(state, user);
      });
      return { status: 200, body: { users } };
    },

    getUser: withUser((user, { state, params }) => ({
      status: 200,
      body: view.user(state, user, { full: true, license: isTrue(params.query.include_license) }),
    })),

    updateUser: withUser((user, { state, body }) => {
      const problem = checkChange(state, user, body as Json);
      if (problem) return { status: 400, body: problem };
      view.applyUser(user, body as Json);
      user.userProfileLastModifiedDate = docusignTime();
      return { status: 200, body: view.user(state, user, { full: true }) };
    }),

    getUserSettings: withUser((user) => ({ status: 200, body: view.settings(user) })),

    updateUserSettings: withUser((user, { body }) => {
      view.applySettings(user, body as Json);
      return { status: 200 };
    }),

    getUserProfile: withUser((user, { state }) => ({ status: 200, body: view.profile(state, user) })),

    updateUserProfile: withUser((user, { body }) => {
      const input = body as Json;
      for (const key of ["displayOrganizationInfo", "displayPersonalInfo", "displayProfile", "displayUsageHistory"]) {
        if (typeof input[key] === "string") user.profile[key] = input[key];
      }
      for (const key of ["companyName", "title", "address"]) {
        if (input[key] !== undefined) user.profile[key] = input[key];
      }
      const details = input.userDetails;
      if (details && typeof details === "object" && !Array.isArray(details)) {
        const { userName, ...rest } = details as Json;
        view.applyUser(user, rest);
        const fromParts = nameFromParts(rest);
        if (fromParts) user.userName = fromParts;
        else if (typeof userName === "string" && userName.trim() !== "") user.userName = userName;
      }
      user.userProfileLastModifiedDate = docusignTime();
      return { status: 200 };
    }),

    getProfileImage: withUser((user) => {
      if (!user.image) return error(404, "The user has no profile image.", "USER_PROFILE_IMAGE_NOT_FOUND");
      return { status: 200, body: user.image.bytes, contentType: user.image.contentType };
    }),

    updateProfileImage: withUser((user, { body }) => {
      const bytes = body as Buffer;
      if (bytes.length > MAX_PROFILE_IMAGE_BYTES) {
        return error(400, "The profile image must not be larger than 200 KB.", "INVALID_USER_PROFILE_IMAGE");
      }
      const contentType = sniffImage(bytes);
      if (!contentType) {
        return error(400, "The profile image must be a GIF, PNG, JPEG or BMP image.", "INVALID_USER_PROFILE_IMAGE");
      }
      user.image = { bytes: Buffer.from(bytes), contentType };
      return { status: 200 };
    }),

    deleteProfileImage: withUser((user) => {
      user.image = undefined;
      return { status: 200 };
    }),

    getCustomSettings: withUser((user, { request }) => {
      const group = user.customSettings.get(customSettingsGroup(request.headers)) ?? new Map<string, string>();
      return { status: 200, body: { customSettings: [...group].map(([name, value]) => ({ name, value })) } };
    }),

    updateCustomSettings: withUser((user, { request, body }) => {
      const key = customSettingsGroup(request.headers);
      const items = ((body as Json).customSettings as Json[] | undefined) ?? [];
      if (items.some((item) => typeof item.name !== "string" || item.name === "")) {
        return error(400, "Every custom setting needs a name.", "INVALID_REQUEST_BODY");
      }
      const group = user.customSettings.get(key) ?? new Map<string, string>();
      for (const item of items) group.set(item.name as string, String(item.value ?? ""));
      user.customSettings.set(key, group);
      return { status: 200, body: { customSettings: [...group].map(([name, value]) => ({ name, value })) } };
    }),

    deleteCustomSettings: withUser((user, { request, body }) => {
      const group = user.customSettings.get(customSettingsGroup(request.headers)) ?? new Map<string, string>();
      for (const item of ((body as Json).customSettings as Json[] | undefined) ?? []) {
        if (typeof item.name === "string") group.delete(item.name);
      }
      return { status: 200, body: { customSettings: [...group].map(([name, value]) => ({ name, value })) } };
    }),
  };
}

function createDocuSignProvider(
  name: string,
  version: DocuSignApiVersion,
  spec: Record<string, unknown>,
): SandboxProvider<DocuSignState, DocuSignCredentials, DocuSignClientCredentials> {
  const view = createView(version, spec);
  return {
    name,
    spec,
    basePath: "/restapi",
    defaultCredentials: () => ({
      accessToken: "sandbox-docusign-access-token",
      accountId: "0c6f1e6e-3b1a-4c7e-9f3a-5a2d1b0c9e87",
    }),
    // The v2 sandbox speaks only v2: a client pointed at it must be told so.
    clientCredentials: (accepted) => (version === "v2" ? { ...accepted, version } : { ...accepted }),
    createState: (credentials) => createDocuSignState(credentials.accountId),
    authenticate(request, operation, state, credentials): AuthOutcome {
      const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? "");
      if (!bearer) {
        return {
          ok: false,
          response: error(
            401,
            "One or both of Username and Password are invalid. Invalid access token",
            "USER_AUTHENTICATION_FAILED",
          ),
        };
      }
      if (bearer[1] !== credentials.accessToken) {
        return {
          ok: false,
          response: error(
            401,
            "The access token provided is expired, revoked or malformed.",
            "AUTHORIZATION_INVALID_TOKEN",
          ),
        };
      }
      if (decode(operation.pathParams.accountId) !== state.accountId) {
        return {
          ok: false,
          response: error(
            400,
            "The specified User is not a member of the specified Account.",
            "USER_DOES_NOT_BELONG_TO_SPECIFIED_ACCOUNT",
          ),
        };
      }
      return { ok: true };
    },
    error,
    invalid,
    notFound: () => error(404, "The URL does not match any DocuSign API resource."),
    methodNotAllowed: (_request, allowed) => error(405, `The method is not allowed here; use ${allowed.join(" or ")}.`),
    // DocuSign tags every answer with a trace token, which its support asks for.
    finalize: (response) => ({
      ...response,
      headers: { ...response.headers, "X-DocuSign-TraceToken": randomUUID() },
    }),
    handlers: handlers(view),
  };
}

/** DocuSign eSignature v2.1 Users (`startSandbox({ provider: "docusign" })`). */
export const docusign = createDocuSignProvider("docusign", "v2.1", specV21);

/** DocuSign eSignature v2 Users, the older version with settings as name/value pairs. */
export const docusignV2 = createDocuSignProvider("docusign-v2", "v2", specV2);
