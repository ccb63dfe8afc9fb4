import { isHeadersLike } from "./headers.js";
import { Redactor } from "./redact.js";

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/** The request an error came from, credentials already removed. */
export interface RequestSummary {
  method: string;
  url: string;
  headers: Record<string, string>;
}

export interface EsignApiErrorInit {
  message: string;
  provider?: string | undefined;
  status?: number | undefined;
  code?: string | number | undefined;
  requestId?: string | undefined;
  body?: unknown;
  headers?: Record<string, string> | undefined;
  request?: RequestSummary | undefined;
  retryCount?: number | undefined;
  cause?: unknown;
}

/**
 * Base class of every error the esign-users packages throw. Catch this one to
 * catch them all; check the subclass (or `status`) to tell them apart.
 *
 * Everything on an error has already been redacted: the credentials a client was
 * given never appear in `message`, `stack`, `body`, `headers`, `util.inspect()`
 * or `JSON.stringify()`.
 */
export class EsignApiError extends Error {
  override name = "EsignApiError";
  /** HTTP status; undefined when no response was received (connection, timeout, validation). */
  readonly status: number | undefined;
  /** Which provider API answered, e.g. `docusign`. */
  readonly provider: string | undefined;
  /** The provider's own error code (DocuSign `errorCode`, Signable `code`, …). */
  readonly code: string | number | undefined;
  /** The provider's request or trace id, when it sends one; quote it to their support. */
  readonly requestId: string | undefined;
  /** The decoded error body (JSON value or text), secrets redacted. */
  readonly body: unknown;
  /** Response headers. */
  readonly headers: Record<string, string>;
  /** The request that failed, with credential headers redacted. */
  readonly request: RequestSummary | undefined;
  /** How many times the request was retried before this error was thrown. */
  readonly retryCount: number;

  constructor(init: EsignApiErrorInit) {
    super(init.message);
    this.status = init.status;
    this.provider = init.provider;
    this.code = init.code;
    this.requestId = init.requestId;
    this.body = init.body;
    this.headers = init.headers ?? {};
    this.request = init.request;
    this.retryCount = init.retryCount ?? 0;
    // The cause (a fetch TypeError, a socket error) is kept for debugging but hidden
    // from enumeration so that serialising the error cannot leak what it holds.
    if (init.cause !== undefined) {
      Object.defineProperty(this, "cause", { value: init.cause, enumerable: false, writable: true, configurable: true });
    }
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      status: this.status,
      provider: this.provider,
      code: this.code,
      requestId: this.requestId,
      retryCount: this.retryCount,
      headers: this.headers,
      request: this.request,
      body: this.body,
    };
  }

  [inspectSymbol](_depth: number, options: object, inspect: (value: unknown, options?: object) => string): string {
    const { name: _name, message: _message, ...fields } = this.toJSON();
    const cause = (this as { cause?: unknown }).cause;
    const shown = cause instanceof Error ? { ...fields, cause: `${cause.name}: ${cause.message}` } : fields;
    return `${this.stack ?? `${this.name}: ${this.message}`} ${inspect(shown, options)}`;
  }
}

/** 400: the provider refused the request as invalid. */
export class BadRequestError extends EsignApiError {
  override name = "BadRequestError";
}
/** 401: credentials missing, wrong or expired. */
export class AuthenticationError extends EsignApiError {
  override name = "AuthenticationError";
}
/** 403: the credentials may not do this. */
export class PermissionDeniedError extends EsignApiError {
  override name = "PermissionDeniedError";
}
/** 404: no such resource (or no such endpoint). */
export class NotFoundError extends EsignApiError {
  override name = "NotFoundError";
}
/** 409: the request conflicts with the resource's state. */
export class ConflictError extends EsignApiError {
  override name = "ConflictError";
}
/** 422: the request was understood but its content is invalid. */
export class UnprocessableEntityError extends EsignApiError {
  override name = "UnprocessableEntityError";
}
/** 429: too many requests; `retryAfterMs` says how long the provider asked to wait. */
export class RateLimitError extends EsignApiError {
  override name = "RateLimitError";
  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.headers);
  }
}
/** 5xx: the provider failed. */
export class ServerError extends EsignApiError {
  override name = "ServerError";
}
/** No response: the connection was refused, reset or dropped. */
export class ConnectionError extends EsignApiError {
  override name = "ConnectionError";
}
/** No response within `timeoutMs`. */
export class TimeoutError extends ConnectionError {
  override name = "TimeoutError";
}
/** The caller's `AbortSignal` fired. */
export class AbortedError extends EsignApiError {
  override name = "AbortedError";
}
/** A successful status with a body that cannot be decoded (malformed, truncated or oversized). */
export class ResponseFormatError extends EsignApiError {
  override name = "ResponseFormatError";
}

/**
 * Bad input, refused before any request was sent. `field` names what is wrong
 * (`user_email`, `newUsers[2].email`) and `rule` the rule it breaks, in the
 * spec's words (`required`, `format`, `maxLength`, `enum`, `requireAny`, …).
 */
export class ValidationError extends EsignApiError {
  override name = "ValidationError";
  readonly field: string | undefined;
  readonly rule: string | undefined;
  constructor(message: string, options: { field?: string; provider?: string; rule?: string; cause?: unknown } = {}) {
    super({ message, provider: options.provider, cause: options.cause });
    this.field = options.field;
    this.rule = options.rule;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), field: this.field, rule: this.rule };
  }
}

/** The provider has no such operation (e.g. listing users on QuicklySign). */
export class UnsupportedOperationError extends EsignApiError {
  override name = "UnsupportedOperationError";
  readonly operation: string;
  constructor(provider: string, operation: string, reason?: string) {
    super({ message: `${provider} does not support ${operation}${reason ? `: ${reason}` : ""}`, provider });
    this.operation = operation;
  }
}

const BY_STATUS: Record<number, typeof EsignApiError> = {
  400: BadRequestError,
  401: AuthenticationError,
  403: PermissionDeniedError,
  404: NotFoundError,
  409: ConflictError,
  422: UnprocessableEntityError,
  429: RateLimitError,
};

export function errorClassForStatus(status: number): typeof EsignApiError {
  return BY_STATUS[status] ?? (status >= 500 ? ServerError : EsignApiError);
}

/** What a provider's error body says, in the provider-neutral shape. */
export interface ProviderErrorDetails {
  code?: string | number | undefined;
  message?: string | undefined;
}

/** Reads a provider's error body; returns undefined when the body is not in the provider's format. */
export type ProviderErrorParser = (body: unknown) => ProviderErrorDetails | undefined;

export interface ApiErrorInput {
  provider: string;
  status: number;
  statusText?: string;
  headers: Headers;
  /** The decoded body: a JSON value, or the raw text when it was not JSON. */
  body: unknown;
  request?: RequestSummary | undefined;
  retryCount?: number;
  redactor?: Redactor;
  parseBody?: ProviderErrorParser;
  requestIdHeaders?: readonly string[];
}

const DEFAULT_REQUEST_ID_HEADERS = ["x-request-id", "x-correlation-id", "request-id"];

/**
 * The one place an HTTP failure becomes a typed error: the class from the status,
 * code and message from the provider's body, and everything redacted.
 */
export function createApiError(input: ApiErrorInput): EsignApiError {
  const redactor = input.redactor ?? new Redactor();
  const details = safeParse(input.parseBody, input.body);
  const requestId = firstHeader(input.headers, input.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS);
  const statusLine = `${input.status}${input.statusText ? ` ${input.statusText}` : ""}`;
  const what = details?.message ?? describeBody(input.body);
  const code = details?.code;
  const message = redactor.redact(
    `${input.provider} answered ${statusLine}: ${what}${code !== undefined ? ` (code ${code})` : ""}${requestId ? ` [request id ${requestId}]` : ""}`,
  );
  const ErrorClass = errorClassForStatus(input.status);
  return new ErrorClass({
    message,
    provider: input.provider,
    status: input.status,
    code,
    requestId,
    body: redactor.redactValue(input.body),
    headers: redactor.redactHeaders(input.headers),
    request: input.request,
    retryCount: input.retryCount,
  });
}

function safeParse(parse: ProviderErrorParser | undefined, body: unknown): ProviderErrorDetails | undefined {
  if (!parse || body === undefined || body === null || typeof body === "string") return undefined;
  try {
    return parse(body);
  } catch {
    return undefined;
  }
}

function firstHeader(headers: Headers, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name);
    if (value) return value;
  }
  return undefined;
}

/** A readable sentence for bodies that are not in the provider's format (HTML pages, empty bodies). */
export function describeBody(body: unknown): string {
  if (body === undefined || body === null || body === "") return "the response had an empty body";
  if (typeof body === "string") {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    if (title) return `non-JSON response (${title})`;
    const text = body
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    return `non-JSON response: ${text.length > 160 ? `${text.slice(0, 160)}…` : text}`;
  }
  return "the error body was not in the provider's format";
}

/** `retry-after-ms` or `Retry-After` (seconds or HTTP date) in milliseconds, when present and sane. */
export function parseRetryAfter(headers: Headers | Record<string, string>, now = Date.now()): number | undefined {
  const get = (name: string) =>
    isHeadersLike(headers)
      ? headers.get(name)
      : (Object.entries(headers).find(([k]) => k.toLowerCase() === name)?.[1] ?? null);
  const ms = get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const value = Number(ms);
    if (Number.isFinite(value)) return value;
  }
  const header = get("retry-after");
  if (header === null || header.trim() === "") return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : date - now;
}
