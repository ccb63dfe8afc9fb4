export * from "@esign-users/runtime/public";
export type { AccessToken } from "./auth.js";
export { BOLDSIGN_BASE_URLS, type BoldSignClient, type BoldSignClientOptions, createBoldSignClient } from "./client.js";
export type * from "./generated/client.js";
export { api } from "./generated/operations.js";
export type { components, operations as BoldSignOperations, paths } from "./generated/schema.js";
