import createClient, {
  type Client,
  createFinalURL,
  createQuerySerializer,
  defaultPathSerializer,
  removeTrailingSlash,
} from "openapi-fetch";
import type { AuthContext, AuthStrategy, Credential } from "./auth.js";
import { assertHeaderSafe, noAuth, resolveCredential } from "./auth.js";
import { FORM_MEDIA_TYPE, isBinaryBody, serializeBody } from "./body.js";
import {
  createApiError,
  type EsignApiError,
  type ProviderErrorDetails,
  type ProviderErrorParser,
  ResponseFormatError,
  ValidationError,
} from "./errors.js";
import { HeaderMap } from "./headers.js";
import { createClientLogger, type Logger, type LogLevel } from "./logger.js";
import {
  type ApiDefinition,
  type OperationDescriptor,
  type OperationTable,
  operationShape,
  type RequestOptions,
  splitInput,
  stringsAt,
  valueAt,
} from "./operations.js";
import { type ListOptions, type PageIterator, paginateOperation } from "./paginate.js";
import { type Clock, RateLimiter, type RateLimitOptions } from "./rate-limit.js";
import { escapeRegExp, Redactor } from "./redact.js";
import { DEFAULT_MAX_RETRIES } from "./retry.js";
import {
  checkAttemptLimits,
  checkLimit,
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

/** What a provider package tells the runtime about its API: the generated definition, and its quirks. */
export interface ProviderProfile<Ops extends OperationTable = OperationTable> {
  /** The spec's generated definition (`api` from the package's `src/generated/operations.ts`). */
  api: ApiDefinition<Ops>;
  /** Reads error bodies a JSON pointer cannot (the spec's `x-esign-provider.errors` is used otherwise). */
  parseError?: ProviderErrorParser;
  /**
   * For providers that can report failure in a 2xx body: returns the status and
   * details to raise, or undefined when the body is a success.
   */
  failureInBody?: (body: unknown) => (ProviderErrorDetails & { status: number }) | undefined;
}

export interface ApiClientConfig<Ops extends OperationTable> extends CommonClientOptions {
  profile: ProviderProfile<Ops>;
  baseUrl: string;
  /**
   * How the spec's security schemes are satisfied: scheme name → strategy. An
   * operation gets the first alternative of its `security` whose schemes are all
   * here; one that needs none gets no credentials. A single strategy serves every
   * operation that needs any.
   */
  auth: AuthStrategy | Readonly<Record<string, AuthStrategy>>;
  /** Credentials by name, for request-body fields the spec fills from them (`x-esign-body-credentials`). */
  credentials?: Readonly<Record<string, Credential | undefined>>;
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

/** The nested object of methods built from a table: `{ users: { get, list, listPage, … } }`. */
export type MethodTree = { [name: string]: MethodTree | ((...args: never[]) => unknown) };

export interface ApiClient<Paths extends object, Ops extends OperationTable = OperationTable> {
  readonly provider: string;
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  readonly raw: Client<Paths>;
  readonly redactor: Redactor;
  /** Calls an operation by id with a flat input; resolves to its result or throws a typed error. */
  call(operationId: keyof Ops & string, input?: Record<string, unknown>, options?: CallOptions): Promise<unknown>;
  /** Every item of a paginated operation's pages. */
  list(operationId: keyof Ops & string, query?: Record<string, unknown>, options?: ListOptions<unknown>): PageIterator<unknown, unknown>;
  /** One method per operation, placed where the table says (`users.get`), plus `…Page` for lists. */
  methods(): MethodTree;
}

/** Checks the options shared by every client; bad options fail at construction, not at the first call. */
function checkCommonOptions(options: CommonClientOptions, provider: string): void {
  checkAttemptLimits(options, provider);
  checkLimit(options.maxResponseBytes, "maxResponseBytes", provider, 1);
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

/** Reads a provider's error body with the JSON pointers the spec gives (`x-esign-provider.errors`). */
export function pointerErrorParser(errors: ApiDefinition["errors"]): ProviderErrorParser {
  const first = (body: unknown, pointers: readonly string[] | undefined) => {
    for (const pointer of pointers ?? []) {
      const value = valueAt(body, pointer);
      if (typeof value === "string" || typeof value === "number") return value;
    }
    return undefined;
  };
  return (body) => {
    const code = first(body, errors?.code);
    const message = first(body, errors?.message);
    if (code === undefined && message === undefined) return undefined;
    return { code, message: message === undefined ? undefined : String(message) };
  };
}

function isStrategy(value: unknown): value is AuthStrategy {
  return typeof (value as AuthStrategy | undefined)?.apply === "function";
}

/** Applies several strategies in turn (an operation whose requirement names several schemes). */
function allOf(strategies: AuthStrategy[]): AuthStrategy {
  if (strategies.length === 1) return strategies[0] as AuthStrategy;
  return {
    refreshOnUnauthorized: strategies.some((s) => s.refreshOnUnauthorized),
    async apply(headers: Headers, context: AuthContext) {
      for (const strategy of strategies) await strategy.apply(headers, context);
    },
  };
}

/**
 * Builds a provider client's engine: the transport with retries, timeouts and
 * auth; every operation of the generated table as a validated call; the methods;
 * and the openapi-fetch client over the same transport.
 */
export function createApiClient<Paths extends object, Ops extends OperationTable = OperationTable>(
  config: ApiClientConfig<Ops>,
): ApiClient<Paths, Ops> {
  const { profile, redactor } = config;
  const { api } = profile;
  const provider = api.provider;
  const operations = api.operations as OperationTable;
  checkCommonOptions(config, provider);
  const logger = createClientLogger(redactor, config.logger, config.logLevel);
  const rateLimit = config.rateLimit === undefined ? api.rateLimit : config.rateLimit || undefined;
  const transport: Transport = createTransport({
    provider,
    fetch: config.fetch,
    auth: noAuth,
    redactor,
    logger,
    maxRetries: config.maxRetries ?? DEFAULT_MAX_RETRIES,
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: config.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    limiter: rateLimit ? new RateLimiter(rateLimit, config.clock) : undefined,
    onRequest: config.onRequest,
    onResponse: config.onResponse,
    failureInBody: profile.failureInBody,
    clock: config.clock,
  });
  const parseError = profile.parseError ?? pointerErrorParser(api.errors);
  const credentials = config.credentials ?? {};
  for (const value of Object.values(credentials)) if (typeof value === "string") redactor.add(value);

  // ---- which credentials an operation carries, from its `security` ----
  const strategies = isStrategy(config.auth) ? undefined : (config.auth as Readonly<Record<string, AuthStrategy>>);
  const single = isStrategy(config.auth) ? config.auth : undefined;
  const authCache = new Map<OperationDescriptor["security"], AuthStrategy | ValidationError>();
  const authFor = (security: OperationDescriptor["security"]): AuthStrategy => {
    let found = authCache.get(security);
    if (!found) {
      if (security.length === 0 || security.every((alt) => alt.length === 0)) found = noAuth;
      else if (single) found = single;
      else {
        const usable = security.find((alt) => alt.every((name) => strategies?.[name] !== undefined));
        found = usable
          ? allOf(usable.map((name) => strategies?.[name] as AuthStrategy))
          : new ValidationError(
              `${provider}: this call needs credentials the client was not given (${security
                .map((alt) => alt.map((n) => api.securitySchemes[n]?.credential ?? n).join(" + "))
                .join(" or ")})`,
              { provider, field: api.securitySchemes[security[0]?.[0] ?? ""]?.credential, rule: "security" },
            );
      }
      authCache.set(security, found);
    }
    if (found instanceof ValidationError) throw found;
    return found;
  };

  // ---- raw: openapi-fetch over the same transport ----
  // Made on first use: openapi-fetch touches the `Request` global when a client is
  // created, and in Node.js that loads undici (30–50 ms) for clients that never use raw.
  let raw: Client<Paths> | undefined;
  const createRaw = (): Client<Paths> => {
    // Which operation a raw request is, for its security, idempotency and secrets.
    const routes = Object.values(operations).map((op) => ({
      op,
      method: op.method.toUpperCase(),
      pattern: new RegExp(`^${op.path.split(/\{[^}]+\}/).map(escapeRegExp).join("[^/]+")}$`),
    }));
    const defaultSecurity = api.security ?? [];
    const basePath = new URL(config.baseUrl).pathname.replace(/\/+$/, "");
    const routeOf = (method: string, url: string): OperationDescriptor | undefined => {
      const path = new URL(url).pathname.slice(basePath.length);
      return routes.find((r) => r.method === method && r.pattern.test(path))?.op;
    };
    const base = createClient<Paths>({
      baseUrl: config.baseUrl,
      headers: config.headers,
      bodySerializer: serializeBody,
      fetch: async (request) => {
        const body = request.body ? new Uint8Array(await request.arrayBuffer()) : undefined;
        const op = routeOf(request.method, request.url);
        const result = await transport(
          {
            method: request.method,
            url: request.url,
            headers: request.headers,
            body,
            signal: request.signal,
            redirect: request.redirect,
            // The spec says which operations carry credentials in their body (x-esign-body-credentials).
            bodyCarriesCredentials: op?.body?.credentials !== undefined || undefined,
          },
          {
            idempotent: op?.idempotent ?? IDEMPOTENT_METHODS.has(request.method),
            auth: authFor(op?.security ?? defaultSecurity),
            responseMayCarrySecrets: op?.response.secrets !== undefined,
          },
        );
        if (op?.response.secrets && result.status >= 200 && result.status < 300) rememberSecrets(op, decodeErrorBody(result.bytes));
        // openapi-fetch hands an error body to the caller as it is; the typed methods redact it, so raw does too.
        return toResponse(result, result.status >= 400 ? redactor.redactBody(result.bytes) : result.bytes);
      },
    });
    return withFormContentType(base, operations);
  };

  const defaults = config.defaultParams ?? {};
  // The operation methods build their requests themselves, with openapi-fetch's own
  // URL serialisation, and skip its Request/Response round trips: they run on every call.
  const baseUrl = removeTrailingSlash(config.baseUrl);
  const querySerializer = createQuerySerializer();

  const errorInput = (result: TransportResult) => ({
    provider,
    headers: result.headers,
    request: result.meta.request,
    retryCount: result.meta.retryCount,
    redactor,
    requestIdHeaders: api.requestIdHeaders,
  });
  const toError = (result: TransportResult): EsignApiError =>
    createApiError({
      ...errorInput(result),
      status: result.status,
      statusText: result.statusText,
      body: decodeErrorBody(result.bytes),
      parseBody: parseError,
    });
  const malformed = (result: TransportResult, operationId: string, what: string): EsignApiError =>
    new ResponseFormatError({
      message: `${provider} ${operationId} answered ${result.status} ${what}`,
      provider,
      status: result.status,
      headers: redactor.redactHeaders(result.headers),
      request: result.meta.request,
      retryCount: result.meta.retryCount,
    });

  /** Secrets in a success body (a new user's API key) are redacted from then on. */
  function rememberSecrets(op: OperationDescriptor, body: unknown): void {
    for (const pointer of op.response.secrets ?? []) for (const secret of stringsAt(body, pointer)) redactor.add(secret);
  }

  async function bodyCredentials(op: OperationDescriptor, input: Record<string, unknown> | undefined): Promise<Record<string, unknown>> {
    const values: Record<string, unknown> = {};
    for (const [field, name] of Object.entries(op.body?.credentials ?? {})) {
      // A field the caller filled needs no credential (nor a call to a credential function).
      if (input?.[field] !== undefined) continue;
      const credential = credentials[name];
      if (credential === undefined) continue;
      const value = await resolveCredential(credential, name, provider);
      redactor.add(value);
      values[name] = value;
    }
    return values;
  }

  function lookup(operationId: string): OperationDescriptor {
    const op = Object.hasOwn(operations, operationId) ? operations[operationId] : undefined;
    if (!op) throw new ValidationError(`${provider} has no operation ${operationId}`, { provider });
    return op;
  }

  async function call(operationId: string, input?: Record<string, unknown>, options: CallOptions = {}) {
    const op = lookup(operationId);
    // Credentials a caller passes in the body themselves are secrets like the client's own.
    for (const field of Object.keys(op.body?.credentials ?? {})) {
      const given = input?.[field];
      if (typeof given === "string") redactor.add(given);
    }
    const auth = authFor(op.security);
    const { params, body } = splitInput(operationId, op, input, defaults, provider, api.schemas, await bodyCredentials(op, input));
    // So are the fields the spec marks as secrets (an OAuth app's client_secret).
    for (const pointer of op.body?.secrets ?? []) for (const secret of stringsAt(body, pointer)) redactor.add(secret);
    if (op.body?.maxBytes !== undefined && isBinaryBody(body)) {
      const size = body instanceof Blob ? body.size : body.byteLength;
      if (size > op.body.maxBytes) {
        throw new ValidationError(`${provider} ${operationId}: the body is ${size} bytes; at most ${op.body.maxBytes} are accepted`, {
          provider,
          field: "body",
          rule: "maxBytes",
        });
      }
    }
    const headers = new HeaderMap(config.headers);
    for (const [name, value] of Object.entries(params.header)) headers.set(name, value);
    for (const [name, value] of Object.entries(options.headers ?? {})) {
      assertHeaderSafe(value, name, provider);
      headers.set(name, value);
    }
    let payload: ReturnType<typeof serializeBody>;
    if (body !== undefined) {
      headers.set("Content-Type", options.contentType ?? op.body?.media[0] ?? "application/json");
      payload = serializeBody(body, headers);
    }
    const shape = operationShape(op);
    const url = createFinalURL(op.path, {
      baseUrl,
      params: { path: params.path, query: params.query },
      querySerializer,
      pathSerializer: defaultPathSerializer,
    });

    const result = await transport(
      {
        method: shape.method,
        url,
        headers,
        body: payload as OutgoingRequest["body"],
        signal: options.signal,
        // The spec says which body fields are credentials; a caller may say so too.
        bodyCarriesCredentials: options.bodyCarriesCredentials ?? (op.body?.credentials !== undefined || undefined),
      },
      {
        idempotent: op.idempotent,
        maxRetries: options.maxRetries,
        timeoutMs: options.timeoutMs,
        decodeJson: shape.expectsJson,
        // The spec marks the answers that carry secrets (x-esign-secret).
        responseMayCarrySecrets: options.responseMayCarrySecrets ?? op.response.secrets !== undefined,
        auth,
      },
    );
    if (result.status < 200 || result.status >= 300) throw toError(result);
    // An operation that answers nothing resolves to nothing, whatever the server sent.
    if (shape.empty) return undefined;
    if (shape.binary) return result.bytes;
    if (!shape.expectsJson) return result.bytes.byteLength > 0 ? new TextDecoder().decode(result.bytes) : undefined;
    // The transport decoded (and, when safe, retried) the JSON already.
    const decoded = result.meta.json;
    rememberSecrets(op, decoded);
    if (op.bulk) {
      // The generated definition brings the bulk code along when its spec has a bulk operation.
      if (!api.features?.bulk) throw new ValidationError(`${provider} ${operationId}: a bulk operation needs api.features.bulk`, { provider });
      return api.features.bulk(op.bulk, body, decoded, parseError, provider);
    }
    if (op.response.unwrap !== undefined) {
      const part = valueAt(decoded, op.response.unwrap);
      if (part === undefined || part === null) throw malformed(result, operationId, `without ${op.response.unwrap} in its body`);
      return part;
    }
    return decoded;
  }

  function list(operationId: string, query: Record<string, unknown> = {}, options: ListOptions<unknown> = {}) {
    const op = lookup(operationId);
    if (!op.pagination) throw new ValidationError(`${provider} ${operationId} is not a paginated operation`, { provider });
    return paginateOperation(call, operationId, op, query, options, provider, (input) => {
      splitInput(operationId, op, input, defaults, provider, api.schemas, {});
    });
  }

  function methods(): MethodTree {
    const tree: MethodTree = {};
    const place = (name: string, fn: (...args: never[]) => unknown) => {
      const parts = name.split(".");
      let node = tree;
      for (const part of parts.slice(0, -1)) {
        if (!Object.hasOwn(node, part)) Object.defineProperty(node, part, { value: {}, enumerable: true });
        node = node[part] as MethodTree;
      }
      Object.defineProperty(node, parts.at(-1) as string, { value: fn, enumerable: true, writable: true, configurable: true });
    };
    for (const [id, op] of Object.entries(operations)) {
      if (op.pagination) {
        place(op.name, ((query?: Record<string, unknown>, options?: ListOptions<unknown>) => list(id, query, options)) as never);
        place(`${op.name}Page`, ((input?: Record<string, unknown>, options?: CallOptions) => call(id, input, options)) as never);
      } else {
        place(op.name, ((input?: Record<string, unknown>, options?: CallOptions) => call(id, input, options)) as never);
      }
    }
    return tree;
  }

  return {
    provider,
    get raw() {
      raw ??= createRaw();
      return raw;
    },
    redactor,
    call,
    list,
    methods,
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
      .filter((op) => op.body?.media[0] === FORM_MEDIA_TYPE)
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
