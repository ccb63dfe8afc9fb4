import createClient, {
  type Client,
  createFinalURL,
  createQuerySerializer,
  defaultPathSerializer,
  removeTrailingSlash,
} from "openapi-fetch";
import type { AuthStrategy } from "./auth.js";
import { assertHeaderSafe } from "./auth.js";
import { FORM_MEDIA_TYPE, serializeBody } from "./body.js";
import { HeaderMap } from "./headers.js";
import {
  createApiError,
  type EsignApiError,
  type ProviderErrorDetails,
  type ProviderErrorParser,
  ValidationError,
} from "./errors.js";
import { createClientLogger, type Logger, type LogLevel } from "./logger.js";
import {
  type OperationDescriptor,
  type OperationMethod,
  type OperationTable,
  operationShape,
  type RequestOptions,
  splitInput,
} from "./operations.js";
import { type Clock, RateLimiter, type RateLimitOptions } from "./rate-limit.js";
import { Redactor } from "./redact.js";
import { DEFAULT_MAX_RETRIES } from "./retry.js";
import {
  createTransport,
  type FetchLike,
  type OnRequestHook,
  type OnResponseHook,
  type OutgoingRequest,
  type Transport,
  type TransportResult,
  toResponse,
} from "./transport.js";

/** Options every provider client accepts, besides its credentials. */
export interface CommonClientOptions {
  /** The API's base URL; each provider has a default (or a region/environment switch). */
  baseUrl?: string;
  /** A fetch implementation; defaults to the global `fetch`. */
  fetch?: FetchLike;
  /** Milliseconds before an attempt is abandoned with `TimeoutError`. Default 60 000. */
  timeoutMs?: number;
  /** Retries after a retryable failure. Default 2; 0 disables retries. */
  maxRetries?: number;
  /**
   * Client-side rate limit. Defaults to the provider's documented limit where it
   * has one (Signable: 5 per second); `false` turns it off.
   */
  rateLimit?: RateLimitOptions | false;
  /** Where log lines go (`console` by default). */
  logger?: Logger;
  /** Lowest level logged. Default: the `ESIGN_USERS_LOG` environment variable, else `warn`. */
  logLevel?: LogLevel;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** Largest response body accepted, in bytes. Default 20 MiB. */
  maxResponseBytes?: number;
  /** Sees (and may replace) every outgoing request. */
  onRequest?: OnRequestHook;
  /** Sees every final response. */
  onResponse?: OnResponseHook;
  /**
   * @internal The time source of retry waits, attempt timers and the rate limiter.
   * For tests, which pass a simulated clock; not part of the documented API.
   */
  clock?: Clock;
}

/** What a provider package tells the runtime about its API. */
export interface ProviderProfile<Ops extends OperationTable> {
  provider: string;
  operations: Ops;
  parseError: ProviderErrorParser;
  /** Response headers that carry the provider's request id, most specific first. */
  requestIdHeaders?: readonly string[];
  defaultRateLimit?: RateLimitOptions;
  /**
   * For providers that can report failure in a 2xx body: returns the status and
   * details to raise, or undefined when the body is a success.
   */
  failureInBody?: (body: unknown) => (ProviderErrorDetails & { status: number }) | undefined;
}

export interface ApiClientConfig<Ops extends OperationTable> extends CommonClientOptions {
  profile: ProviderProfile<Ops>;
  baseUrl: string;
  auth: AuthStrategy;
  redactor: Redactor;
  /** Values for path parameters the caller may leave out (DocuSign's `accountId`). */
  defaultParams?: Record<string, unknown>;
}

export interface CallOptions extends RequestOptions {
  /** Content type of the body when the operation accepts several (profile images). */
  contentType?: string;
  /** The body carries credentials: no redirect takes it to another origin (see `OutgoingRequest`). */
  bodyCarriesCredentials?: boolean;
  /** The success body carries a secret: a malformed one is not kept in the error (see `AttemptSettings`). */
  responseMayCarrySecrets?: boolean;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE_BYTES = 20 * 1024 * 1024;
const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);
const HTTP_METHODS = ["GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE"] as const;

export interface ApiClient<Paths extends object, OpTypes, Ops extends OperationTable> {
  readonly provider: string;
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  readonly raw: Client<Paths>;
  readonly redactor: Redactor;
  /** Calls an operation by id with a flat input; resolves to the decoded body or throws a typed error. */
  call(operationId: keyof Ops & string, input?: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  /** A typed method for one operation. */
  method<Id extends keyof Ops & keyof OpTypes & string, Defaulted extends string = never>(
    operationId: Id,
  ): OperationMethod<OpTypes[Id], Defaulted>;
}

function checkNumber(value: number | undefined, name: string, provider: string, min: number): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw new ValidationError(`${provider}: ${name} must be a number ≥ ${min}`, { field: name, provider });
  }
}

/** Checks the options shared by every client; bad options fail at construction, not at the first call. */
export function checkCommonOptions(options: CommonClientOptions, provider: string): void {
  checkNumber(options.timeoutMs, "timeoutMs", provider, 1);
  checkNumber(options.maxRetries, "maxRetries", provider, 0);
  checkNumber(options.maxResponseBytes, "maxResponseBytes", provider, 1);
  if (options.baseUrl !== undefined) {
    try {
      const url = new URL(options.baseUrl);
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("protocol");
    } catch {
      throw new ValidationError(`${provider}: baseUrl must be an absolute http(s) URL`, { field: "baseUrl", provider });
    }
  }
  for (const [name, value] of Object.entries(options.headers ?? {})) assertHeaderSafe(value, name, provider);
}

/**
 * Builds a provider client's engine: the openapi-fetch client, the transport with
 * retries, timeouts and auth, and the typed operation methods from the table.
 */
export function createApiClient<Paths extends object, OpTypes, Ops extends OperationTable>(
  config: ApiClientConfig<Ops>,
): ApiClient<Paths, OpTypes, Ops> {
  const { profile, redactor } = config;
  const provider = profile.provider;
  checkCommonOptions(config, provider);
  const logger = createClientLogger(redactor, config.logger, config.logLevel);
  const rateLimit = config.rateLimit === undefined ? profile.defaultRateLimit : config.rateLimit || undefined;
  const transport: Transport = createTransport({
    provider,
    fetch: config.fetch,
    auth: config.auth,
    redactor,
    logger,
    maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    limiter: rateLimit ? new RateLimiter(rateLimit, config.clock) : undefined,
    onRequest: config.onRequest,
    onResponse: config.onResponse,
    clock: config.clock,
  });

  // `raw` is openapi-fetch, with every request going through the same transport. It is
  // made on first use: openapi-fetch touches the `Request` global when a client is
  // created, and in Node.js that loads undici (30–50 ms) for clients that never use raw.
  let raw: Client<Paths> | undefined;
  const createRaw = (): Client<Paths> => {
    const base = createClient<Paths>({
      baseUrl: config.baseUrl,
      headers: config.headers,
      bodySerializer: serializeBody,
      fetch: async (request) => {
        const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
        const result = await transport(
          { method: request.method, url: request.url, headers: request.headers, body, signal: request.signal, redirect: request.redirect },
          { idempotent: IDEMPOTENT_METHODS.has(request.method) },
        );
        // openapi-fetch hands an error body to the caller as it is; the typed methods redact it, so raw does too.
        return toResponse(result, result.status >= 400 ? redactor.redactBody(result.bytes) : result.bytes);
      },
    });
    return withFormContentType(base, profile.operations);
  };
  const defaults = config.defaultParams ?? {};
  // The operation methods build their requests themselves, with openapi-fetch's own
  // URL serialisation, and skip its Request/Response round trips: they run on every call.
  const baseUrl = removeTrailingSlash(config.baseUrl);
  const querySerializer = createQuerySerializer();

  const toError = (result: TransportResult): EsignApiError =>
    createApiError({
      provider,
      status: result.status,
      statusText: result.statusText,
      headers: result.headers,
      body: decodeErrorBody(result.bytes),
      request: result.meta.request,
      retryCount: result.meta.retryCount,
      redactor,
      parseBody: profile.parseError,
      requestIdHeaders: profile.requestIdHeaders,
    });

  async function call(operationId: string, input?: Record<string, unknown>, options: CallOptions = {}) {
    const op = profile.operations[operationId] as OperationDescriptor | undefined;
    if (!op) throw new ValidationError(`${provider} has no operation ${operationId}`, { provider });
    const { params, body } = splitInput(operationId, op, input, defaults, provider);
    const headers = new HeaderMap(config.headers);
    for (const [name, value] of Object.entries(params.header)) headers.set(name, value);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      assertHeaderSafe(value, name, provider);
      headers.set(name, value);
    }
    let payload: ReturnType<typeof serializeBody>;
    if (body !== undefined) {
      headers.set("Content-Type", options.contentType ?? op.requestMediaTypes[0] ?? "application/json");
      payload = serializeBody(body, headers);
    }
    const { method, binary, expectsJson } = operationShape(op);
    const url = createFinalURL(op.path, {
      baseUrl,
      params: { path: params.path, query: params.query },
      querySerializer,
      pathSerializer: defaultPathSerializer,
    });

    const result = await transport(
      {
        method,
        url,
        headers,
        body: payload as OutgoingRequest["body"],
        signal: options.signal,
        bodyCarriesCredentials: options.bodyCarriesCredentials,
      },
      {
        idempotent: op.idempotent,
        maxRetries: options.maxRetries,
        timeoutMs: options.timeoutMs,
        decodeJson: expectsJson,
        responseMayCarrySecrets: options.responseMayCarrySecrets,
      },
    );
    if (result.status < 200 || result.status >= 300) throw toError(result);
    if (binary) return result.bytes;
    if (!expectsJson) return result.bytes.byteLength > 0 ? new TextDecoder().decode(result.bytes) : undefined;
    // The transport decoded (and, when safe, retried) the JSON already.
    const decoded = result.meta.json;
    if (decoded === undefined) return undefined;
    const failure = profile.failureInBody?.(decoded);
    if (failure) {
      throw createApiError({
        provider,
        status: failure.status,
        headers: result.headers,
        body: decoded,
        request: result.meta.request,
        retryCount: result.meta.retryCount,
        redactor,
        parseBody: () => failure,
        requestIdHeaders: profile.requestIdHeaders,
      });
    }
    return decoded;
  }

  return {
    provider,
    get raw() {
      raw ??= createRaw();
      return raw;
    },
    redactor,
    call,
    method(operationId) {
      if (!profile.operations[operationId]) throw new Error(`${provider} has no operation ${operationId}`);
      return ((input?: Record<string, unknown>, options?: RequestOptions) =>
        call(operationId, input, options)) as never;
    },
  };
}

/**
 * openapi-fetch does not read the operation's media type at run time; this wrapper
 * sets `Content-Type` from the generated table so raw calls to form-encoded
 * operations are encoded as forms without the caller having to know.
 */
function withFormContentType<Paths extends object>(client: Client<Paths>, operations: OperationTable): Client<Paths> {
  const formOps = new Set(
    Object.values(operations)
      .filter((op) => op.requestMediaTypes[0] === FORM_MEDIA_TYPE)
      .map((op) => `${op.method.toUpperCase()} ${op.path}`),
  );
  if (formOps.size === 0) return client;
  const wrapped: Record<string, unknown> = { ...client };
  for (const method of HTTP_METHODS) {
    const original = client[method] as (path: string, init?: Record<string, unknown>) => Promise<unknown>;
    wrapped[method] = (path: string, init: Record<string, unknown> = {}) => {
      if (!formOps.has(`${method} ${path}`)) return original(path, init);
      const headers = new Headers(init.headers as HeadersInit | undefined);
      if (!headers.has("content-type")) headers.set("Content-Type", FORM_MEDIA_TYPE);
      return original(path, { ...init, headers });
    };
  }
  return wrapped as unknown as Client<Paths>;
}

/** An error body as the error factory wants it: JSON when it parses, else the text, else nothing. */
function decodeErrorBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  const text = new TextDecoder().decode(bytes);
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
