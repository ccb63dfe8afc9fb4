import {
  createDocuSignClient,
  type DocuSignClient,
  type DocuSignV2Client,
  type DocuSignVersionedOptions,
} from "@esign-users/docusign";
import { EsignApiError, type ListOptions, NotFoundError, type RequestOptions } from "@esign-users/runtime";
import { type BatchOutcome, defineAdapter, type ProviderAdapter, joinName, toDate } from "../adapter.js";
import type { Capabilities, ListQuery, NewUser, User, UserRole, UserStatus } from "../types.js";

export const docusignCapabilities = {
  create: {
    supported: true,
    meaning: "adds the user to the account; DocuSign emails an activation link",
    fields: ["email", "firstName", "lastName"],
    // DocuSign's roles are permission profiles whose ids differ per account: set them through `raw`.
    roles: [],
    requires: [],
    sendsInvitation: true,
  },
  get: { supported: true, meaning: "any user by id", scope: "any user" },
  list: {
    supported: true,
    meaning: "the account's users, paged by start_position; closed users only when asked for by status",
    search: "provider",
    statusFilter: "provider",
  },
  update: { supported: true, meaning: "names and email", fields: ["email", "firstName", "lastName"] },
  remove: { supported: true, meaning: "close: DocuSign never deletes users; they stay readable as closed", effect: "close" },
  createMany: { supported: true, meaning: "the bulk endpoint, 50 users a request, with a result per user", nativeBulk: true },
} as const satisfies Capabilities;

const STATUS: Record<string, UserStatus> = {
  Active: "active",
  ActivationSent: "invited",
  ActivationRequired: "invited",
  Disabled: "inactive",
  Closed: "closed",
};
const STATUS_FILTER: Record<UserStatus, string> = {
  active: "Active",
  invited: "ActivationSent,ActivationRequired",
  inactive: "Disabled",
  closed: "Closed",
};
const ROLE: Record<string, UserRole> = { "Account Administrator": "admin", "DocuSign Sender": "member" };

/** The fields of DocuSign's user records the directory reads (v2 and v2.1 agree on them). */
interface DocuSignRecord {
  userId?: string;
  userName?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  userStatus?: string;
  permissionProfileName?: string;
  createdDateTime?: string;
  userProfileLastModifiedDate?: string;
}

export function docusignUser(record: DocuSignRecord, names: { firstName?: string; lastName?: string } = {}): User {
  const firstName = record.firstName ?? names.firstName;
  const lastName = record.lastName ?? names.lastName;
  return {
    id: String(record.userId ?? ""),
    provider: "docusign",
    email: record.email ?? "",
    firstName,
    lastName,
    name: record.userName || joinName(firstName, lastName),
    status: STATUS[record.userStatus ?? ""] ?? "active",
    role: ROLE[record.permissionProfileName ?? ""],
    createdAt: toDate(record.createdDateTime),
    updatedAt: toDate(record.userProfileLastModifiedDate),
    raw: record,
  };
}

const UNKNOWN_USER = "USER_DOES_NOT_EXIST_IN_SYSTEM";

/**
 * DocuSign answers an unknown user id with 400; the directory promises
 * `NotFoundError` for that on every provider. Status, code and body are kept.
 */
function asNotFound(error: unknown): never {
  if (error instanceof EsignApiError && error.code === UNKNOWN_USER) {
    throw new NotFoundError({
      message: error.message,
      provider: error.provider,
      status: error.status,
      code: error.code,
      requestId: error.requestId,
      body: error.body,
      headers: error.headers,
      request: error.request,
      retryCount: error.retryCount,
      cause: error,
    });
  }
  throw error;
}

type AnyDocuSignClient = DocuSignClient | DocuSignV2Client;

export const docusignAdapter = defineAdapter(docusignCapabilities, (options: DocuSignVersionedOptions): ProviderAdapter<AnyDocuSignClient> => {
  const client: AnyDocuSignClient = createDocuSignClient(options);
  // Both versions share these operations' shapes as far as the directory reads them.
  const users = client.users as DocuSignClient["users"];
  const get = async (id: string, o?: RequestOptions) =>
    docusignUser((await users.get({ userId: id }, o).catch(asNotFound)) as DocuSignRecord);

  const toNewUser = (input: NewUser) => ({
    userName: joinName(input.firstName, input.lastName) || input.email,
    email: input.email,
    ...(input.firstName ? { firstName: input.firstName } : {}),
    ...(input.lastName ? { lastName: input.lastName } : {}),
  });

  return {
    provider: "docusign",
    raw: client,
    capabilities: docusignCapabilities,
    async create(input, requestOptions) {
      const [outcome] = await this.createBatch!([input], requestOptions);
      if (outcome && "user" in outcome) return outcome.user;
      throw outcome?.error;
    },
    batchSize: 50,
    async createBatch(inputs, requestOptions): Promise<BatchOutcome[]> {
      const result = await users.create({ newUsers: inputs.map(toNewUser) }, requestOptions);
      return result.results.map((r, i) =>
        r.ok ? { user: docusignUser(r.user as DocuSignRecord, inputs[i]) } : { error: r.error },
      );
    },
    get,
    async update(id, patch, requestOptions) {
      const change: Record<string, string> = {};
      if (patch.email !== undefined) change.email = patch.email;
      if (patch.firstName !== undefined || patch.lastName !== undefined) {
        // DocuSign keeps the full name apart from its parts: keep them in step.
        const current = await get(id, requestOptions);
        const firstName = patch.firstName ?? current.firstName;
        const lastName = patch.lastName ?? current.lastName;
        if (patch.firstName !== undefined) change.firstName = patch.firstName;
        if (patch.lastName !== undefined) change.lastName = patch.lastName;
        change.userName = joinName(firstName, lastName) || current.name;
      }
      await users.update({ userId: id, ...change }, requestOptions).catch(asNotFound);
      return get(id, requestOptions);
    },
    async remove(id, requestOptions) {
      const result = await users.close({ users: [{ userId: id }] }, requestOptions);
      const failure = result.failed[0];
      if (failure) asNotFound(failure.error);
    },
    list(query: ListQuery, listOptions) {
      const filters = {
        ...(query.status ? { status: STATUS_FILTER[query.status] } : {}),
        ...(query.search ? { email_substring: query.search } : {}),
      };
      return users.list(filters, listOptions as ListOptions<number>).map((u) => docusignUser(u as DocuSignRecord));
    },
    isDuplicate: (error) => error.code === "USER_ALREADY_EXISTS_IN_ACCOUNT",
  };
});
