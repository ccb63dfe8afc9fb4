import {
  type BoldSignClient,
  type BoldSignClientOptions,
  type BoldSignUser,
  type BoldSignUserRole,
  createBoldSignClient,
} from "@esign-users/boldsign";
import { type ListOptions, type RequestOptions, ResponseFormatError } from "@esign-users/runtime";
import { defineAdapter, type ProviderAdapter, joinName, toDate } from "../adapter.js";
import type { Capabilities, User, UserRole, UserStatus } from "../types.js";

export const boldsignCapabilities = {
  create: {
    supported: true,
    meaning: "invites the user by email; BoldSign takes no name (the user gives it when accepting)",
    fields: ["email", "role"],
    roles: ["admin", "teamAdmin", "member"],
    requires: [],
    sendsInvitation: true,
  },
  get: { supported: true, meaning: "any user by id", scope: "any user" },
  list: { supported: true, meaning: "every user, paged", search: "provider", statusFilter: "directory" },
  update: { supported: true, meaning: "role only (names and emails belong to the user)", fields: ["role"] },
  remove: {
    supported: true,
    meaning: "deactivate an active user; cancel a pending invitation (the invitee is then gone)",
    effect: "deactivate",
  },
  createMany: { supported: true, meaning: "the bulk endpoint, 50 invitations a request", nativeBulk: true },
} as const satisfies Capabilities;

const STATUS: Record<string, UserStatus> = {
  InvitationPending: "invited",
  Active: "active",
  Deactivated: "inactive",
  Inactive: "inactive",
};
const ROLE_FROM: Record<string, UserRole> = { Admin: "admin", TeamAdmin: "teamAdmin", Member: "member" };
const ROLE_TO: Record<UserRole, BoldSignUserRole> = { admin: "Admin", teamAdmin: "TeamAdmin", member: "Member" };

export function boldsignUser(record: BoldSignUser): User {
  const firstName = record.firstName ?? undefined;
  const lastName = record.lastName ?? undefined;
  return {
    id: String(record.userId ?? ""),
    provider: "boldsign",
    email: record.email ?? "",
    firstName,
    lastName,
    name: joinName(firstName, lastName) || (record.email ?? ""),
    status: STATUS[record.userStatus ?? ""] ?? "active",
    role: ROLE_FROM[record.role ?? ""],
    createdAt: toDate(record.createdDate, "s"),
    updatedAt: toDate(record.modifiedDate, "s"),
    raw: record,
  };
}

export const boldsignAdapter = defineAdapter(boldsignCapabilities, (options: BoldSignClientOptions): ProviderAdapter<BoldSignClient> => {
  const client = createBoldSignClient(options);
  const get = async (id: string) => boldsignUser(await client.users.get({ userId: id }));

  /** BoldSign's create answers 204 with no body: find who was created by email. */
  async function findByEmails(emails: string[], requestOptions?: RequestOptions): Promise<Map<string, User>> {
    const wanted = new Set(emails.map((e) => e.toLowerCase()));
    const found = new Map<string, User>();
    for await (const summary of client.users.list({}, requestOptions)) {
      const user = boldsignUser(summary);
      if (wanted.has(user.email.toLowerCase())) found.set(user.email.toLowerCase(), user);
      if (found.size === wanted.size) break;
    }
    return found;
  }

  return {
    provider: "boldsign",
    raw: client,
    capabilities: boldsignCapabilities,
    async create(input, requestOptions) {
      const [outcome] = await this.createBatch!([input], requestOptions);
      if (outcome && "user" in outcome) return outcome.user;
      throw outcome?.error;
    },
    batchSize: 50,
    async createBatch(inputs, requestOptions) {
      await client.users.create(
        { body: inputs.map((i) => ({ emailId: i.email, ...(i.role ? { userRole: ROLE_TO[i.role] } : {}) })) },
        requestOptions,
      );
      const created = await findByEmails(inputs.map((i) => i.email), requestOptions);
      return inputs.map((i) => {
        const user = created.get(i.email.toLowerCase());
        return user
          ? { user }
          : {
              error: new ResponseFormatError({
                provider: "boldsign",
                message: `boldsign accepted the invitation of ${i.email} but does not list the user`,
              }),
            };
      });
    },
    get: (id) => get(id),
    async update(id, patch, requestOptions) {
      await client.users.update({ userId: id, userRole: ROLE_TO[patch.role as UserRole] }, requestOptions);
      return get(id);
    },
    async remove(id, requestOptions) {
      const user = await get(id);
      if (user.status === "invited") await client.users.cancelInvitation({ UserId: id }, requestOptions);
      else await client.users.update({ userId: id, userStatus: "Deactivate" }, requestOptions);
    },
    list(query, listOptions) {
      return client.users
        .list({ ...(query.search ? { Search: query.search } : {}) }, listOptions as ListOptions<number>)
        .map(boldsignUser);
    },
    isDuplicate: (error) => error.status === 400 && /already exists/i.test(error.message),
  };
});
