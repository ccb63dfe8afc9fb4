export * from "@esign-users/runtime";
export type { AccessToken } from "./auth.js";
export {
  type BoldSignClient,
  type BoldSignClientOptions,
  type BoldSignMetadata,
  type BoldSignNewUser,
  type BoldSignUser,
  type BoldSignUserPage,
  type BoldSignUserRole,
  type BoldSignUserStatusChange,
  type BoldSignUserSummary,
  createBoldSignClient,
  type ListOptions,
  type ListUsersQuery,
} from "./client.js";
export { operations } from "./generated/operations.js";
export type { components, operations as BoldSignOperations, paths } from "./generated/schema.js";
export { type BoldSignErrorBody, boldsignProfile, parseBoldSignError } from "./profile.js";
export { BOLDSIGN_BASE_URLS, type BoldSignRegion, boldsignBaseUrl } from "./regions.js";
export {
  MAX_METADATA_KEY_LENGTH,
  MAX_METADATA_PAIRS,
  MAX_METADATA_VALUE_LENGTH,
  MAX_PAGE_SIZE,
  USER_ROLES,
  USER_STATUS_CHANGES,
} from "./validate.js";
