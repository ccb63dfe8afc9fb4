import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type Fault, FaultController } from "./faults.js";
import type { Handler, HandlerContext, RecordedRequest, SandboxProvider, SandboxResponse } from "./types.js";
import { parseMultipartForm } from "./multipart.js";
import { answerFromSpec } from "./synthesize.js";
import { mediaMatches, type Problem, type RouteMatch, SpecValidator } from "./validate.js";

export interface ServeOptions<Credentials extends object> {
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Interface to bind; 127.0.0.1 unless you really mean otherwise. */
  host?: string;
  /** Credentials to accept instead of the provider's defaults (merged over them). */
  credentials?: Partial<Credentials>;
  /** Check every answer against the spec and turn a mismatch into a 500 (default true). */
  validateResponses?: boolean;
  /** Stop by itself after this long without a request. */
  idleTimeoutMs?: number;
  /** Largest request body accepted, in bytes (default 5 MiB). */
  maxBodyBytes?: number;
  /**
   * How many bytes of request bodies `requests` keeps in all (default 32 MiB); the
   * oldest entries go first. It also keeps at most 5,000 requests.
   */
  maxJournalBytes?: number;
  /**
   * Pages allowed to call the sandbox from a browser (CORS), besides those served
   * from 127.0.0.1, localhost or [::1], which always are: origins such as
   * `"http://my-dev-box:3000"`.
   */
  corsOrigins?: readonly string[];
  /** Provider-specific settings (for instance QuicklySign's token lifetime). */
  settings?: Record<string, unknown>;
}

export interface Sandbox<Credentials extends object = Record<string, string>, State = unknown> {
  provider: string;
  /** Base URL to give to a client: origin plus the API's base path. */
  url: string;
  origin: string;
  host: string;
  port: number;
  /**
   * Credentials for a client: `{ ...sb.credentials, baseUrl: sb.url }` are working
   * options for the provider's client and for `createUserDirectory({ provider, … })`.
   */
  credentials: Credentials;
  /** Other credentials the sandbox accepts, by name (BoldSign's `oauth` token, for instance). */
  otherCredentials: Record<string, Record<string, string>>;
  /** Inject 429s, 5xx, HTML pages, hangs, resets, malformed or truncated bodies. */
  faults: FaultController;
  /**
   * Requests received, oldest first, as they came on the wire: the last 5,000, and
   * no more than `maxJournalBytes` of bodies. A request refused for its credentials
   * (or to an unknown endpoint) is kept without its body.
   */
  requests: RecordedRequest[];
  /** The provider's in-memory state (its users, tokens, …). */
  readonly state: State;
  /** Forgets all users, faults and recorded requests. */
  reset(): void;
  /** Stops the server and drops open connections, hung ones included. */
  close(): Promise<void>;
}

const MAX_RECORDED = 5_000;
const DEFAULT_JOURNAL_BYTES = 32 * 1024 * 1024;
const NO_BODY = Buffer.alloc(0);

/** What a browser page may send the sandbox: the providers' credential headers and a body's type. */
const CORS_REQUEST_HEADERS = new Set(["authorization", "content-type", "x-api-key", "access_token"]);
const CORS_METHODS = "GET, POST, PUT, PATCH, DELETE";

/** Pages served from this machine: what the browser tests (and a developer's local app) use. */
function isLoopbackOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (
      (url.protocol === "http:" || url.protocol === "https:") &&
      ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname)
    );
  } catch {
    return false;
  }
}

export async function serve<State, Credentials extends object, ClientCredentials extends object = Credentials>(
  provider: SandboxProvider<State, Credentials, ClientCredentials>,
  options: ServeOptions<Credentials> = {},
): Promise<Sandbox<ClientCredentials, State>> {
  const host = options.host ?? "127.0.0.1";
  const credentials = { ...provider.defaultCredentials(), ...options.credentials } as Credentials;
  const settings = options.settings ?? {};
  const validator = new SpecValidator(provider.spec);
  const validateResponses = options.validateResponses ?? true;
  const maxBodyBytes = options.maxBodyBytes ?? 5 * 1024 * 1024;
  const faults = new FaultController();
  const requests: RecordedRequest[] = [];
  const maxJournalBytes = options.maxJournalBytes ?? DEFAULT_JOURNAL_BYTES;
  const corsOrigins = new Set(options.corsOrigins ?? []);
  let journalBytes = 0;
  let state = provider.createState(credentials, settings);
  const sockets = new Set<Socket>();
  let origin = "";
  let idleTimer: NodeJS.Timeout | undefined;

  const server: Server = createServer((req, res) => {
    armIdleTimer();
    handle(req, res).catch((error: unknown) => {
      console.error(`[sandbox:${provider.name}] internal error`, error);
      if (!res.headersSent) send(res, provider.error(500, "The sandbox failed to handle this request"), corsFor(req));
      else res.destroy();
    });
  });

  /** CORS headers for an answer to this request: only for an allowed page's origin. */
  function corsFor(req: IncomingMessage): Record<string, string> {
    const origin = req.headers.origin;
    if (!origin || !(isLoopbackOrigin(origin) || corsOrigins.has(origin))) return {};
    return { "Access-Control-Allow-Origin": origin, "Access-Control-Expose-Headers": "*", Vary: "Origin" };
  }

  /** Adds a request to the journal, dropping the oldest beyond the count and the byte budget. */
  function remember(record: RecordedRequest): void {
    requests.push(record);
    journalBytes += record.body.length;
    while (requests.length > MAX_RECORDED || (journalBytes > maxJournalBytes && requests.length > 1)) {
      journalBytes -= (requests.shift() as RecordedRequest).body.length;
    }
  }
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  function armIdleTimer(): void {
    if (!options.idleTimeoutMs) return;
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      console.error(`[sandbox:${provider.name}] no request for ${options.idleTimeoutMs} ms, stopping`);
      void close();
    }, options.idleTimeoutMs);
    idleTimer.unref();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const [rawPath = "/", rawQuery = ""] = (req.url ?? "/").split(/\?(.*)/s, 2);
    const read = await readBody(req, maxBodyBytes);
    if (read.aborted) {
      // Nothing to answer: the client is gone. One line, not a stack trace.
      console.error(`[sandbox:${provider.name}] ${req.method} ${rawPath}: the client closed the connection before sending the whole body`);
      return;
    }
    const cors = corsFor(req);
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: rawPath,
      rawQuery,
      headers: req.headers,
      body: read.body ?? NO_BODY,
      operationId: undefined,
      status: undefined,
    };
    // Kept in the journal once the credentials are checked; what was refused before that is kept without its body.
    let recorded = false;
    const keep = (withBody: boolean) => {
      if (recorded) return;
      recorded = true;
      if (!withBody) record.body = NO_BODY;
      remember(record);
    };

    const answer = (response: SandboxResponse) => {
      keep(false);
      const final = provider.finalize ? provider.finalize(response, record) : response;
      record.status = final.status;
      send(res, final, cors);
    };

    if (read.body === undefined) return answer(provider.error(413, "The request body is too large"));
    if (record.method === "OPTIONS" && req.headers["access-control-request-method"]) {
      // A browser's CORS preflight, from a page on another origin (a test page on 127.0.0.1).
      keep(false);
      record.status = 204;
      const asked = String(req.headers["access-control-request-headers"] ?? "")
        .split(",")
        .map((h) => h.trim().toLowerCase())
        .filter((h) => CORS_REQUEST_HEADERS.has(h));
      res.writeHead(
        204,
        cors["Access-Control-Allow-Origin"]
          ? {
              ...cors,
              "Access-Control-Allow-Methods": CORS_METHODS,
              "Access-Control-Allow-Headers": asked.join(", "),
              "Access-Control-Max-Age": "600",
            }
          : {},
      );
      res.end();
      return;
    }
    if (!rawPath.startsWith(provider.basePath)) {
      return answer(provider.notFound?.(record) ?? provider.error(404, "No such endpoint"));
    }
    const path = rawPath.slice(provider.basePath.length) || "/";
    const routed = validator.route(record.method, path);
    if (routed.kind === "no-path") {
      return answer(provider.notFound?.(record) ?? provider.error(404, "No such endpoint"));
    }
    if (routed.kind === "no-method") {
      return answer(
        provider.methodNotAllowed?.(record, routed.allowed) ??
          provider.error(405, `Use one of ${routed.allowed.join(", ")}`),
      );
    }
    const match = routed.match;
    record.operationId = match.operationId;

    const auth = provider.authenticate(record, match, state, credentials);
    if (!auth.ok) return answer(auth.response);
    keep(true);

    const before = faults.pick("before", match.operationId, record.method);
    if (before && before.type !== "delay") return applyFault(before, req, res, record, cors);
    if (before?.type === "delay") await new Promise((r) => setTimeout(r, before.ms));

    const query = new URLSearchParams(rawQuery);
    const { values, problems } = validator.validateParameters(match, query, req.headers);
    const decoded = decodeBody(match, record);
    problems.push(...decoded.problems);
    if (decoded.problems.length === 0 && decoded.mediaType && decoded.body !== undefined) {
      problems.push(...validator.validateBody(match, decoded.mediaType, decoded.body, decoded.coerce));
    }
    record.problems = problems;
    if (problems.length > 0) return answer(provider.invalid(problems, match));

    const handler: Handler<State> =
      (Object.hasOwn(provider.handlers, match.operationId) ? provider.handlers[match.operationId] : undefined) ??
      (() => answerFromSpec(validator, match));
    const context: HandlerContext<State> = {
      state,
      params: values,
      body: decoded.body,
      mediaType: decoded.mediaType,
      operation: match,
      request: record,
      principal: auth.principal,
      baseUrl: `${origin}${provider.basePath}`,
    };
    let response = await handler(context);
    if (validateResponses && !Buffer.isBuffer(response.body)) {
      const mismatch = validator.validateResponse(
        match,
        response.status,
        response.body === undefined ? undefined : (response.contentType ?? "application/json"),
        response.body,
      );
      if (mismatch.length > 0) {
        const detail = mismatch.map((p) => p.message).join("; ");
        console.error(`[sandbox:${provider.name}] ${match.operationId} answered outside the spec: ${detail}`);
        response = provider.error(500, `Sandbox bug: ${match.operationId} answered outside the spec: ${detail}`);
      }
    }
    const after = faults.pick("after", match.operationId, record.method);
    if (after && after.type !== "delay") return applyFault(after, req, res, record, cors);
    if (after?.type === "delay") await new Promise((r) => setTimeout(r, after.ms));
    answer(response);
  }

  function decodeBody(
    match: RouteMatch,
    record: RecordedRequest,
  ): { body: unknown; mediaType: string | undefined; problems: Problem[]; coerce: boolean } {
    const declared = validator.requestMediaTypes(match);
    const contentType = record.headers["content-type"];
    const mediaType = contentType?.split(";")[0]?.trim().toLowerCase() || undefined;
    const text = record.body.length > 0 ? record.body.toString("utf8") : "";
    if (declared.length === 0) {
      // Official SDKs send `{}` (or a JSON content type with no body) on bodiless requests.
      if (text.trim() === "" || text.trim() === "{}") return { body: undefined, mediaType, problems: [], coerce: false };
      return {
        body: undefined,
        mediaType,
        problems: [{ in: "body", message: `${match.operationId} takes no request body` }],
        coerce: false,
      };
    }
    if (record.body.length === 0) {
      const problems: Problem[] = validator.bodyRequired(match)
        ? [{ in: "body", message: `${match.operationId} requires a request body` }]
        : [];
      return { body: undefined, mediaType, problems, coerce: false };
    }
    if (!mediaType || !declared.some((d) => mediaMatches(d, mediaType))) {
      return {
        body: undefined,
        mediaType,
        problems: [
          {
            in: "content-type",
            message: `Content-Type ${mediaType ?? "(none)"} is not accepted; use ${declared.join(" or ")}`,
          },
        ],
        coerce: false,
      };
    }
    if (mediaType.includes("json")) {
      try {
        return { body: JSON.parse(text), mediaType, problems: [], coerce: false };
      } catch {
        return { body: undefined, mediaType, problems: [{ in: "body", message: "the body is not valid JSON" }], coerce: false };
      }
    }
    if (mediaType === "application/x-www-form-urlencoded") {
      const form: Record<string, string | string[]> = {};
      for (const [k, v] of new URLSearchParams(text)) {
        const prev = form[k];
        form[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
      }
      return { body: form, mediaType, problems: [], coerce: true };
    }
    if (mediaType === "multipart/form-data") {
      const parsed = parseMultipartForm(record.body, String(contentType));
      if (!parsed.ok) return { body: undefined, mediaType, problems: [{ in: "body", message: parsed.message }], coerce: false };
      return { body: parsed.fields, mediaType, problems: [], coerce: true };
    }
    return { body: record.body, mediaType, problems: [], coerce: false };
  }

  function applyFault(
    fault: Fault,
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    cors: Record<string, string>,
  ): void {
    switch (fault.type) {
      case "status": {
        const response = provider.error(fault.status, `Injected fault: HTTP ${fault.status}`);
        const headers = { ...response.headers };
        if (fault.retryAfter !== undefined) headers["Retry-After"] = String(fault.retryAfter);
        if (fault.retryAfterMs !== undefined) headers["retry-after-ms"] = String(fault.retryAfterMs);
        record.status = fault.status;
        send(res, { ...response, headers }, cors);
        return;
      }
      case "html": {
        const status = fault.status ?? 502;
        record.status = status;
        res.writeHead(status, { "Content-Type": "text/html; charset=utf-8", ...cors });
        res.end(
          `<!DOCTYPE html><html><head><title>${status} Bad Gateway</title></head><body><h1>${status} Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>`,
        );
        return;
      }
      case "empty": {
        const status = fault.status ?? 500;
        record.status = status;
        res.writeHead(status, { "Content-Length": "0", ...cors });
        res.end();
        return;
      }
      case "malformed": {
        record.status = 200;
        res.writeHead(200, { "Content-Type": "application/json", ...cors });
        res.end('{"http": 200, "users": [{"user_id": 1, "user_name": "trunc');
        return;
      }
      case "truncated": {
        record.status = 200;
        res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "4096" });
        res.write('{"http": 200, "users": [');
        setTimeout(() => req.socket.destroy(), 10);
        return;
      }
      case "oversized": {
        record.status = 200;
        res.writeHead(200, { "Content-Type": "application/json", ...cors });
        streamOversized(res, fault.bytes);
        return;
      }
      case "deep": {
        record.status = 200;
        res.writeHead(200, { "Content-Type": "application/json", ...cors });
        res.end(`${"[".repeat(fault.depth)}${"]".repeat(fault.depth)}`);
        return;
      }
      case "echo": {
        const status = fault.status ?? 400;
        const echoed = `${record.method} ${record.path}?${record.rawQuery} ${JSON.stringify(record.headers)} ${record.body.toString("utf8")}`;
        record.status = status;
        send(res, provider.error(status, `Could not process the request: ${echoed}`), cors);
        return;
      }
      case "hang":
        // Say nothing; close() destroys the socket.
        return;
      case "reset":
        // A TCP RST where Node supports it, so the client sees ECONNRESET rather than a clean close.
        if (typeof req.socket.resetAndDestroy === "function") req.socket.resetAndDestroy();
        else req.socket.destroy();
        return;
      case "delay":
        return;
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  armIdleTimer();

  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    closing ??= new Promise<void>((resolve) => {
      clearTimeout(idleTimer);
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      server.closeAllConnections();
    });
    return closing;
  }

  return {
    provider: provider.name,
    url: `${origin}${provider.basePath}`,
    origin,
    host,
    port,
    credentials: provider.clientCredentials ? provider.clientCredentials(credentials) : (credentials as unknown as ClientCredentials),
    otherCredentials: provider.otherCredentials?.(credentials) ?? {},
    faults,
    requests,
    get state() {
      return state;
    },
    reset() {
      state = provider.createState(credentials, settings);
      faults.clear();
      requests.length = 0;
      journalBytes = 0;
    },
    close,
  };
}

/** Writes `{"data":"xxx…"}` of about `bytes` bytes in 64 KiB chunks, honouring back-pressure. */
function streamOversized(res: ServerResponse, bytes: number): void {
  const chunk = Buffer.alloc(64 * 1024, "x");
  let left = Math.max(0, bytes - 12);
  res.write('{"data":"');
  const pump = () => {
    while (left > 0) {
      const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
      left -= piece.length;
      if (!res.write(piece)) {
        res.once("drain", pump);
        return;
      }
    }
    res.end('"}');
  };
  // A client that gives up closes the socket: stop writing then.
  res.on("close", () => {
    left = 0;
  });
  pump();
}

/** The body (undefined when over `limit`, which is read and dropped), or `aborted` when the client left mid-body. */
function readBody(req: IncomingMessage, limit: number): Promise<{ body?: Buffer; aborted: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(tooLarge ? { aborted: false } : { body: Buffer.concat(chunks), aborted: false }));
    // A client that closes mid-body: Node reports it as an error ("aborted") and a close without an end.
    req.on("error", () => resolve({ aborted: true }));
    req.on("close", () => {
      if (!req.complete) resolve({ aborted: true });
    });
  });
}

function send(res: ServerResponse, response: SandboxResponse, cors: Record<string, string>): void {
  const headers: Record<string, string> = { ...cors, ...response.headers };
  if (response.body === undefined || response.status === 204 || response.status === 304) {
    res.writeHead(response.status, headers);
    res.end();
    return;
  }
  const isBytes = Buffer.isBuffer(response.body) || response.body instanceof Uint8Array;
  const payload = isBytes ? Buffer.from(response.body as Uint8Array) : Buffer.from(JSON.stringify(response.body));
  headers["Content-Type"] = response.contentType ?? (isBytes ? "application/octet-stream" : "application/json; charset=utf-8");
  headers["Content-Length"] = String(payload.length);
  res.writeHead(response.status, headers);
  res.end(payload);
}
