import { ValidationError } from "@esign-users/runtime";
import {
  buildDocuSignClient,
  type CloseUsersResultOf,
  type CreateUsersResultOf,
  type DocuSignApiVersion,
  type DocuSignClientOf,
  type DocuSignClientOptions,
  type ListedUserOf,
  type ListUsersQueryOf,
  type UpdateUsersResultOf,
} from "./client.js";
import { operations as table } from "./generated/v2.1/operations.js";
import type { components, operations, paths } from "./generated/v2.1/schema.js";
import { createDocuSignProfile } from "./profile.js";
import { createDocuSignClient as createDocuSignV2Client, type DocuSignClient as DocuSignV2Client } from "./v2-client.js";

export type { DocuSignV2Client };

export * from "@esign-users/runtime";
export * from "./shared.js";
export { operations } from "./generated/v2.1/operations.js";
export type { components, operations as DocuSignOperations, paths } from "./generated/v2.1/schema.js";

type Schemas = components["schemas"];

/** A user as DocuSign v2.1 returns it (settings are one object, `userSettings`). */
export type DocuSignUser = Schemas["UserInformation"];
/** A user to add: `userName` and `email` are required. */
export type DocuSignNewUserInput = Schemas["NewUserInformation"];
/** What DocuSign answers for one added user. */
export type DocuSignNewUser = Schemas["NewUser"];
/** A user in brief, as a close answers. */
export type DocuSignUserInfo = Schemas["UserInfo"];
export type DocuSignUserList = Schemas["UserInformationList"];
export type DocuSignUserSettings = Schemas["UserSettingsInformation"];
export type DocuSignUserProfile = Schemas["UserProfile"];
export type DocuSignCustomSettings = Schemas["CustomSettingsInformation"];
export type DocuSignErrorDetails = Schemas["ErrorDetails"];
export type DocuSignUserStatus = Schemas["UserStatus"];

export type DocuSignClient = DocuSignClientOf<operations, paths>;
export type ListedDocuSignUser = ListedUserOf<operations>;
export type ListUsersQuery = ListUsersQueryOf<operations>;
export type CreateUsersResult = CreateUsersResultOf<operations>;
export type UpdateUsersResult = UpdateUsersResultOf<operations>;
export type CloseUsersResult = CloseUsersResultOf<operations>;

/** What the runtime knows about DocuSign eSignature v2.1. */
export const docusignProfile = createDocuSignProfile(table);

/** Options of the main entry: `version` picks the API (v2.1 unless told otherwise). */
export type DocuSignVersionedOptions = DocuSignClientOptions & { version?: DocuSignApiVersion };

/**
 * A client for DocuSign eSignature Users, v2.1 by default; `version: "v2"` gives
 * the v2 client. (`@esign-users/docusign/v2` exports a v2-only factory, for
 * bundles that should not carry v2.1.)
 *
 * ```ts
 * const ds = createDocuSignClient({ baseUrl: DOCUSIGN_DEMO_BASE_URL, accessToken, accountId });
 * const user = await ds.users.get({ userId });
 * for await (const u of ds.users.list({ status: "Active" })) console.log(u.email);
 * ```
 */
export function createDocuSignClient(options: DocuSignClientOptions & { version?: "v2.1" }): DocuSignClient;
export function createDocuSignClient(options: DocuSignClientOptions & { version: "v2" }): DocuSignV2Client;
export function createDocuSignClient(options: DocuSignVersionedOptions): DocuSignClient | DocuSignV2Client;
export function createDocuSignClient(options: DocuSignVersionedOptions): DocuSignClient | DocuSignV2Client {
  const { version = "v2.1", ...rest } = options ?? ({} as DocuSignVersionedOptions);
  if (version === "v2") return createDocuSignV2Client(rest);
  if (version !== "v2.1") {
    throw new ValidationError(`docusign: version must be "v2.1" or "v2", not ${JSON.stringify(version)}`, {
      field: "version",
      provider: "docusign",
    });
  }
  return buildDocuSignClient<operations, paths>({ version: "v2.1", profile: docusignProfile }, rest);
}
