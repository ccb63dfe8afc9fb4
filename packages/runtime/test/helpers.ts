import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  type ApiClient,
  type AuthStrategy,
  bearerAuth,
  type CommonClientOptions,
  type EsignApiError,
  type ApiDefinition,
  headerAuth,
  type OperationTable,
  Redactor,
  type RequestSummary,
} from "../src/index.js";
import { createApiClient } from "../src/client.js";

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
const JSON_ONLY = ["application/json"];
export const table = {
  getThing: {
    name: "things.get",
    method: "get",
    path: "/things/{id}",
    params: [
      { name: "id", in: "path", required: true, schema: { type: "string", minLength: 1 } },
      { name: "expand", in: "query", schema: { type: "string" } },
    ],
    response: { media: JSON_ONLY },
    idempotent: true,
    security: [["bearer"]],
  },
  createThing: {
    name: "things.create",
    method: "post",
    path: "/things",
    params: [],
    body: {
      media: JSON_ONLY,
      required: true,
      fields: ["name"],
      schema: { type: "object", required: ["name"], properties: { name: { type: "string", minLength: 1 } } },
    },
    response: { media: JSON_ONLY },
    idempotent: false,
    security: [["bearer"]],
  },
  formThing: {
    name: "things.form",
    method: "put",
    path: "/things/{id}",
    params: [
      { name: "id", in: "path", required: true },
      { name: "X-Trace", in: "header" },
    ],
    body: {
      media: ["application/x-www-form-urlencoded"],
      required: true,
      fields: ["name", "tags", "note"],
      schema: { type: "object", properties: { name: { type: "string" }, tags: { type: "array", items: { type: "string" } }, note: {} } },
    },
    response: { media: JSON_ONLY },
    idempotent: true,
    security: [["bearer"]],
  },
  removeThings: {
    name: "things.remove",
    method: "delete",
    path: "/things",
    params: [],
    body: { media: JSON_ONLY, required: true, fields: ["ids"] },
    response: { media: JSON_ONLY },
    idempotent: true,
    security: [["bearer"]],
  },
  getPicture: {
    name: "things.picture",
    method: "get",
    path: "/things/{id}/picture",
    params: [{ name: "id", in: "path", required: true }],
    response: { media: ["image/png"] },
    idempotent: true,
    security: [["bearer"]],
  },
} as const satisfies OperationTable;

/** The test API as the generator would describe it. */
export const testApi = {
  provider: "testapi",
  title: "TestApi",
  servers: [],
  securitySchemes: { bearer: { type: "http", scheme: "bearer" } },
  security: [["bearer"]],
  errors: { code: ["/error/code"], message: ["/error/message"] },
  requestIdHeaders: ["x-test-request-id"],
  schemas: {},
  operations: table,
} as const satisfies ApiDefinition<typeof table>;

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
export function testClient(baseUrl: string, options: TestClientOptions = {}): ApiClient<never, typeof table> {
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
    profile: { api: testApi },
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
