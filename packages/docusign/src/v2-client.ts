// DocuSign eSignature v2: its client factory and type names. Kept apart from the `v2`
// entry (which also re-exports the runtime) so that the main entry can import the
// factory without pulling a namespace of the whole runtime into bundles.
import { buildDocuSignClient, type DocuSignClientOf, type DocuSignClientOptions } from "./client.js";
import type { DocuSignMethods } from "./generated/v2/client.js";
import { api } from "./generated/v2/operations.js";
import type { paths } from "./generated/v2/schema.js";

export type DocuSignClient = DocuSignClientOf<DocuSignMethods, paths>;

/**
 * A client for DocuSign eSignature v2 Users. For v2.1, import the same factory
 * from `@esign-users/docusign`.
 *
 * ```ts
 * const ds = createDocuSignClient({ baseUrl: DOCUSIGN_DEMO_BASE_URL, accessToken, accountId });
 * for await (const user of ds.users.list({ status: "Active" })) console.log(user.email);
 * ```
 */
export function createDocuSignClient(options: DocuSignClientOptions): DocuSignClient {
  return buildDocuSignClient<DocuSignMethods, paths>(api, "v2", options);
}
