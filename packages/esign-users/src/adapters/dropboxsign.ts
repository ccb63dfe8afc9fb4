import { createDropboxSignClient, type DropboxSignClient, type DropboxSignClientOptions } from "@esign-users/dropboxsign";
import { UnsupportedOperationError } from "@esign-users/runtime";
import { defineAdapter, type ProviderAdapter } from "../adapter.js";
import type { Capabilities } from "../types.js";

/**
 * What DropboxSign can do, in the facade's terms. Written by `npm run new-provider`
 * with nothing supported: set each operation as its mapping below is written, then
 * register the adapter in ../providers.ts and add "@esign-users/dropboxsign" to the
 * facade's dependencies; every shared facade suite then runs on it.
 */
export const dropboxsignCapabilities = {
  create: { supported: false, meaning: "not mapped yet", fields: [], roles: [], requires: [], sendsInvitation: false },
  get: { supported: false, meaning: "not mapped yet", scope: "any user" },
  list: { supported: false, meaning: "not mapped yet", search: "directory", statusFilter: "directory" },
  update: { supported: false, meaning: "not mapped yet", fields: [] },
  remove: { supported: false, meaning: "not mapped yet", effect: "none" },
  createMany: { supported: false, meaning: "not mapped yet", nativeBulk: false },
} as const satisfies Capabilities;

export const dropboxsignAdapter = defineAdapter(dropboxsignCapabilities, (options: DropboxSignClientOptions): ProviderAdapter<DropboxSignClient> => {
  const client = createDropboxSignClient(options);
  const notYet = (operation: string) => new UnsupportedOperationError("dropboxsign", operation, "the adapter does not map it yet");
  return {
    provider: "dropboxsign" as never,
    raw: client,
    capabilities: dropboxsignCapabilities,
    async create() {
      throw notYet("create");
    },
    async get() {
      throw notYet("get");
    },
    async update() {
      throw notYet("update");
    },
    isDuplicate: () => false,
  };
});
