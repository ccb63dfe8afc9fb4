import { headerValue } from "./headers.js";
import { Redactor } from "./redact.js";

const inspectSymbol = Symbol.for("nodejs.util.inspect.custom");

/**
 * The classes an error belongs to, by brand, kept on every instance. A project can
 * end up with two copies of this package (two provider packages of different
 * releases); `instanceof` then compares brands rather than class objects, so an
 * error from one copy is still an `EsignApiError` (or a `RateLimitError`) to the
 * other. `Symbol.for`, so that every copy uses the same key.
 */
const KINDS = Symbol.for("esign-users.error.kinds");
/** The brand of each class of this copy; a class without one is matched by `instanceof` in this copy only. */
const brands = new WeakMap<object, string>();

/** Gives an error class the brand that `instanceof` recognises across copies of this package. */
export function brandErrorClass(type: object, brand: string): void {
  brands.set(type, brand);
}

/** The brands of a class and of every class it extends. */
function kindsOf(type: object | null): string[] {
  const kinds: string[] = [];
  for (let current = type; current && current !== Function.prototype; current = Object.getPrototypeOf(current)) {
    const brand = brands.get(current);
    if (brand) kinds.push(brand);
  }
  return kinds;
}

const ownInstanceOf = Function.prototype[Symbol.hasInstance];

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
  static {
    brandErrorClass(this, "EsignApiError");
  }

  /** True for errors of this class or a subclass, made by this copy of the package or another one. */
  static override [Symbol.hasInstance]<T>(this: abstract new (...args: never[]) => T, value: unknown): value is T {
    if (ownInstanceOf.call(this, value)) return true;
    const kinds = (value as { [KINDS]?: unknown } | null | undefined)?.[KINDS];
    const brand = brands.get(this);
    return Array.isArray(kinds) && brand !== undefined && kinds.includes(brand);
  }

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
    Object.defineProperty(this, KINDS, { value: kindsOf(new.target), enumerable: false });
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
  static {
    brandErrorClass(this, "BadRequestError");
  }
  override name = "BadRequestError";
}
/** 401: credentials missing, wrong or expired. */
export class AuthenticationError extends EsignApiError {
  static {
    brandErrorClass(this, "AuthenticationError");
  }
  override name = "AuthenticationError";
}
/** 403: the credentials may not do this. */
export class PermissionDeniedError extends EsignApiError {
  static {
    brandErrorClass(this, "PermissionDeniedError");
  }
  override name = "PermissionDeniedError";
}
/** 404: no such resource (or no such endpoint). */
export class NotFoundError extends EsignApiError {
  static {
    brandErrorClass(this, "NotFoundError");
  }
  override name = "NotFoundError";
}
/** 409: the request conflicts with the resource's state. */
export class ConflictError extends EsignApiError {
  static {
    brandErrorClass(this, "ConflictError");
  }
  override name = "ConflictError";
}
/** 422: the request was understood but its content is invalid. */
export class UnprocessableEntityError extends EsignApiError {
  static {
    brandErrorClass(this, "UnprocessableEntityError");
  }
  override name = "UnprocessableEntityError";
}
/**
 * 429: too many requests; `retryAfterMs` says how long the provider asked to wait.
 * A wait longer than a minute is not made for you: the error comes back at once.
 */
export class RateLimitError extends EsignApiError {
  static {
    brandErrorClass(this, "RateLimitError");
  }
  override name = "RateLimitError";
  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.headers);
  }
}
/** 5xx: the provider failed. A 503 may say when to come back (`retryAfterMs`). */
export class ServerError extends EsignApiError {
  static {
    brandErrorClass(this, "ServerError");
  }
  override name = "ServerError";
  get retryAfterMs(): number | undefined {
    return parseRetryAfter(this.headers);
  }
}
/** No response: the connection was refused, reset or dropped. */
export class ConnectionError extends EsignApiError {
  static {
    brandErrorClass(this, "ConnectionError");
  }
  override name = "ConnectionError";
}
/**
 * A redirect that was not followed: it would have sent credentials to another
 * origin (or from https to http), or there were too many. `location` is where the
 * server pointed. Never retried.
 */
export class RedirectError extends ConnectionError {
  static {
    brandErrorClass(this, "RedirectError");
  }
  override name = "RedirectError";
  readonly location: string | undefined;
  constructor(init: EsignApiErrorInit & { location?: string | undefined }) {
    super(init);
    this.location = init.location;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), location: this.location };
  }
}
/** No response within `timeoutMs`. */
export class TimeoutError extends ConnectionError {
  static {
    brandErrorClass(this, "TimeoutError");
  }
  override name = "TimeoutError";
}
/** The caller's `AbortSignal` fired. */
export class AbortedError extends EsignApiError {
  static {
    brandErrorClass(this, "AbortedError");
  }
  override name = "AbortedError";
}
/** A successful status with a body that cannot be decoded (malformed, truncated or oversized). */
export class ResponseFormatError extends EsignApiError {
  static {
    brandErrorClass(this, "ResponseFormatError");
  }
  override name = "ResponseFormatError";
}

/**
 * Bad input, refused before any request was sent. `field` names what is wrong
 * (`user_email`, `newUsers[2].email`) and `rule` the rule it breaks, in the
 * spec's words (`required`, `format`, `maxLength`, `enum`, `requireAny`, …).
 */
export class ValidationError extends EsignApiError {
  static {
    brandErrorClass(this, "ValidationError");
  }
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
  static {
    brandErrorClass(this, "UnsupportedOperationError");
  }
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
  // Redacted before anything reads it: the message below is cut to a readable length,
  // and a secret cut in two would no longer be recognised.
  const body = redactor.redactValue(input.body);
  const details = safeParse(input.parseBody, body);
  const found = firstHeader(input.headers, input.requestIdHeaders ?? DEFAULT_REQUEST_ID_HEADERS);
  const requestId = found === undefined ? undefined : redactor.redact(found);
  const statusLine = `${input.status}${input.statusText ? ` ${input.statusText}` : ""}`;
  const what = details?.message ?? describeBody(body);
  const code = typeof details?.code === "string" ? redactor.redact(details.code) : details?.code;
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
    body,
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
  const get = (name: string) => headerValue(headers, name);
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
