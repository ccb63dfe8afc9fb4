export {
  type AuthContext,
  type AuthStrategy,
  assertHeaderSafe,
  assertNoLineBreaks,
  basicAuth,
  bearerAuth,
  type Credential,
  checkCredentialOption,
  headerAuth,
  noAuth,
  resolveCredential,
  singleFlight,
} from "./auth.js";
export { FORM_MEDIA_TYPE, isBinaryBody, serializeBody, toFormBody } from "./body.js";
export {
  type BulkFailure,
  BulkItemError,
  type BulkOutcome,
  type BulkPairing,
  BulkResult,
  type BulkSuccess,
  bulkResults,
  collectBulkResults,
} from "./bulk.js";
export {
  type ApiClient,
  type ApiClientConfig,
  type CallOptions,
  type CommonClientOptions,
  checkCommonOptions,
  createApiClient,
  type MethodTree,
  pointerErrorParser,
  type ProviderProfile,
} from "./client.js";
export {
  AbortedError,
  type ApiErrorInput,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  createApiError,
  describeBody,
  EsignApiError,
  type EsignApiErrorInit,
  errorClassForStatus,
  NotFoundError,
  PermissionDeniedError,
  type ProviderErrorDetails,
  type ProviderErrorParser,
  parseRetryAfter,
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
export { ClientLogger, LOG_LEVEL_ENV, type Logger, type LogLevel } from "./logger.js";
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
  splitInput,
  stringsAt,
  valueAt,
} from "./operations.js";
export {
  FIRST_PAGE,
  type FetchPage,
  type ListOptions,
  type Page,
  PageIterator,
  paginate,
  paginateOperation,
} from "./paginate.js";
export { coerceParameter, findProblem, type SchemaMap, type SchemaNode, type SchemaProblem } from "./schema.js";
export { schemeAuth, securityFromCredentials } from "./security.js";
export { namedServers, resolveBaseUrl, serverUrl } from "./servers.js";
export { type Clock, RateLimiter, type RateLimitOptions, sleep, systemClock } from "./rate-limit.js";
export { base64, REDACTED, Redactor, SENSITIVE_HEADERS } from "./redact.js";
export { MAX_REDIRECTS } from "./redirects.js";
export {
  DEFAULT_MAX_RETRIES,
  isRetryableStatus,
  MAX_RETRY_AFTER_MS,
  mayRetryStatus,
  provesNotProcessed,
  retryDelayMs,
} from "./retry.js";
export {
  type AttemptSettings,
  type FetchLike,
  MAX_TIMEOUT_MS,
  type OnRequestHook,
  type OnResponseHook,
  type OutgoingRequest,
} from "./transport.js";
export { createProviderClient, type ProviderClient, type ProviderQuirks } from "./provider.js";
