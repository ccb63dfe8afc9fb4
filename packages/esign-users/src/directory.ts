import { UnsupportedOperationError, ValidationError } from "@esign-users/runtime";
import type { ProviderAdapter } from "./adapter.js";
import { createMany } from "./create-many.js";
import type { DirectoryOperations, ListQuery, User, UserStatus } from "./types.js";
import { validateId, validateNewUser, validatePatch } from "./validate.js";

const STATUSES: readonly UserStatus[] = ["active", "invited", "inactive", "closed"];

function matches(user: User, query: ListQuery, where: { search: boolean; status: boolean }): boolean {
  if (where.status && query.status !== undefined && user.status !== query.status) return false;
  if (where.search && query.search) {
    const needle = query.search.toLowerCase();
    if (!user.email.toLowerCase().includes(needle) && !user.name.toLowerCase().includes(needle)) return false;
  }
  return true;
}

/** Wraps an adapter with validation, capability checks, filtering and bulk creation. */
export function createDirectory<Raw>(adapter: ProviderAdapter<Raw>): DirectoryOperations<Raw> {
  const { provider, capabilities } = adapter;
  const unsupported = (operation: "list" | "remove" | "update") =>
    new UnsupportedOperationError(provider, operation, capabilities[operation].meaning);

  return {
    provider,
    capabilities,
    raw: adapter.raw,
    async create(input, options) {
      validateNewUser(provider, capabilities, input);
      return adapter.create(input, options);
    },
    async get(id, options) {
      return adapter.get(validateId(provider, id), options);
    },
    async update(id, patch, options) {
      if (!adapter.update) throw unsupported("update");
      const checked = validateId(provider, id);
      validatePatch(provider, capabilities, patch);
      return adapter.update(checked, patch, options);
    },
    async remove(id, options) {
      if (!adapter.remove) throw unsupported("remove");
      await adapter.remove(validateId(provider, id), options);
    },
    list(query = {}, options = {}) {
      if (!adapter.list) throw unsupported("list");
      if (query.status !== undefined && !STATUSES.includes(query.status)) {
        throw new ValidationError(`${provider}: status must be one of ${STATUSES.join(", ")}`, { field: "status", provider });
      }
      if (query.search !== undefined && typeof query.search !== "string") {
        throw new ValidationError(`${provider}: search must be a string`, { field: "search", provider });
      }
      const here = {
        search: capabilities.list.search === "directory",
        status: capabilities.list.statusFilter === "directory",
      };
      const users = adapter.list(query, options);
      return here.search || here.status ? users.filter((u) => matches(u, query, here)) : users;
    },
    createMany(inputs, options) {
      return createMany(adapter, inputs, options);
    },
  };
}
