import { createHash } from "node:crypto";

/** The five states DocuSign knows; closing a user is the only "delete" there is. */
export type DocuSignUserStatus = "ActivationRequired" | "ActivationSent" | "Active" | "Closed" | "Disabled";

export interface StoredImage {
  bytes: Buffer;
  contentType: string;
}

/**
 * One user as the sandbox keeps it, independent of the API version: v2 and v2.1
 * render the same record differently (settings as a name/value list or as one
 * object, integer or string counts).
 */
export interface StoredUser {
  userId: string;
  membershipId: string;
  userName: string;
  email: string;
  status: DocuSignUserStatus;
  createdDateTime: string;
  userProfileLastModifiedDate: string;
  /** Writable fields of the user record exactly as last sent (names, job title, addresses, …). */
  details: Record<string, unknown>;
  /** Individual settings by name (`canSendEnvelope` → `"true"`). */
  settings: Map<string, string>;
  /** Settings that are objects: `accountManagementGranular`, the two email notification sets, `localePolicy`. */
  settingGroups: Map<string, Record<string, unknown>>;
  /** Custom settings per group key ("" for settings stored without `X-DocuSign-User-Settings-Key`). */
  customSettings: Map<string, Map<string, string>>;
  /** The ID card's own fields (display flags, company name, title, address). */
  profile: Record<string, unknown>;
  groupIds: string[];
  permissionProfileId: string | undefined;
  image: StoredImage | undefined;
}

export interface DocuSignState {
  accountId: string;
  /** In creation order, which is the order lists return. */
  users: Map<string, StoredUser>;
  /** Feeds the deterministic GUIDs. */
  sequence: number;
}

export function createDocuSignState(accountId: string): DocuSignState {
  return { accountId, users: new Map(), sequence: 0 };
}

/** A GUID that looks like DocuSign's but is the same on every run, so tests and logs are reproducible. */
export function nextGuid(state: DocuSignState, kind: string): string {
  state.sequence++;
  const hex = createHash("sha1").update(`${kind}:${state.sequence}`).digest("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** DocuSign's timestamps carry seven fractional digits: `2024-01-05T09:30:00.1230000Z`. */
export function docusignTime(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

/** What DocuSign writes where a date has never been set. */
export const NEVER = "0001-01-01T08:00:00.0000000Z";

export function findUser(state: DocuSignState, userId: unknown): StoredUser | undefined {
  return typeof userId === "string" ? state.users.get(userId) : undefined;
}

/** DocuSign refuses a second user with the same name *and* email; the same email under another name is allowed. */
export function findDuplicate(state: DocuSignState, userName: string, email: string): StoredUser | undefined {
  const name = userName.trim().toLowerCase();
  const mail = email.trim().toLowerCase();
  for (const user of state.users.values()) {
    if (user.email.toLowerCase() === mail && user.userName.trim().toLowerCase() === name) return user;
  }
  return undefined;
}

const IMAGE_SIGNATURES: { contentType: string; bytes: number[] }[] = [
  { contentType: "image/gif", bytes: [0x47, 0x49, 0x46, 0x38] },
  { contentType: "image/png", bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { contentType: "image/jpeg", bytes: [0xff, 0xd8, 0xff] },
  { contentType: "image/bmp", bytes: [0x42, 0x4d] },
];

/** The image type the bytes really are, whatever the request claimed. */
export function sniffImage(bytes: Buffer): string | undefined {
  return IMAGE_SIGNATURES.find((s) => s.bytes.every((b, i) => bytes[i] === b))?.contentType;
}

/** DocuSign's limit for profile pictures: "less than 200K". */
export const MAX_PROFILE_IMAGE_BYTES = 200 * 1024;
