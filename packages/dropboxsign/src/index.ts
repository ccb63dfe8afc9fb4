export * from "@esign-users/runtime/public";
export { createDropboxSignClient, type DropboxSignClient, type DropboxSignClientOptions } from "./client.js";
export type * from "./generated/client.js";
export { api } from "./generated/operations.js";
export type { components, operations as DropboxSignOperations, paths } from "./generated/schema.js";
