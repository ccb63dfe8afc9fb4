import {
  createQuicklySignClient,
  type QuicklySignClient,
  type QuicklySignClientOptions,
  type QuicklySignUpdateSelfInput,
  type QuicklySignUser,
} from "@esign-users/quicklysign";
import { NotFoundError, type RequestOptions } from "@esign-users/runtime";
import { defineAdapter, type ProviderAdapter, joinName, toDate } from "../adapter.js";
import type { Capabilities, User } from "../types.js";

export const quicklysignCapabilities = {
  create: {
    supported: true,
    meaning: "adds a user to your application and returns its api_key (in `raw`)",
    fields: ["email", "firstName", "lastName"],
    roles: [],
    requires: ["firstName", "lastName"],
    sendsInvitation: false,
  },
  get: { supported: true, meaning: "the authenticated user only (id = its key, or \"self\")", scope: "authenticated user only" },
  list: { supported: false, meaning: "QuicklySign has no endpoint that lists users", search: "directory", statusFilter: "directory" },
  update: { supported: true, meaning: "the authenticated user's names (email cannot change)", fields: ["firstName", "lastName"] },
  remove: { supported: false, meaning: "QuicklySign has no endpoint that removes users", effect: "none" },
  createMany: { supported: true, meaning: "one request per user; existing emails are refused with 409", nativeBulk: false },
} as const satisfies Capabilities;

export function quicklysignUser(record: QuicklySignUser): User {
  return {
    id: record.key,
    provider: "quicklysign",
    email: record.email_address,
    firstName: record.name,
    lastName: record.last_name,
    name: joinName(record.name, record.last_name),
    status: "active",
    updatedAt: toDate(record.date_updated, "ms"),
    raw: record,
  };
}

export const quicklysignAdapter = defineAdapter(quicklysignCapabilities, (options: QuicklySignClientOptions): ProviderAdapter<QuicklySignClient> => {
  const client = createQuicklySignClient(options);

  /** The only user these credentials can reach; any other id is not found. */
  async function self(id: string, requestOptions?: RequestOptions): Promise<QuicklySignUser> {
    const me = await client.users.getSelf({}, requestOptions);
    if (id !== "self" && id !== me.key) {
      throw new NotFoundError({
        provider: "quicklysign",
        message: `quicklysign only gives access to the authenticated user (key ${me.key}), not ${id}`,
      });
    }
    return me;
  }

  return {
    provider: "quicklysign",
    raw: client,
    capabilities: quicklysignCapabilities,
    async create(input, requestOptions) {
      const created = await client.users.create(
        { user: { name: input.firstName as string, last_name: input.lastName as string, email_address: input.email } },
        requestOptions,
      );
      return quicklysignUser(created);
    },
    get: async (id, requestOptions) => quicklysignUser(await self(id, requestOptions)),
    async update(id, patch, requestOptions) {
      await self(id, requestOptions);
      // The directory checked that the patch changes something; the spec checks the rest.
      const change = { name: patch.firstName, last_name: patch.lastName } as QuicklySignUpdateSelfInput;
      const updated = await client.users.updateSelf(change, requestOptions);
      return quicklysignUser(updated);
    },
    isDuplicate: (error) => error.code === "duplicate_email",
  };
});
