import { ValidationError } from "@esign-users/runtime";

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function invalid(message: string, field: string): ValidationError {
  return new ValidationError(`docusign: ${message}`, { field, provider: "docusign" });
}

function isBlank(value: unknown): boolean {
  return typeof value !== "string" || value.trim() === "";
}

/**
 * Ids go into the path; a blank one would address a different resource (or the
 * collection), so it is refused rather than sent.
 */
export function checkIds(input: unknown, names: readonly string[]): void {
  const source = (input ?? {}) as Record<string, unknown>;
  for (const name of names) {
    if (source[name] !== undefined && isBlank(source[name])) throw invalid(`${name} must be a non-empty string`, name);
  }
}

export function checkEmail(value: unknown, field: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (typeof value !== "string" || !EMAIL.test(value)) throw invalid(`${field} must be an email address`, field);
}

export function checkName(value: unknown, field: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (isBlank(value)) throw invalid(`${field} must be a non-empty string`, field);
}

/** A bulk request's list: an array of objects, not empty, not over DocuSign's limit. */
export function checkEntries(value: unknown, field: string, max = Infinity): Record<string, unknown>[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(`${field} must be a non-empty array`, field);
  if (value.length > max) throw invalid(`${field} takes at most ${max} entries per request`, field);
  value.forEach((entry, i) => {
    if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
      throw invalid(`${field}[${i}] must be an object`, `${field}[${i}]`);
    }
  });
  return value as Record<string, unknown>[];
}

/** DocuSign pages hold 1 to 100 users. */
export function checkPageSize(count: unknown): number {
  const n = typeof count === "string" && /^\d+$/.test(count) ? Number(count) : count;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 1 || n > 100) {
    throw invalid("count must be an integer from 1 to 100", "count");
  }
  return n;
}

export function checkCursor(cursor: unknown): number {
  if (typeof cursor !== "number" || !Number.isInteger(cursor) || cursor < 0) {
    throw invalid("cursor must be a non-negative integer (a start_position)", "cursor");
  }
  return cursor;
}
