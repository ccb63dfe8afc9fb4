import type { AuthStrategy } from "./auth.js";
import {
  AbortedError,
  ConnectionError,
  EsignApiError,
  RedirectError,
  type RequestSummary,
  ResponseFormatError,
  TimeoutError,
  ValidationError,
} from "./errors.js";
import { type Exchange, type ExchangeResponse, type FetchBody, type FetchLike, fetchExchange, ResponseTooLarge } from "./exchange.js";
import { HeaderMap } from "./headers.js";
import type { ClientLogger } from "./logger.js";
import { nodeExchange } from "./node-http.js";
import { type Clock, type RateLimiter, startTimer, systemClock } from "./rate-limit.js";
import type { Redactor } from "./redact.js";
import { followRedirects, type Hop, type RedirectPolicy, RedirectRefused } from "./redirects.js";
import {
  type ConnectionFailure,
  classifyFetchFailure,
  describeConnectionFailure,
  mayRetryConnectionFailure,
  mayRetryStatus,
  retryDelayMs,
} from "./retry.js";

export type { FetchLike } from "./exchange.js";

/** Called with each outgoing request (after credentials are set); may return a replacement. */
export type OnRequestHook = (request: Request) => void | Request | Promise<void | Request>;
/** Called with each final response (not with the ones that are retried). */
export type OnResponseHook = (response: Response, request: Request) => void | Promise<void>;

export interface TransportOptions {
  provider: string;
  /** A fetch to use instead of the global one; it receives a Request. */
  fetch?: FetchLike | undefined;
  auth: AuthStrategy;
  redactor: Redactor;
  logger: ClientLogger;
  maxRetries: number;
  timeoutMs: number;
  maxResponseBytes: number;
  limiter?: RateLimiter | undefined;
  onRequest?: OnRequestHook | undefined;
  onResponse?: OnResponseHook | undefined;
  /** Time source of retry waits and attempt timers (the system clock unless a test passes another). */
  clock?: Clock | undefined;
  /**
   * For providers that can report failure in a 2xx body: the status that body
   * stands for, or undefined when it is a success.
   */
  failureInBody?: ((body: unknown) => { status: number } | undefined) | undefined;
}

/** Per-call overrides of the client's settings. */
export interface AttemptSettings {
  /** Whether the request may be repeated after it may have reached the server. */
  idempotent: boolean;
  maxRetries?: number | undefined;
  timeoutMs?: number | undefined;
  /**
   * Decode a successful body as JSON here, so that a malformed one (a proxy's
   * truncated page, say) is retried like any transient failure when the request
   * is safe to repeat.
   */
  decodeJson?: boolean;
  /**
   * The success body carries a secret (a created user's api_key, a new access
   * token). Such a body is registered for redaction only once it is decoded, so a
   * malformed one is never put in `ResponseFormatError.body` (nor its parser's
   * message in the cause).
   */
  responseMayCarrySecrets?: boolean | undefined;
  /** The credentials this request carries (its operation's security); the client's `auth` otherwise. */
  auth?: AuthStrategy | undefined;
}

export interface ResponseMeta {
  retryCount: number;
  /** The request that produced the response, credentials redacted (made on first use). */
  readonly request: RequestSummary;
  /** The decoded JSON body, when `decodeJson` was asked for (absent for an empty body). */
  json?: unknown;
}

/** What the transport answers: the whole response, read under the attempt's timeout. */
export interface TransportResult {
  status: number;
  statusText: string;
  headers: Headers;
  bytes: Uint8Array;
  meta: ResponseMeta;
}

/** A request as the transport sends it; the body is sent again from memory on each attempt. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Headers;
  body?: string | Uint8Array | ArrayBuffer | Blob | URLSearchParams | FormData | undefined;
  /** The caller's signal, if any. */
  signal?: AbortSignal | null | undefined;
  redirect?: RequestRedirect;
  /**
   * The body carries credentials (QuicklySign's client_secret or api_key): no
   * redirect takes it to another origin. When not said, a body containing any
   * secret the client knows counts as carrying credentials.
   */
  bodyCarriesCredentials?: boolean | undefined;
}

export type Transport = (request: OutgoingRequest, settings: AttemptSettings) => Promise<TransportResult>;

/** The longest `timeoutMs`: what a timer can wait (about 24.8 days); Node fires a longer one at once. */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/** Refuses a limit that is not a number from `min` to `max`. */
export function checkLimit(value: number | undefined, name: string, provider: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min || value > max) {
    throw new ValidationError(`${provider}: ${name} must be a number from ${min} to ${max}`, { field: name, provider, rule: "range" });
  }
}

/**
 * Refuses a `timeoutMs` no timer can keep (Node fires a longer one at once) and a
 * `maxRetries` that is not a count: a client's when it is made, a call's when it is made.
 */
export function checkAttemptLimits(limits: { timeoutMs?: number | undefined; maxRetries?: number | undefined }, provider: string): void {
  checkLimit(limits.timeoutMs, "timeoutMs", provider, 1, MAX_TIMEOUT_MS);
  checkLimit(limits.maxRetries, "maxRetries", provider, 0);
}

const BODILESS = new Set([204, 205, 304]);

/** A Response carrying what the transport read, for openapi-fetch and the onResponse hook. */
export function toResponse(result: TransportResult, bytes: Uint8Array = result.bytes): Response {
  const response = new Response(BODILESS.has(result.status) ? null : (bytes as BodyInit), {
    status: result.status,
    statusText: result.statusText,
    headers: result.headers,
  });
  return response;
}

/** How one attempt ended when it got no response to hand back. */
interface AttemptFailure {
  error: unknown;
  kind: ConnectionFailure;
  /** Nothing was sent: the attempt failed while obtaining credentials. */
  unsent: boolean;
}

type AttemptOutcome = { response: ExchangeResponse; request: Request | undefined } | { failure: AttemptFailure };

/**
 * The one path every request of every client takes: rate limit, credentials,
 * timeout, redirects, retries with backoff, logging, hooks. The response body is
 * read here, under the same timeout, so that a server that stalls mid-body is a
 * timeout too, and an oversized body is refused before it fills memory.
 *
 * It is on every call's path, so it does no work nobody asked for: one exchange
 * per attempt (Node's HTTP modules, or one `fetch`), `AbortSignal.any` only when the
 * caller brought a signal, log lines and redacted summaries only when they are used.
 */
export function createTransport(options: TransportOptions): Transport {
  // The client's own limits were checked when it was made (checkCommonOptions); a call's are checked per call.
  const { provider, redactor, logger } = options;
  const clock = options.clock ?? systemClock;
  const needsRequest = options.fetch !== undefined || options.onRequest !== undefined || options.onResponse !== undefined;
  // Node's own HTTP modules where the runtime has them and nothing asked for fetch's Request objects.
  const node = needsRequest ? undefined : nodeExchange();
  const viaFetch = fetchExchange(options.fetch, needsRequest);
  const debug = () => logger.enabled("debug");

  return async function send(outgoing, settings) {
    checkAttemptLimits(settings, provider);
    const maxRetries = settings.maxRetries ?? options.maxRetries;
    const timeoutMs = settings.timeoutMs ?? options.timeoutMs;
    const callerSignal = outgoing.signal ?? undefined;
    const where = () => {
      const url = new URL(outgoing.url);
      return `${outgoing.method} ${url.pathname}${url.search}`;
    };
    const auth = settings.auth ?? options.auth;
    // Identifies this call to auth strategies across its attempts (for shared token refreshes).
    const call = {};
    let retryCount = 0;
    let refreshed = false;
    let refreshNext = false;

    const summary = (headers: Headers): RequestSummary => ({
      method: outgoing.method,
      url: redactor.redact(outgoing.url),
      headers: redactor.redactHeaders(headers),
    });
    const aborted = (headers: Headers): EsignApiError =>
      new AbortedError({
        message: `${provider} ${where()} was aborted by the caller`,
        provider,
        request: summary(headers),
        retryCount,
        cause: redactor.redactCause(callerSignal?.reason),
      });

    const wait = async (ms: number, why: string, headers: Headers): Promise<void> => {
      retryCount++;
      if (logger.enabled("info")) {
        logger.log("info", `${provider} ${where()} → ${why}; retry ${retryCount} of ${maxRetries} in ${Math.round(ms)} ms`);
      }
      try {
        await clock.sleep(ms, callerSignal);
      } catch {
        throw aborted(headers);
      }
    };

    // The same for every attempt: the body, and which path carries it.
    const body = outgoing.body instanceof ArrayBuffer ? new Uint8Array(outgoing.body) : outgoing.body;
    const viaNode = node !== undefined && (body === undefined || typeof body === "string" || body instanceof Uint8Array);
    let bodyCredentials = outgoing.bodyCarriesCredentials;
    const policyFor = (credentialHeaders: ReadonlySet<string>): RedirectPolicy => ({
      mode: outgoing.redirect ?? "follow",
      credentialHeaders,
      // Worked out only when a redirect asks.
      get bodyCarriesCredentials() {
        bodyCredentials ??= carriesSecret(body, redactor);
        return bodyCredentials;
      },
    });

    /** One attempt: credentials, the request (and its redirects), the whole response, all under one deadline. */
    const attempt = async (headers: HeaderMap): Promise<AttemptOutcome> => {
      const deadline = new AbortController();
      const stopTimer = startTimer(clock, timeoutMs, () => deadline.abort());
      const signal = callerSignal ? AbortSignal.any([callerSignal, deadline.signal]) : deadline.signal;
      const failed = (error: unknown, unsent = false): AttemptOutcome => ({
        failure: { error, unsent, kind: deadline.signal.aborted ? "timeout" : classifyFetchFailure(error) },
      });
      try {
        // What the strategy writes is the client's own credential headers (besides the well-known ones).
        const written = headers.recordWrites();
        try {
          await auth.apply(headers, { refresh: refreshNext, signal, call });
        } catch (error) {
          if (signal.aborted) return failed(error, true);
          throw failedBeforeSending("obtaining credentials", error, headers);
        }
        refreshNext = false;
        const policy = policyFor(written);

        let request: Request | undefined;
        let first: Hop<FetchBody> = { method: outgoing.method, url: outgoing.url, headers, body: body as FetchBody | undefined };
        if (!viaNode && needsRequest) {
          try {
            request = new Request(outgoing.url, {
              method: outgoing.method,
              headers,
              body: (body ?? null) as BodyInit | null,
              signal,
              redirect: "manual",
            });
            if (options.onRequest) {
              const hooked = (await options.onRequest(request)) ?? request;
              // However the hook built it, the attempt's deadline still applies and redirects stay
              // this transport's to decide.
              request = hooked === request ? request : new Request(hooked, { redirect: "manual", signal });
            }
          } catch (error) {
            if (signal.aborted) return failed(error, true);
            throw failedBeforeSending(options.onRequest ? "the onRequest hook (or the request it built)" : "building the request", error, headers);
          }
          first = { method: request.method, url: request.url, headers: request.headers, body: first.body };
        }

        try {
          const response = viaNode
            ? await followRedirects(first as Hop<string | Uint8Array>, policy, (hop) =>
                (node as Exchange<string | Uint8Array>)(hop, signal, options.maxResponseBytes),
              )
            : await followRedirects(first, policy, (hop, index) =>
                viaFetch(hop, signal, options.maxResponseBytes, index === 0 ? request : undefined),
              );
          return { response, request };
        } catch (error) {
          return failed(error);
        }
      } finally {
        stopTimer();
      }
    };

    /** An error before anything was sent (credentials, the onRequest hook), as an EsignApiError. */
    const failedBeforeSending = (what: string, error: unknown, headers: Headers): EsignApiError =>
      error instanceof EsignApiError
        ? error
        : new EsignApiError({
            message: redactor.redact(`${provider} ${where()}: ${what} failed: ${error instanceof Error ? error.message : String(error)}`),
            provider,
            request: summary(headers),
            retryCount,
            cause: redactor.redactCause(error),
          });

    for (let attemptNumber = 1; ; attemptNumber++) {
      const headers: HeaderMap = new HeaderMap(outgoing.headers);
      if (callerSignal?.aborted) throw aborted(headers);
      if (options.limiter) {
        try {
          await options.limiter.acquire(callerSignal);
        } catch (e) {
          if (callerSignal?.aborted) throw aborted(headers);
          throw e;
        }
      }

      const started = debug() ? performance.now() : 0;
      const outcome = await attempt(headers);
      if ("failure" in outcome) {
        const { error, kind, unsent } = outcome.failure;
        if (callerSignal?.aborted) throw aborted(headers);
        if (error instanceof ResponseTooLarge) {
          throw new ResponseFormatError({
            message: `${provider} ${where()}: the response body is larger than maxResponseBytes (${options.maxResponseBytes} bytes)`,
            provider,
            request: summary(headers),
            retryCount,
          });
        }
        if (error instanceof RedirectRefused) {
          throw new RedirectError({
            message: redactor.redact(`${provider} ${where()} was not redirected: ${error.message}`),
            provider,
            request: summary(headers),
            retryCount,
            location: error.location === undefined ? undefined : redactor.redact(error.location),
          });
        }
        if (debug()) {
          const ms = Math.round(performance.now() - started);
          logger.log("debug", `${provider} ${where()} → ${kind}${unsent ? " obtaining credentials" : ""} after ${ms} ms (attempt ${attemptNumber})`);
        }
        // Nothing was sent when credentials could not be had in time: repeating is safe for any request.
        if (retryCount < maxRetries && (unsent || mayRetryConnectionFailure(kind, settings.idempotent))) {
          await wait(retryDelayMs(retryCount), `${kind} connection`, headers);
          continue;
        }
        const failure = { provider, request: summary(headers), retryCount, cause: redactor.redactCause(error) };
        if (kind === "timeout") {
          const during = unsent ? " while obtaining credentials" : "";
          throw new TimeoutError({ ...failure, message: `${provider} ${where()} timed out after ${timeoutMs} ms${during}` });
        }
        const host = hostOf(outgoing.url);
        const reason = redactor.redact(describeConnectionFailure(error, kind, host));
        throw new ConnectionError({ ...failure, message: `${provider} ${where()} failed: ${reason}` });
      }

      const { response, request } = outcome;
      const { bytes } = response;
      if (debug()) {
        const ms = Math.round(performance.now() - started);
        logger.log("debug", `${provider} ${where()} → ${response.status} in ${ms} ms (attempt ${attemptNumber})`);
      }

      // A success body is decoded here, before any decision: a provider that reports
      // failure inside a 2xx body (QuicklySign's envelope) gets that failure's status
      // for the refresh and retry decisions below, exactly like a status line.
      let status = response.status;
      let json: unknown;
      let text: string | undefined;
      let unreadable: unknown;
      if (status >= 200 && status < 300 && settings.decodeJson && bytes.byteLength > 0) {
        text = new TextDecoder().decode(bytes);
        if (text.trim() !== "") {
          try {
            json = JSON.parse(text);
          } catch (cause) {
            unreadable = cause ?? new Error("not JSON");
          }
        }
        const failure = json === undefined ? undefined : options.failureInBody?.(json);
        if (failure) status = failure.status;
      }

      if (status === 401 && auth.refreshOnUnauthorized && !refreshed) {
        // The credential was refused, so nothing was done: fetch a fresh one and repeat once.
        refreshed = true;
        refreshNext = true;
        retryCount++;
        logger.log("info", `${provider} ${where()} → 401, refreshing the credential and retrying once`);
        continue;
      }
      if (retryCount < maxRetries && mayRetryStatus(status, response.headers, settings.idempotent)) {
        await wait(retryDelayMs(retryCount, response.headers), `HTTP ${status}`, headers);
        continue;
      }
      let requestSummary: RequestSummary | undefined;
      const meta: ResponseMeta = {
        retryCount,
        get request() {
          requestSummary ??= summary(headers);
          return requestSummary;
        },
      };
      if (json !== undefined) meta.json = json;
      if (unreadable !== undefined) {
        if (retryCount < maxRetries && settings.idempotent) {
          await wait(retryDelayMs(retryCount), "a body that is not valid JSON", headers);
          continue;
        }
        throw malformed(response, text as string, unreadable, meta, settings.responseMayCarrySecrets === true);
      }
      const result: TransportResult = {
        status,
        // A status read from the body has no reason phrase of its own.
        statusText: status === response.status ? response.statusText : "",
        headers: response.headers,
        bytes,
        meta,
      };
      if (options.onResponse) await options.onResponse(toResponse(result), request as Request);
      return result;
    }

    function malformed(response: ExchangeResponse, text: string, cause: unknown, meta: ResponseMeta, secret: boolean) {
      const base = `${provider} ${where()} answered ${response.status} with a body that is not valid JSON`;
      return new ResponseFormatError({
        // The body may hold a secret not yet known to the redactor: neither it nor the parser's quote of it is kept.
        message: secret ? `${base} (not kept: this operation's answer carries secrets)` : base,
        provider,
        status: response.status,
        body: secret ? undefined : redactor.redactHead(text, MAX_BODY_IN_ERROR).text,
        headers: redactor.redactHeaders(response.headers),
        request: meta.request,
        retryCount,
        cause: secret ? undefined : redactor.redactCause(withoutQuote(cause)),
      });
    }
  };
}

/**
 * The JSON parser's error without the piece of the text it quotes (V8: `Unexpected
 * token 'x', "{"key": abc"... is not valid JSON`): the quote is cut mid-word, so a
 * secret in it could be shown in part, which no redaction recognises.
 */
function withoutQuote(cause: unknown): unknown {
  if (!(cause instanceof Error)) return cause;
  const message = cause.message.replace(/, (?:\.\.\.)?".*"(?:\.\.\.)? is not valid JSON$/s, " is not valid JSON");
  if (message === cause.message) return cause;
  const copy = new SyntaxError(message);
  copy.stack = `SyntaxError: ${message}`;
  return copy;
}

/** How much of a malformed body a `ResponseFormatError` keeps. */
const MAX_BODY_IN_ERROR = 1000;

/** Whether a body that is text contains a secret the redactor knows. */
function carriesSecret(body: unknown, redactor: Redactor): boolean {
  if (typeof body === "string") return redactor.finds(body);
  if (body instanceof Uint8Array) return redactor.finds(new TextDecoder().decode(body));
  if (body instanceof URLSearchParams) return redactor.finds(body.toString()) || redactor.finds(decodeURIComponent(body.toString()));
  return false;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return "the server";
  }
}
