import type { ProviderErrorDetails, ProviderErrorParser } from "@esign-users/runtime";
import type { components } from "./generated/schema.js";

export type QuicklySignErrorBody = components["schemas"]["Error"];

interface StatusPart {
  status_code?: unknown;
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

function statusPart(body: unknown): StatusPart | undefined {
  const status = (body as { status?: unknown } | null | undefined)?.status;
  return status && typeof status === "object" && !Array.isArray(status) ? (status as StatusPart) : undefined;
}

function errorList(status: StatusPart): { code?: unknown; message?: unknown }[] {
  return Array.isArray(status.errors) ? status.errors.filter((e) => e && typeof e === "object") : [];
}

/** The HTTP status a body reports: `status_code`, or an older body's numeric `code`. */
function reportedStatus(status: StatusPart): number | undefined {
  if (typeof status.status_code === "number") return status.status_code;
  if (typeof status.code === "number" && status.code >= 100 && status.code <= 599) return status.code;
  return undefined;
}

/**
 * QuicklySign's quirk: two error shapes, which no JSON pointer can read. Reads both: `{status: {status_code, errors: [{code, message}]}}` and
 * the older `{status: {code, message}}`. The code is the first error's, and every
 * error's message is kept, since a refused request often breaks several rules.
 */
export const parseQuicklySignError: ProviderErrorParser = (body) => {
  const status = statusPart(body);
  if (!status) return undefined;
  const errors = errorList(status);
  const first = errors[0];
  const code = first?.code ?? status.code;
  const messages = errors.map((e) => e.message).filter((m): m is string => typeof m === "string");
  const message = messages.length > 0 ? messages.join("; ") : typeof status.message === "string" ? status.message : undefined;
  if (code === undefined && message === undefined) return undefined;
  return { code: typeof code === "string" || typeof code === "number" ? code : undefined, message };
};

/**
 * With `always_use_http_status_code_200` the status line is always 200 and only
 * the body tells failure. Returns the failure to raise, or undefined for a success.
 */
export function quicklysignFailureInBody(body: unknown): (ProviderErrorDetails & { status: number }) | undefined {
  const status = statusPart(body);
  if (!status) return undefined;
  const reported = reportedStatus(status);
  if (reported !== undefined) {
    return reported >= 400 ? { ...parseQuicklySignError(body), status: reported } : undefined;
  }
  const data = (body as { data?: unknown }).data;
  const failed = errorList(status).length > 0 || (typeof status.code === "string" && (data === undefined || data === null));
  // A failure that names no status is reported as the most general refusal.
  return failed ? { ...parseQuicklySignError(body), status: 400 } : undefined;
}
