import {
  createSignableClient,
  type SignableClient,
  type SignableClientOptions,
  type SignableUpdateUserInput,
  type SignableUser,
} from "@esign-users/signable";
import { type ListOptions, NotFoundError } from "@esign-users/runtime";
import { defineAdapter, type ProviderAdapter, joinName, splitName, toDate } from "../adapter.js";
import type { Capabilities, User } from "../types.js";

export const signableCapabilities = {
  create: { supported: true, meaning: "adds the user; Signable emails them to set a password", fields: ["email", "firstName", "lastName"],
    roles: [], requires: ["firstName"], sendsInvitation: true },
  get: { supported: true, meaning: "any user by id", scope: "any user" },
  list: { supported: true, meaning: "every user, paged by offset", search: "directory", statusFilter: "directory" },
  update: { supported: true, meaning: "name and email", fields: ["email", "firstName", "lastName"] },
  remove: { supported: true, meaning: "delete: the user is removed from the account", effect: "delete" },
  createMany: { supported: true, meaning: "one request per user (no bulk endpoint)", nativeBulk: false },
} as const satisfies Capabilities;

type SignableRecord = Pick<SignableUser, "user_id" | "user_name" | "user_email"> &
  Partial<Pick<SignableUser, "user_added" | "user_last_updated">> & { user_updated?: string };

/** Signable users have no state of their own: anyone in the account is active. */
export function signableUser(record: SignableRecord): User {
  const name = record.user_name ?? "";
  return {
    id: String(record.user_id),
    provider: "signable",
    email: record.user_email,
    ...splitName(name),
    name,
    status: "active",
    createdAt: toDate(record.user_added),
    updatedAt: toDate(record.user_updated ?? record.user_last_updated),
    raw: record,
  };
}

export const signableAdapter = defineAdapter(signableCapabilities, (options: SignableClientOptions): ProviderAdapter<SignableClient> => {
  const client = createSignableClient(options);
  // Signable's ids are numbers (the spec's UserIdValue); the directory's ids are any
  // string, and one that cannot be a Signable id names no user.
  const checkId = (id: string) => {
    if (!/^[0-9]+$/.test(id)) {
      throw new NotFoundError({ provider: "signable", message: `signable has no user ${JSON.stringify(id)}: its user ids are numbers` });
    }
    return id;
  };
  const get = async (id: string) => signableUser(await client.users.get({ user_id: checkId(id) }));
  return {
    provider: "signable",
    raw: client,
    capabilities: signableCapabilities,
    async create(input, requestOptions) {
      const created = await client.users.create(
        { user_name: joinName(input.firstName, input.lastName), user_email: input.email },
        requestOptions,
      );
      return signableUser(created);
    },
    get: (id) => get(id),
    async update(id, patch, requestOptions) {
      let user_name: string | undefined;
      if (patch.firstName !== undefined || patch.lastName !== undefined) {
        // Signable keeps one name field: fill in the half the patch leaves out.
        const current = patch.firstName === undefined || patch.lastName === undefined ? await get(id) : undefined;
        user_name = joinName(patch.firstName ?? current?.firstName, patch.lastName ?? current?.lastName);
      }
      // The directory checked that the patch changes something; the spec checks the rest.
      const change = { user_id: checkId(id), user_name, user_email: patch.email } as SignableUpdateUserInput;
      const updated = await client.users.update(change, requestOptions);
      return signableUser(updated);
    },
    async remove(id, requestOptions) {
      await client.users.delete({ user_id: checkId(id) }, requestOptions);
    },
    list(_query, listOptions) {
      return client.users.list({}, listOptions as ListOptions<number>).map(signableUser);
    },
    isDuplicate: (error) => error.code === 10110,
  };
});
