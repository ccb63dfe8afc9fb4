export * from "@esign-users/runtime/public";
export type * from "./generated/v2/client.js";
export { api } from "./generated/v2/operations.js";
export type { components, operations as DocuSignOperations, paths } from "./generated/v2/schema.js";
export * from "./shared.js";
export * from "./v2-client.js";
