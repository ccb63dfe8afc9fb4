import { namedServers } from "@esign-users/runtime";
import { api } from "./generated/v2/operations.js";

export * from "@esign-users/runtime/public";
export type * from "./generated/v2/client.js";
export { api } from "./generated/v2/operations.js";
export type { components, operations as DocuSignOperations, paths } from "./generated/v2/schema.js";
export * from "./shared.js";
export * from "./v2-client.js";

/** DocuSign's developer environment, from the spec's `servers`. Production accounts each have their own base URI. */
export const DOCUSIGN_DEMO_BASE_URL = namedServers(api).demo as string;
