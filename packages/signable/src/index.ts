export * from "@esign-users/runtime/public";
export { createSignableClient, SIGNABLE_BASE_URL, type SignableClient, type SignableClientOptions } from "./client.js";
export type * from "./generated/client.js";
export { api } from "./generated/operations.js";
export type { components, operations as SignableOperations, paths } from "./generated/schema.js";
