// What both entry points export unchanged: it does not depend on the API version (each entry states DOCUSIGN_DEMO_BASE_URL from its own spec, so v2 bundles carry no v2.1 data).

export {
  type DocuSignApiVersion,
  type DocuSignClientOptions,
  type ProfileImageInput,
} from "./client.js";
export { detectImageType, type ImageInput, type ProfileImageType } from "./image.js";
export { parseDocuSignFlag } from "./values.js";
