// DocuSign eSignature v2: its profile, client factory and type names. Kept apart from
// the `v2` entry (which also re-exports the runtime) so that the main entry can import
// the factory without pulling a namespace of the whole runtime into bundles.
import {
  buildDocuSignClient,
  type CloseUsersResultOf,
  type CreateUsersResultOf,
  type DocuSignClientOf,
  type DocuSignClientOptions,
  type ListedUserOf,
  type ListUsersQueryOf,
  type UpdateUsersResultOf,
} from "./client.js";
import { operations as table } from "./generated/v2/operations.js";
import type { components, operations, paths } from "./generated/v2/schema.js";
import { createDocuSignProfile } from "./profile.js";


type Schemas = components["schemas"];

/** A user as DocuSign v2 returns it (settings are name/value pairs, `userSettings`). */
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

/** What the runtime knows about DocuSign eSignature v2. */
export const docusignProfile = createDocuSignProfile(table);

/**
 * A client for DocuSign eSignature v2 Users. For v2.1, import the same factory
 * from `@esign-users/docusign`.
 *
 * ```ts
 * const ds = createDocuSignClient({ baseUrl: DOCUSIGN_DEMO_BASE_URL, accessToken, accountId });
 * for await (const user of ds.users.list({ status: "Active" })) console.log(user.email);
 * ```
 */
export function createDocuSignClient(options: DocuSignClientOptions): DocuSignClient {
  return buildDocuSignClient<operations, paths>({ version: "v2", profile: docusignProfile }, options);
}
