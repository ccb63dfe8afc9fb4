export * from "@esign-users/runtime";
export { createSignableClient, SIGNABLE_BASE_URL, type SignableClient, type SignableClientOptions } from "./client.js";
export type * from "./generated/client.js";
export { api, operations } from "./generated/operations.js";
export type { components, operations as SignableOperations, paths } from "./generated/schema.js";
