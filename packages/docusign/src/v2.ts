export * from "@esign-users/runtime";
export type * from "./generated/v2/client.js";
export { api, operations } from "./generated/v2/operations.js";
export type { components, operations as DocuSignOperations, paths } from "./generated/v2/schema.js";
export * from "./shared.js";
export * from "./v2-client.js";
