export * from "@esign-users/runtime";
export { ACCESS_TOKEN_HEADER } from "./access-token.js";
export {
  type CreateAccessTokenInput,
  type CreatedQuicklySignUser,
  type CreateUserInput,
  createQuicklySignClient,
  type GetSelfInput,
  QUICKLYSIGN_BASE_URLS,
  type QuicklySignAccessToken,
  type QuicklySignClient,
  type QuicklySignClientOptions,
  type QuicklySignEnvironment,
  type QuicklySignUser,
  type UpdateSelfInput,
} from "./client.js";
export { operations } from "./generated/operations.js";
export type { components, operations as QuicklySignOperations, paths } from "./generated/schema.js";
export {
  parseQuicklySignError,
  type QuicklySignErrorBody,
  quicklysignFailureInBody,
  quicklysignProfile,
} from "./profile.js";
