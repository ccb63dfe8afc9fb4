import { ValidationError } from "@esign-users/runtime";

const PROVIDER = "quicklysign";
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
// The spec's MobileNumber pattern: digits, an optional leading +, spaces, dashes, parentheses.
const MOBILE = /^\+?[0-9() -]{5,24}$/;
// The spec's PersonName: at least one character that is not white space.
const NAME = /\S/;

function refuse(field: string, what: string): never {
  throw new ValidationError(`${PROVIDER}: ${field} ${what}`, { field, provider: PROVIDER });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function checkName(value: unknown, field: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== "string" || !NAME.test(value)) refuse(field, "must be a non-empty string");
}

function checkMobile(value: unknown, field: string): void {
  if (value === undefined) return;
  if (typeof value !== "string" || !MOBILE.test(value)) {
    refuse(field, "must be a phone number: 5–24 digits, spaces, dashes or parentheses, optionally after a +");
  }
}

/** The rules `NewUser` states, checked before `POST /users` is sent. */
export function checkNewUser(input: unknown): void {
  if (!isObject(input)) refuse("user", "must be an object with name, last_name and email_address");
  const user = input.user;
  if (!isObject(user)) refuse("user", "must be an object with name, last_name and email_address");
  checkName(user.name, "user.name", true);
  checkName(user.last_name, "user.last_name", true);
  if (typeof user.email_address !== "string" || !EMAIL.test(user.email_address)) {
    refuse("user.email_address", "must be an email address");
  }
  checkMobile(user.mobile_number, "user.mobile_number");
}

/** The rules `UpdateSelfRequest` states, checked before `PUT /users/self` is sent. */
export function checkUpdate(input: unknown): void {
  if (!isObject(input)) refuse("name", "updateSelf takes an object with name, last_name or mobile_number");
  if (input.email_address !== undefined) {
    refuse("email_address", "cannot be changed: QuicklySign keeps a user's email address for good");
  }
  checkName(input.name, "name", false);
  checkName(input.last_name, "last_name", false);
  checkMobile(input.mobile_number, "mobile_number");
  if (input.name === undefined && input.last_name === undefined && input.mobile_number === undefined) {
    refuse("name", "updateSelf needs at least one of name, last_name and mobile_number");
  }
}
