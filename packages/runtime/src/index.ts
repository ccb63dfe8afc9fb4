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
  collectBulkResults,
} from "./bulk.js";
export {
  type ApiClient,
  type ApiClientConfig,
  type CallOptions,
  type CommonClientOptions,
  checkCommonOptions,
  createApiClient,
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
  type FlatInput,
  type OperationDescriptor,
  type OperationInput,
  type OperationMethod,
  type OperationResult,
  type OperationTable,
  type RequestOptions,
  splitInput,
} from "./operations.js";
export { type FetchPage, type Page, PageIterator, paginate } from "./paginate.js";
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
