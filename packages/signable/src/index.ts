export * from "@esign-users/runtime";
export {
  type CreatedSignableUser,
  createSignableClient,
  type DeletedSignableUser,
  type ListOptions,
  type ListUsersQuery,
  parseSignableError,
  SIGNABLE_BASE_URL,
  type SignableClient,
  type SignableClientOptions,
  type SignableErrorBody,
  type SignableUser,
  type SignableUserList,
  signableProfile,
  type UpdatedSignableUser,
} from "./client.js";
export { operations } from "./generated/operations.js";
export type { components, operations as SignableOperations, paths } from "./generated/schema.js";
