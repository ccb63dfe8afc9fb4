// What both entry points export unchanged: it does not depend on the API version.
export {
  type CustomSettingsOptions,
  type DocuSignApiVersion,
  type DocuSignClientOptions,
  type ListOptions,
  type ProfileImageInput,
} from "./client.js";
export { detectImageType, type ImageInput, MAX_PROFILE_IMAGE_BYTES, type ProfileImageType } from "./image.js";
export {
  createDocuSignProfile,
  DOCUSIGN_DEMO_BASE_URL,
  type DocuSignErrorBody,
  parseDocuSignError,
} from "./profile.js";
export { parseDocuSignFlag } from "./values.js";
