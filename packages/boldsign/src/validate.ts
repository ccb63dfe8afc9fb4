import { ValidationError } from "@esign-users/runtime";

/** The rules BoldSign applies, checked here so bad input never costs a request (or a slot of the hourly quota). */
export const USER_ROLES = ["Admin", "TeamAdmin", "Member"] as const;
export const USER_STATUS_CHANGES = ["Activate", "Deactivate"] as const;
export const MAX_METADATA_PAIRS = 50;
export const MAX_METADATA_KEY_LENGTH = 50;
export const MAX_METADATA_VALUE_LENGTH = 500;
export const MAX_PAGE_SIZE = 100;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function fail(field: string, message: string): never {
  throw new ValidationError(`boldsign: ${field} ${message}`, { field, provider: "boldsign" });
}

/** A required id: a non-empty string. */
export function checkId(value: unknown, field: string): void {
  if (typeof value !== "string" || value.trim() === "") fail(field, "must be a non-empty id");
}

/** An optional id: absent (or null, which BoldSign reads as absent) or a non-empty string. */
export function checkOptionalId(value: unknown, field: string): void {
  if (value !== undefined && value !== null) checkId(value, field);
}

export function checkEmail(value: unknown, field: string): void {
  if (typeof value !== "string" || !EMAIL.test(value)) fail(field, "must be an email address");
}

export function checkEnum(value: unknown, allowed: readonly string[], field: string): void {
  if (value !== undefined && !allowed.includes(value as string)) fail(field, `must be one of ${allowed.join(", ")}`);
}

/**
 * At most 50 pairs, keys of 1–50 characters, values of up to 500 (or null).
 * Lengths count UTF-16 code units, as BoldSign's .NET strings do.
 */
export function checkMetadata(value: unknown, field: string, nullable: boolean): void {
  if (value === undefined || (value === null && nullable)) return;
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail(field, "must be an object of key–value pairs");
  const entries = Object.entries(value);
  if (entries.length > MAX_METADATA_PAIRS) fail(field, `may hold at most ${MAX_METADATA_PAIRS} pairs (got ${entries.length})`);
  for (const [key, pair] of entries) {
    const shown = JSON.stringify(key.length > 60 ? `${key.slice(0, 60)}…` : key);
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH) {
      fail(field, `keys must be 1 to ${MAX_METADATA_KEY_LENGTH} characters (key ${shown} has ${key.length})`);
    }
    if (pair !== null && typeof pair !== "string") fail(field, `values must be strings or null (key ${shown})`);
    if (typeof pair === "string" && pair.length > MAX_METADATA_VALUE_LENGTH) {
      fail(field, `values must be at most ${MAX_METADATA_VALUE_LENGTH} characters (key ${shown} has ${pair.length})`);
    }
  }
}

/** Every item of a bulk create, naming the item's index in `field` (`body[2].emailId`). */
export function checkNewUsers(users: unknown): void {
  if (!Array.isArray(users) || users.length === 0) fail("body", "must be a non-empty array of users to invite");
  users.forEach((user: unknown, index) => {
    const at = `body[${index}]`;
    if (user === null || typeof user !== "object" || Array.isArray(user)) fail(at, "must be an object");
    const item = user as Record<string, unknown>;
    checkEmail(item.emailId, `${at}.emailId`);
    checkOptionalId(item.teamId, `${at}.teamId`);
    checkEnum(item.userRole, USER_ROLES, `${at}.userRole`);
    checkMetadata(item.metaData, `${at}.metaData`, true);
  });
}

/** An update must change something: the role, the status or both. */
export function checkUserChange(change: Record<string, unknown>): void {
  checkId(change.userId, "userId");
  checkEnum(change.userRole, USER_ROLES, "userRole");
  checkEnum(change.userStatus, USER_STATUS_CHANGES, "userStatus");
  checkOptionalId(change.toUserId, "toUserId");
  if (change.userRole === undefined && change.userStatus === undefined) {
    fail("userRole", "or userStatus is required: an update must change the role, the status or both");
  }
}

export function checkPageNumber(value: unknown, field: string): void {
  if (!Number.isInteger(value) || (value as number) < 1) fail(field, "must be a whole number from 1");
}

export function checkPageSize(value: unknown, field: string): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_PAGE_SIZE) {
    fail(field, `must be a whole number from 1 to ${MAX_PAGE_SIZE}`);
  }
}

export function checkIdList(value: unknown, field: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) fail(field, "must be an array of ids");
  value.forEach((id: unknown, index) => checkId(id, `${field}[${index}]`));
}

export function checkSearch(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== "string") fail(field, "must be a string");
}

/** The input must be an object at all before its fields can be checked. */
export function inputObject(input: unknown): Record<string, unknown> {
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    throw new ValidationError("boldsign: a method takes one object of parameters", { provider: "boldsign" });
  }
  return input as Record<string, unknown>;
}
