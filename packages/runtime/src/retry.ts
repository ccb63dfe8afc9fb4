import { parseRetryAfter } from "./errors.js";
import { headerValue } from "./headers.js";

export const DEFAULT_MAX_RETRIES = 2;
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;
/**
 * A Retry-After beyond this is not waited for: the call fails at once with the
 * error, whose `retryAfterMs` tells the caller when to come back. Holding a call
 * for minutes helps nobody; a caller can queue the work and move on.
 */
const MAX_RETRY_AFTER_MS = 60_000;

const RETRYABLE_STATUSES = new Set([408, 409, 429]);

export function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || status >= 500;
}

/**
 * Whether a failed attempt may be repeated.
 *
 * A request that is not idempotent (creating a user) is repeated only when the
 * failure proves the server did not act on it: the connection was refused, the
 * server said 429, or it said 503 and when to come back. Anything else (a reset, a
 * timeout, a 500) may have happened after the user was created.
 *
 * A server that asks to wait longer than `MAX_RETRY_AFTER_MS` is not retried.
 */
export function mayRetryStatus(status: number, headers: Headers, idempotent: boolean): boolean {
  if (!isRetryableStatus(status)) return false;
  const asked = parseRetryAfter(headers);
  if (asked !== undefined && asked > MAX_RETRY_AFTER_MS) return false;
  if (idempotent) return true;
  return provesNotProcessed(status, headers);
}

/**
 * Whether an answer proves the server did not act on the request: 429, or 503
 * with a Retry-After (the server says when to come back). A request that is not
 * safe to repeat is repeated only after these; a bulk run knows such a create
 * did not happen.
 */
export function provesNotProcessed(status: number | undefined, headers: Headers | Record<string, string>): boolean {
  if (status === 429) return true;
  if (status !== 503) return false;
  return headerValue(headers, "retry-after") !== null;
}

/**
 * `refused`: the request never left this machine. `untrusted`: neither did it, because
 * the server's TLS certificate was not accepted, which no retry changes. `timeout`,
 * `dropped`: it may have reached the server.
 */
export type ConnectionFailure = "refused" | "untrusted" | "timeout" | "dropped";

export function mayRetryConnectionFailure(kind: ConnectionFailure, idempotent: boolean): boolean {
  if (kind === "untrusted") return false;
  return kind === "refused" || idempotent;
}

/** Codes Node gives a TLS certificate it does not accept (self-signed, expired, wrong host, unknown issuer…). */
export function isCertificateError(code: string): boolean {
  return code.includes("CERT") || code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" || code === "HOSTNAME_MISMATCH";
}

/**
 * How long to wait before retry number `retry` (0 for the first retry): the
 * server's Retry-After when it gave one from 0 to 60 s (a longer one is not
 * retried at all, see `mayRetryStatus`), else exponential backoff from
 * 0.5 s, doubling, capped at 8 s, with up to 25 % jitter taken off so that many
 * clients do not come back in step.
 */
export function retryDelayMs(retry: number, headers?: Headers, random: () => number = Math.random): number {
  const asked = headers ? parseRetryAfter(headers) : undefined;
  if (asked !== undefined && asked >= 0 && asked <= MAX_RETRY_AFTER_MS) return asked;
  const backoff = Math.min(INITIAL_DELAY_MS * 2 ** retry, MAX_DELAY_MS);
  return backoff * (1 - random() * 0.25);
}

/** The system error codes along an error's `cause` chain (fetch wraps the socket's error). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/** A sentence for a connection failure, from the codes along its cause chain. */
export function describeConnectionFailure(error: unknown, kind: ConnectionFailure, host: string): string {
  const codes = errorCodes(error);
  if (kind === "untrusted") return `the server's TLS certificate was not accepted (${codes.join(", ")})`;
  if (codes.includes("ENOTFOUND") || codes.includes("EAI_AGAIN")) return `could not resolve host ${host}`;
  if (codes.includes("EHOSTUNREACH")) return `host unreachable (${host})`;
  if (codes.includes("ECONNREFUSED")) return "connection refused";
  if (codes.includes("ECONNRESET") || codes.includes("UND_ERR_SOCKET")) return "the connection was reset";
  if (codes.length > 0) return `network error (${codes.join(", ")})`;
  return kind === "refused" ? "connection refused" : "the connection was lost before a complete response arrived";
}

/** Classifies an error thrown by fetch: did the request possibly reach the server? */
export function classifyFetchFailure(error: unknown): ConnectionFailure {
  const codes = errorCodes(error);
  if (codes.some(isCertificateError)) return "untrusted";
  // Refused or unresolvable: the request never left this machine.
  if (codes.some((c) => c === "ECONNREFUSED" || c === "ENOTFOUND" || c === "EAI_AGAIN" || c === "EHOSTUNREACH")) {
    return "refused";
  }
  return "dropped";
}
