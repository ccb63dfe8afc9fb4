// The runtime's main entry: what a provider package (generated or hand-written) is
// built from, and what its generated code refers to. Callers of a provider client see
// only the public part (`@esign-users/runtime/public`: errors, results, option types),
// which every provider package re-exports. Each name is documented in the README.

// ---- errors: the public part ----
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
  type ProviderErrorDetails,
  type ProviderErrorParser,
  RateLimitError,
  RedirectError,
  type RequestSummary,
  ResponseFormatError,
  ServerError,
  TimeoutError,
  UnprocessableEntityError,
  UnsupportedOperationError,
  ValidationError,
} from "./errors.js";
export { type BulkFailure, BulkItemError, type BulkOutcome, BulkResult, type BulkSuccess, bulkResults } from "./bulk.js";
export { type ListOptions, type Page, PageIterator, paginate } from "./paginate.js";
export { REDACTED, Redactor } from "./redact.js";

// ---- building a client from a generated definition ----
export { createProviderClient, type ProviderClient, type ProviderQuirks } from "./provider.js";
export {
  type ApiClient,
  type ApiClientConfig,
  type CallOptions,
  type CommonClientOptions,
  type MethodTree,
  pointerErrorParser,
  type ProviderProfile,
} from "./client.js";
export {
  type ApiDefinition,
  type BodyDescriptor,
  type BulkDescriptor,
  type FlatInput,
  type Method,
  type OperationDescriptor,
  type OperationInput,
  type OperationMethod,
  type OperationResult,
  type OperationTable,
  type PaginationDescriptor,
  type ParamDescriptor,
  type Renamed,
  type RequestOptions,
  type RequireAny,
  type ResponseDescriptor,
  type SecuritySchemeDescriptor,
  type ServerDescriptor,
} from "./operations.js";
export { findProblem, type SchemaMap, type SchemaNode, type SchemaProblem } from "./schema.js";
export { namedServers, resolveBaseUrl } from "./servers.js";

// ---- credentials ----
export {
  type AuthContext,
  type AuthStrategy,
  assertNoLineBreaks,
  basicAuth,
  bearerAuth,
  type Credential,
  checkCredentialOption,
  headerAuth,
  resolveCredential,
  singleFlight,
} from "./auth.js";

// ---- behaviour a caller may ask about ----
export { isRetryableStatus, provesNotProcessed } from "./retry.js";
export type { Logger, LogLevel } from "./logger.js";
export type { Clock, RateLimitOptions } from "./rate-limit.js";
export type { FetchLike, OnRequestHook, OnResponseHook } from "./transport.js";
