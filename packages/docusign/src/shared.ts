// What both entry points export unchanged: it does not depend on the API version.
import { namedServers } from "@esign-users/runtime";
import { api } from "./generated/v2.1/operations.js";

export {
  type DocuSignApiVersion,
  type DocuSignClientOptions,
  type ProfileImageInput,
} from "./client.js";
export { detectImageType, type ImageInput, type ProfileImageType } from "./image.js";
export { parseDocuSignFlag } from "./values.js";

/** DocuSign's developer environment, from the spec's `servers`. Production accounts each have their own base URI. */
export const DOCUSIGN_DEMO_BASE_URL = namedServers(api).demo as string;
