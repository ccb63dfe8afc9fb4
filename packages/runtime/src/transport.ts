import type { AuthStrategy } from "./auth.js";
import {
  AbortedError,
  ConnectionError,
  type EsignApiError,
  type RequestSummary,
  ResponseFormatError,
  TimeoutError,
} from "./errors.js";
import { HeaderMap } from "./headers.js";
import type { ClientLogger } from "./logger.js";
import { concatBytes, type ExchangeResponse, nodeExchange, ResponseTooLarge } from "./node-http.js";
import { type RateLimiter, sleep } from "./rate-limit.js";
import type { Redactor } from "./redact.js";
import {
  type ConnectionFailure,
  classifyFetchFailure,
  errorCodes,
  mayRetryConnectionFailure,
  mayRetryStatus,
  retryDelayMs,
} from "./retry.js";

export type FetchLike = (input: Request) => Promise<Response>;

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
   * is safe to repeat. The value lands in `responseMeta`.
   */
  decodeJson?: boolean;
  /**
   * The success body may carry a secret the client has not seen yet (a new user's
   * API key): a body that cannot be decoded is then left out of the error.
   */
  responseMayCarrySecrets?: boolean;
  /** The credentials this request carries (the operation's security); the client's `auth` otherwise. */
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
}

/** What the transport learned about a response, for the error factory (responses handed to openapi-fetch). */
export const responseMeta = new WeakMap<Response, ResponseMeta>();

export type Transport = (request: OutgoingRequest, settings: AttemptSettings) => Promise<TransportResult>;

const BODILESS = new Set([204, 205, 304]);

/** A Response carrying what the transport read, for openapi-fetch and the onResponse hook. */
export function toResponse(result: TransportResult): Response {
  const response = new Response(BODILESS.has(result.status) ? null : (result.bytes as BodyInit), {
    status: result.status,
    statusText: result.statusText,
    headers: result.headers,
  });
  responseMeta.set(response, result.meta);
  return response;
}

/**
 * The one path every request of every client takes: rate limit, credentials,
 * timeout, retries with backoff, logging, hooks. The response body is read here,
 * under the same timeout, so that a server that stalls mid-body is a timeout too,
 * and an oversized body is refused before it fills memory.
 *
 * It is on every call's path, so it does no work nobody asked for: one exchange
 * per attempt (Node's HTTP modules, or one `fetch`), `AbortSignal.any` only when the
 * caller brought a signal, log lines and redacted summaries only when they are used.
 */
export function createTransport(options: TransportOptions): Transport {
  const { provider, redactor, logger } = options;
  const fetchImpl = options.fetch;
  const needsRequest = fetchImpl !== undefined || options.onRequest !== undefined || options.onResponse !== undefined;
  // Node's own HTTP modules where the runtime has them and nothing asked for fetch's Request objects.
  const node = needsRequest ? undefined : nodeExchange();
  const debug = () => logger.enabled("debug");

  return async function send(outgoing, settings) {
    const maxRetries = settings.maxRetries ?? options.maxRetries;
    const timeoutMs = settings.timeoutMs ?? options.timeoutMs;
    const callerSignal = outgoing.signal ?? undefined;
    const auth = settings.auth ?? options.auth;
    const where = () => {
      const url = new URL(outgoing.url);
      return `${outgoing.method} ${url.pathname}${url.search}`;
    };
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
        cause: callerSignal?.reason,
      });

    const wait = async (ms: number, why: string, headers: Headers): Promise<void> => {
      retryCount++;
      if (logger.enabled("info")) {
        logger.log("info", `${provider} ${where()} → ${why}; retry ${retryCount} of ${maxRetries} in ${Math.round(ms)} ms`);
      }
      try {
        await sleep(ms, callerSignal);
      } catch {
        throw aborted(headers);
      }
    };

    // The same for every attempt: the body, and which path carries it.
    const body = outgoing.body instanceof ArrayBuffer ? new Uint8Array(outgoing.body) : outgoing.body;
    const viaNode = node !== undefined && (body === undefined || typeof body === "string" || body instanceof Uint8Array);

    for (let attempt = 1; ; attempt++) {
      const headers = new HeaderMap(outgoing.headers);
      if (callerSignal?.aborted) throw aborted(headers);
      if (options.limiter) {
        try {
          await options.limiter.acquire(callerSignal);
        } catch (e) {
          if (callerSignal?.aborted) throw aborted(headers);
          throw e;
        }
      }
      await auth.apply(headers, { refresh: refreshNext, signal: callerSignal, call });
      refreshNext = false;

      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout.signal]) : timeout.signal;
      let request: Request | undefined;
      let init: RequestInit | undefined;
      if (!viaNode) {
        init = {
          method: outgoing.method,
          headers,
          body: (body ?? null) as BodyInit | null,
          signal,
          redirect: outgoing.redirect ?? "follow",
        };
        if (needsRequest) {
          request = new Request(outgoing.url, init);
          if (options.onRequest) request = (await options.onRequest(request)) ?? request;
        }
      }

      const started = debug() ? performance.now() : 0;
      let response: ExchangeResponse;
      try {
        if (viaNode) {
          response = await node(
            { method: outgoing.method, url: outgoing.url, headers, body, redirect: outgoing.redirect ?? "follow" },
            signal,
            options.maxResponseBytes,
          );
        } else {
          const fetched = request
            ? await (fetchImpl ?? globalThis.fetch)(request)
            : await globalThis.fetch(outgoing.url, init);
          const bytes = await readBody(fetched, options.maxResponseBytes);
          response = { status: fetched.status, statusText: fetched.statusText, headers: fetched.headers, bytes };
        }
      } catch (error) {
        clearTimeout(timer);
        if (callerSignal?.aborted) throw aborted(headers);
        if (error instanceof ResponseTooLarge) {
          throw new ResponseFormatError({
            message: `${provider} ${where()}: the response body is larger than maxResponseBytes (${options.maxResponseBytes} bytes)`,
            provider,
            request: summary(headers),
            retryCount,
          });
        }
        const kind: ConnectionFailure = timeout.signal.aborted ? "timeout" : classifyFetchFailure(error);
        if (debug()) {
          const ms = Math.round(performance.now() - started);
          logger.log("debug", `${provider} ${where()} → ${kind} after ${ms} ms (attempt ${attempt})`);
        }
        if (retryCount < maxRetries && mayRetryConnectionFailure(kind, settings.idempotent)) {
          await wait(retryDelayMs(retryCount), `${kind} connection`, headers);
          continue;
        }
        const failure = { provider, request: summary(headers), retryCount, cause: error };
        if (kind === "timeout") {
          throw new TimeoutError({ ...failure, message: `${provider} ${where()} timed out after ${timeoutMs} ms` });
        }
        const reason = kind === "refused" ? "connection refused" : describeNetworkError(error, kind);
        throw new ConnectionError({ ...failure, message: `${provider} ${where()} failed: ${reason}` });
      }
      clearTimeout(timer);
      const { bytes } = response;
      if (debug()) {
        const ms = Math.round(performance.now() - started);
        logger.log("debug", `${provider} ${where()} → ${response.status} in ${ms} ms (attempt ${attempt})`);
      }

      // A success body is decoded here, before any decision: a provider that reports
      // failure inside a 2xx body (QuicklySign's envelope) gets that failure's status
      // for the refresh and retry decisions below, exactly like a status line.
      let status = response.status;
      let json: unknown;
      let malformed: unknown;
      if (status >= 200 && status < 300 && settings.decodeJson && bytes.byteLength > 0) {
        const text = new TextDecoder().decode(bytes);
        if (text.trim() !== "") {
          try {
            json = JSON.parse(text);
          } catch (cause) {
            malformed = cause;
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
      if (malformed !== undefined) {
        if (retryCount < maxRetries && settings.idempotent) {
          await wait(retryDelayMs(retryCount), "a body that is not valid JSON", headers);
          continue;
        }
        const text = new TextDecoder().decode(bytes);
        throw new ResponseFormatError({
          message: `${provider} ${where()} answered ${status} with a body that is not valid JSON`,
          provider,
          status,
          body: settings.responseMayCarrySecrets ? undefined : redactor.redact(text.slice(0, 1000)),
          headers: redactor.redactHeaders(response.headers),
          request: meta.request,
          retryCount,
          cause: malformed,
        });
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
  };
}

/** Reads the whole body, refusing one larger than `limit` before it is all in memory. */
async function readBody(response: Response, limit: number): Promise<Uint8Array> {
  const declared = response.headers.get("content-length");
  if (declared !== null) {
    const size = Number(declared);
    if (size > limit) {
      await response.body?.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    // The size is known and acceptable: let the platform read it in one go.
    if (Number.isFinite(size)) return new Uint8Array(await response.arrayBuffer());
  }
  if (!response.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new ResponseTooLarge();
    }
    chunks.push(value);
  }
  // A stream's lone chunk is already an array of its own.
  return chunks.length === 1 ? (chunks[0] as Uint8Array) : concatBytes(chunks, size);
}

function describeNetworkError(error: unknown, kind: ConnectionFailure): string {
  const codes = errorCodes(error);
  if (kind === "untrusted") return `the server's TLS certificate was not accepted (${codes.join(", ")})`;
  if (codes.includes("ECONNRESET") || codes.includes("UND_ERR_SOCKET")) return "the connection was reset";
  if (codes.length > 0) return `network error (${codes.join(", ")})`;
  return "the connection was lost before a complete response arrived";
}
