import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  type ApiClient,
  type AuthStrategy,
  bearerAuth,
  type CommonClientOptions,
  createApiClient,
  type EsignApiError,
  headerAuth,
  type OperationTable,
  Redactor,
  type RequestSummary,
} from "../src/index.js";

/** What the scripted server saw. */
export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
  at: number;
}

export type Script = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/**
 * A real HTTP server on 127.0.0.1 whose answers a test scripts one request at a
 * time; when the script runs out, the last answer repeats.
 */
export async function scriptedServer(...script: Script[]) {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  let i = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString();
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body, at: Date.now() });
      const step = script[Math.min(i++, script.length - 1)];
      step?.(req, res, body);
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

export const json =
  (status: number, body: unknown, headers: Record<string, string> = {}): Script =>
  (_req, res) => {
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(JSON.stringify(body));
  };

export const raw =
  (status: number, body: string, headers: Record<string, string> = {}): Script =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

/** Never answers. */
export const hang: Script = () => {};

/** Reads the request, then drops the connection without answering. */
export const reset: Script = (req) => {
  req.socket.destroy();
};

/** A small API in the shape of a generated operations table. */
export const table = {
  getThing: {
    method: "get",
    path: "/things/{id}",
    tags: [],
    pathParams: ["id"],
    queryParams: ["expand"],
    headerParams: [],
    requestMediaTypes: [],
    bodyRequired: false,
    bodyFields: null,
    responseMediaTypes: ["application/json"],
    idempotent: true,
  },
  createThing: {
    method: "post",
    path: "/things",
    tags: [],
    pathParams: [],
    queryParams: [],
    headerParams: [],
    requestMediaTypes: ["application/json"],
    bodyRequired: true,
    bodyFields: ["name"],
    responseMediaTypes: ["application/json"],
    idempotent: false,
  },
  formThing: {
    method: "put",
    path: "/things/{id}",
    tags: [],
    pathParams: ["id"],
    queryParams: [],
    headerParams: ["X-Trace"],
    requestMediaTypes: ["application/x-www-form-urlencoded"],
    bodyRequired: true,
    bodyFields: ["name", "tags", "note"],
    responseMediaTypes: ["application/json"],
    idempotent: true,
  },
  removeThings: {
    method: "delete",
    path: "/things",
    tags: [],
    pathParams: [],
    queryParams: [],
    headerParams: [],
    requestMediaTypes: ["application/json"],
    bodyRequired: true,
    bodyFields: ["ids"],
    responseMediaTypes: ["application/json"],
    idempotent: true,
  },
  getPicture: {
    method: "get",
    path: "/things/{id}/picture",
    tags: [],
    pathParams: ["id"],
    queryParams: [],
    headerParams: [],
    requestMediaTypes: [],
    bodyRequired: false,
    bodyFields: null,
    responseMediaTypes: ["image/png"],
    idempotent: true,
  },
} as const satisfies OperationTable;

export const TOKEN = "canary-token-4f1c9e2b7a";

/**
 * Which HTTP path the suites exercise (see vitest.config.ts): `fetch` hands the
 * client a fetch, which is what makes it use fetch instead of Node's HTTP modules;
 * `global-fetch` runs without `process.getBuiltinModule`, so clients fall back to
 * the global fetch by themselves (as in Node.js 20.11–20.15 and browsers).
 */
export const TRANSPORT: "node" | "fetch" | "global-fetch" =
  process.env.ESIGN_TEST_TRANSPORT === "fetch" || process.env.ESIGN_TEST_TRANSPORT === "global-fetch"
    ? process.env.ESIGN_TEST_TRANSPORT
    : "node";
const viaFetch = (request: Request) => globalThis.fetch(request);

export interface TestClientOptions extends CommonClientOptions {
  token?: string | (() => Promise<string>);
  refresh?: boolean;
  /** Send the token in this header instead of `Authorization: Bearer`. */
  authHeader?: string;
  /** Authenticate with this strategy instead (it gets the client's redactor). */
  auth?: (redactor: Redactor) => AuthStrategy;
}

/** A client of the test API with a bearer token, quick backoff-free defaults left as they are. */
export function testClient(baseUrl: string, options: TestClientOptions = {}): ApiClient<never, never, typeof table> {
  const redactor = new Redactor();
  const { token = TOKEN, refresh, authHeader, auth, ...rest } = options;
  const strategy = auth
    ? auth(redactor)
    : authHeader
      ? headerAuth(authHeader, token, redactor, { refreshOnUnauthorized: refresh })
      : bearerAuth(token, redactor, { refreshOnUnauthorized: refresh });
  return createApiClient({
    ...(TRANSPORT === "fetch" ? { fetch: viaFetch } : {}),
    ...rest,
    profile: {
      provider: "testapi",
      operations: table,
      parseError: (body) => {
        const b = body as { error?: { code?: string; message?: string } };
        return b?.error ? { code: b.error.code, message: b.error.message } : undefined;
      },
      requestIdHeaders: ["x-test-request-id"],
    },
    baseUrl,
    auth: strategy,
    redactor,
  });
}

/** The error a call rejects with (the test fails if it resolves), typed for inspection. */
export async function failure(call: Promise<unknown>) {
  try {
    await call;
  } catch (e) {
    return e as EsignApiError & { retryAfterMs?: number; request: RequestSummary };
  }
  throw new Error("expected the call to fail, but it succeeded");
}
