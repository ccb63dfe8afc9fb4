export * from "@esign-users/runtime/public";
export { ACCESS_TOKEN_HEADER } from "./access-token.js";
export {
  createQuicklySignClient,
  QUICKLYSIGN_BASE_URLS,
  type QuicklySignClient,
  type QuicklySignClientOptions,
} from "./client.js";
export type * from "./generated/client.js";
export { api } from "./generated/operations.js";
export type { components, operations as QuicklySignOperations, paths } from "./generated/schema.js";
export { parseQuicklySignError, type QuicklySignErrorBody, quicklysignFailureInBody } from "./profile.js";
