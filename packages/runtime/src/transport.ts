import type { AuthStrategy } from "./auth.js";
import {
  AbortedError,
  ConnectionError,
  type EsignApiError,
  type RequestSummary,
  ResponseFormatError,
  TimeoutError,
} from "./errors.js";
import type { ClientLogger } from "./logger.js";
import { type RateLimiter, sleep } from "./rate-limit.js";
import type { Redactor } from "./redact.js";
import {
  type ConnectionFailure,
  classifyFetchFailure,
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
  fetch: FetchLike;
  auth: AuthStrategy;
  redactor: Redactor;
  logger: ClientLogger;
  maxRetries: number;
  timeoutMs: number;
  maxResponseBytes: number;
  limiter?: RateLimiter | undefined;
  onRequest?: OnRequestHook | undefined;
  onResponse?: OnResponseHook | undefined;
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
}

export interface ResponseMeta {
  retryCount: number;
  request: RequestSummary;
  /** The decoded JSON body, when `decodeJson` was asked for (absent for an empty body). */
  json?: unknown;
}

/** What the transport learned about a response, for the error factory. */
export const responseMeta = new WeakMap<Response, ResponseMeta>();

export type Transport = (request: Request, settings: AttemptSettings) => Promise<Response>;

class TooLarge extends Error {}

/**
 * The one path every request of every client takes: rate limit, credentials,
 * timeout, retries with backoff, logging, hooks. The response body is read here,
 * under the same timeout, so that a server that stalls mid-body is a timeout too,
 * and an oversized body is refused before it fills memory.
 */
export function createTransport(options: TransportOptions): Transport {
  const { provider, redactor, logger } = options;

  return async function send(original, settings) {
    const maxRetries = settings.maxRetries ?? options.maxRetries;
    const timeoutMs = settings.timeoutMs ?? options.timeoutMs;
    const callerSignal = original.signal;
    const url = new URL(original.url);
    const where = `${original.method} ${url.pathname}${url.search}`;
    // The body is read once and sent again from memory on each attempt.
    const body = original.body ? await original.arrayBuffer() : undefined;
    let retryCount = 0;
    let refreshed = false;
    let refreshNext = false;

    const summary = (headers: Headers): RequestSummary => ({
      method: original.method,
      url: redactor.redact(original.url),
      headers: redactor.redactHeaders(headers),
    });
    const aborted = (headers: Headers): EsignApiError =>
      new AbortedError({
        message: `${provider} ${where} was aborted by the caller`,
        provider,
        request: summary(headers),
        retryCount,
        cause: callerSignal.reason,
      });

    const wait = async (ms: number, why: string, headers: Headers): Promise<void> => {
      retryCount++;
      logger.log("info", `${provider} ${where} → ${why}; retry ${retryCount} of ${maxRetries} in ${Math.round(ms)} ms`);
      try {
        await sleep(ms, callerSignal);
      } catch {
        throw aborted(headers);
      }
    };

    for (let attempt = 1; ; attempt++) {
      const headers = new Headers(original.headers);
      if (callerSignal.aborted) throw aborted(headers);
      try {
        await options.limiter?.acquire(callerSignal);
      } catch (e) {
        if (callerSignal.aborted) throw aborted(headers);
        throw e;
      }
      await options.auth.apply(headers, { refresh: refreshNext, signal: callerSignal });
      refreshNext = false;

      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), timeoutMs);
      const signal = AbortSignal.any([callerSignal, timeout.signal]);
      let request = new Request(original.url, {
        method: original.method,
        headers,
        body: body ?? null,
        signal,
        redirect: original.redirect,
      });
      if (options.onRequest) request = (await options.onRequest(request)) ?? request;

      const started = performance.now();
      let response: Response;
      let bytes: Uint8Array;
      try {
        ({ response, bytes } = await readWhole(await options.fetch(request), options.maxResponseBytes));
      } catch (error) {
        clearTimeout(timer);
        if (callerSignal.aborted) throw aborted(headers);
        if (error instanceof TooLarge) {
          throw new ResponseFormatError({
            message: `${provider} ${where}: the response body is larger than maxResponseBytes (${options.maxResponseBytes} bytes)`,
            provider,
            request: summary(headers),
            retryCount,
          });
        }
        const kind: ConnectionFailure = timeout.signal.aborted ? "timeout" : classifyFetchFailure(error);
        const ms = Math.round(performance.now() - started);
        logger.log("debug", `${provider} ${where} → ${kind} after ${ms} ms (attempt ${attempt})`);
        if (retryCount < maxRetries && mayRetryConnectionFailure(kind, settings.idempotent)) {
          await wait(retryDelayMs(retryCount), `${kind} connection`, headers);
          continue;
        }
        const init = { provider, request: summary(headers), retryCount, cause: error };
        if (kind === "timeout") {
          throw new TimeoutError({ ...init, message: `${provider} ${where} timed out after ${timeoutMs} ms` });
        }
        const reason = kind === "refused" ? "connection refused" : describeNetworkError(error);
        throw new ConnectionError({ ...init, message: `${provider} ${where} failed: ${reason}` });
      }
      clearTimeout(timer);
      const ms = Math.round(performance.now() - started);
      logger.log("debug", `${provider} ${where} → ${response.status} in ${ms} ms (attempt ${attempt})`);

      if (response.status === 401 && options.auth.refreshOnUnauthorized && !refreshed) {
        // The credential was refused, so nothing was done: fetch a fresh one and repeat once.
        refreshed = true;
        refreshNext = true;
        retryCount++;
        logger.log("info", `${provider} ${where} → 401, refreshing the credential and retrying once`);
        continue;
      }
      if (retryCount < maxRetries && mayRetryStatus(response.status, response.headers, settings.idempotent)) {
        await wait(retryDelayMs(retryCount, response.headers), `HTTP ${response.status}`, headers);
        continue;
      }
      const meta: ResponseMeta = { retryCount, request: summary(headers) };
      if (response.ok && settings.decodeJson && bytes.byteLength > 0) {
        const text = new TextDecoder().decode(bytes);
        if (text.trim() !== "") {
          try {
            meta.json = JSON.parse(text);
          } catch (cause) {
            if (retryCount < maxRetries && settings.idempotent) {
              await wait(retryDelayMs(retryCount), "a body that is not valid JSON", headers);
              continue;
            }
            throw new ResponseFormatError({
              message: `${provider} ${where} answered ${response.status} with a body that is not valid JSON`,
              provider,
              status: response.status,
              body: redactor.redact(text.slice(0, 1000)),
              headers: redactor.redactHeaders(response.headers),
              request: meta.request,
              retryCount,
              cause,
            });
          }
        }
      }
      responseMeta.set(response, meta);
      await options.onResponse?.(response, request);
      return response;

    }
  };
}

/** Reads the body into memory (within the attempt's timeout) and returns an equivalent Response. */
async function readWhole(response: Response, limit: number): Promise<{ response: Response; bytes: Uint8Array }> {
  const declared = Number(response.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) {
    await response.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  const init = { status: response.status, statusText: response.statusText, headers: response.headers };
  if (!response.body) return { response: new Response(null, init), bytes: new Uint8Array(0) };
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  const bodiless = response.status === 204 || response.status === 205 || response.status === 304;
  return { response: new Response(bodiless ? null : bytes, init), bytes };
}

function describeNetworkError(error: unknown): string {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  if (codes.includes("ECONNRESET") || codes.includes("UND_ERR_SOCKET")) return "the connection was reset";
  if (codes.length > 0) return `network error (${codes.join(", ")})`;
  return "the connection was lost before a complete response arrived";
}
