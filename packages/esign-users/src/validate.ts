import { assertNoLineBreaks, ValidationError } from "@esign-users/runtime";
import type { Capabilities, NewUser, ProviderName, UserPatch, UserRole } from "./types.js";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 100;
const MAX_EMAIL = 254;

function fail(provider: ProviderName, field: string, message: string): never {
  throw new ValidationError(`${provider}: ${field} ${message}`, { field, provider });
}

function checkName(provider: ProviderName, field: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "string" || value.trim() === "") fail(provider, field, "must be a non-empty string");
  if (value.length > MAX_NAME) fail(provider, field, `must be at most ${MAX_NAME} characters`);
  if (/\p{Cc}/u.test(value)) fail(provider, field, "must not contain control characters");
}

function checkEmail(provider: ProviderName, value: unknown): void {
  if (typeof value !== "string" || value.length > MAX_EMAIL || !EMAIL.test(value)) {
    fail(provider, "email", "must be an email address");
  }
}

function checkRole(provider: ProviderName, capabilities: Capabilities, role: unknown): void {
  if (role === undefined) return;
  const allowed = capabilities.create.roles;
  if (!allowed.includes(role as UserRole)) {
    fail(
      provider,
      "role",
      allowed.length > 0 ? `must be one of ${allowed.join(", ")}` : "cannot be set: this provider has no roles",
    );
  }
}

const NEW_USER_FIELDS = new Set(["email", "firstName", "lastName", "role"]);

function checkKnownFields(provider: ProviderName, input: object): void {
  for (const key of Object.keys(input)) {
    if (!NEW_USER_FIELDS.has(key)) fail(provider, key, `is not a user field (use ${[...NEW_USER_FIELDS].join(", ")})`);
  }
}

/** Checks a new user once, before any request, naming the field that is wrong. */
export function validateNewUser(provider: ProviderName, capabilities: Capabilities, input: NewUser): void {
  if (!input || typeof input !== "object") fail(provider, "input", "must be an object");
  checkKnownFields(provider, input);
  checkEmail(provider, input.email);
  checkName(provider, "firstName", input.firstName);
  checkName(provider, "lastName", input.lastName);
  checkRole(provider, capabilities, input.role);
  for (const field of capabilities.create.requires) {
    if (input[field] === undefined) fail(provider, field, `is required by ${provider}`);
  }
}

export function validatePatch(provider: ProviderName, capabilities: Capabilities, patch: UserPatch): void {
  if (!patch || typeof patch !== "object") fail(provider, "patch", "must be an object");
  checkKnownFields(provider, patch);
  const keys = Object.keys(patch).filter((k) => patch[k as keyof UserPatch] !== undefined);
  if (keys.length === 0) fail(provider, "patch", "must change at least one field");
  for (const key of keys) {
    if (!capabilities.update.fields.includes(key as keyof UserPatch)) {
      fail(provider, key, `cannot be updated on ${provider} (updatable: ${capabilities.update.fields.join(", ") || "nothing"})`);
    }
  }
  if (patch.email !== undefined) checkEmail(provider, patch.email);
  checkName(provider, "firstName", patch.firstName);
  checkName(provider, "lastName", patch.lastName);
  checkRole(provider, capabilities, patch.role);
}

export function validateId(provider: ProviderName, id: unknown): string {
  if (typeof id !== "string" && typeof id !== "number") fail(provider, "id", "must be a string");
  const text = String(id);
  if (text.trim() === "") fail(provider, "id", "must not be empty");
  // Ids travel percent-encoded in paths and queries, so any character may be in one, but not a line break.
  assertNoLineBreaks(text, "id", provider);
  return text;
}
