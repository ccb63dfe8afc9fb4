import { namedServers, ValidationError } from "@esign-users/runtime";
import { buildDocuSignClient, type DocuSignApiVersion, type DocuSignClientOf, type DocuSignClientOptions } from "./client.js";
import type { DocuSignMethods } from "./generated/v2.1/client.js";
import { api } from "./generated/v2.1/operations.js";
import type { paths } from "./generated/v2.1/schema.js";
import { createDocuSignClient as createDocuSignV2Client, type DocuSignClient as DocuSignV2Client } from "./v2-client.js";

export type { DocuSignV2Client };

export * from "@esign-users/runtime/public";
export type * from "./generated/v2.1/client.js";
export { api } from "./generated/v2.1/operations.js";
export type { components, operations as DocuSignOperations, paths } from "./generated/v2.1/schema.js";
export * from "./shared.js";

/** DocuSign's developer environment, from the spec's `servers`. Production accounts each have their own base URI. */
export const DOCUSIGN_DEMO_BASE_URL = namedServers(api).demo as string;

/** The v2.1 client: every operation of the v2.1 spec as a method, plus `raw`. */
export type DocuSignClient = DocuSignClientOf<DocuSignMethods, paths>;

/** Options of the main entry: `version` picks the API (v2.1 unless told otherwise). */
export type DocuSignVersionedOptions = DocuSignClientOptions & { version?: DocuSignApiVersion };

/**
 * A client for DocuSign eSignature Users, v2.1 by default; `version: "v2"` gives
 * the v2 client. (`@esign-users/docusign/v2` exports a v2-only factory, for
 * bundles that should not carry v2.1.)
 *
 * ```ts
 * const ds = createDocuSignClient({ baseUrl: DOCUSIGN_DEMO_BASE_URL, accessToken, accountId });
 * const user = await ds.users.get({ userId });
 * for await (const u of ds.users.list({ status: "Active" })) console.log(u.email);
 * ```
 */
export function createDocuSignClient(options: DocuSignClientOptions & { version?: "v2.1" }): DocuSignClient;
export function createDocuSignClient(options: DocuSignClientOptions & { version: "v2" }): DocuSignV2Client;
export function createDocuSignClient(options: DocuSignVersionedOptions): DocuSignClient | DocuSignV2Client;
export function createDocuSignClient(options: DocuSignVersionedOptions): DocuSignClient | DocuSignV2Client {
  const { version = "v2.1", ...rest } = options ?? ({} as DocuSignVersionedOptions);
  if (version === "v2") return createDocuSignV2Client(rest);
  if (version !== "v2.1") {
    throw new ValidationError(`docusign: version must be "v2.1" or "v2", not ${JSON.stringify(version)}`, {
      field: "version",
      provider: "docusign",
    });
  }
  return buildDocuSignClient<DocuSignMethods, paths>(api, "v2.1", rest);
}
