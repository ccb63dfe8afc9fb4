/**
 * What every provider package and the facade re-export from the runtime: the errors
 * a caller catches, and the types a caller writes down. Everything else of the
 * runtime (the client factory, auth strategies, validation, the transport) stays
 * importable from `@esign-users/runtime` for packages built on it, but is not part of
 * a provider's public surface.
 *
 * It re-exports the main entry by the package's own name (not its files), so the
 * classes here are the very classes the runtime throws: `instanceof` holds.
 */
export {
  AbortedError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  EsignApiError,
  type EsignApiErrorInit,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  type RequestSummary,
  ResponseFormatError,
  ServerError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedOperationError,
  ValidationError,
} from "@esign-users/runtime";
export { type BulkFailure, BulkItemError, type BulkOutcome, BulkResult, type BulkSuccess } from "@esign-users/runtime";
export type { CommonClientOptions } from "@esign-users/runtime";
export type { Credential } from "@esign-users/runtime";
export type { Logger, LogLevel } from "@esign-users/runtime";
export type { RequestOptions } from "@esign-users/runtime";
export { type ListOptions, type Page, PageIterator } from "@esign-users/runtime";
export type { RateLimitOptions } from "@esign-users/runtime";
/** What every secret is replaced with in messages, bodies, headers and log lines. */
export { REDACTED } from "@esign-users/runtime";
export type { FetchLike, OnRequestHook, OnResponseHook } from "@esign-users/runtime";
