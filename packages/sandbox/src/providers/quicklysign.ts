import { randomBytes } from "node:crypto";
import spec from "../generated/quicklysign.js";
import type { AuthOutcome, RecordedRequest, SandboxProvider, SandboxResponse } from "../types.js";
import type { Problem } from "../validate.js";

/** The credentials the QuicklySign sandbox accepts. */
export interface QuicklySignCredentials {
  /** The application's client id, sent in the body of `POST /users` and `POST /access_tokens`. */
  clientId: string;
  /** The application's client secret, sent beside the client id. */
  clientSecret: string;
  /** The api_key of the user every sandbox starts with (`owner@example.com`, key `user_000000`). */
  ownerApiKey: string;
}

/** What `sb.credentials` holds: the application's credentials and the owner's api_key, so a client reaches a user at once. */
export interface QuicklySignClientCredentials {
  clientId: string;
  clientSecret: string;
  apiKey: string;
}

export interface QuicklySignUser {
  key: string;
  /** The user's long-lived secret; change it to simulate a revoked key. */
  apiKey: string;
  name: string;
  lastName: string;
  email: string;
  mobile: string | null;
  /** Epoch milliseconds of the last change. */
  updated: number;
}

export interface QuicklySignToken {
  userKey: string;
  /** Epoch milliseconds; set it in the past to expire the token. */
  expiresAt: number;
}

export interface QuicklySignState {
  /** Users by key. */
  users: Map<string, QuicklySignUser>;
  /** Issued access tokens by value. */
  tokens: Map<string, QuicklySignToken>;
  /** Lifetime of newly issued tokens (`settings.tokenLifetimeMs`, default one hour). */
  tokenLifetimeMs: number;
  nextUser: number;
}

export const QUICKLYSIGN_DEFAULT_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const DEFAULT_CODES: Record<number, string> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "request_too_large",
  429: "rate_limited",
};

/** QuicklySign's failure envelope: `{status: {status_code, errors: [{code, message}]}}`. */
function error(status: number, message: string, code?: string | number): SandboxResponse {
  const reason = code === undefined ? (DEFAULT_CODES[status] ?? (status >= 500 ? "server_error" : "error")) : String(code);
  return { status, body: { status: { status_code: status, errors: [{ code: reason, message }] } } };
}

function failure(status: number, errors: { code: string; message: string }[]): SandboxResponse {
  return { status, body: { status: { status_code: status, errors } } };
}

function success(data: unknown): SandboxResponse {
  return { status: 200, body: { status: { status_code: 200 }, data } };
}

/** `user.email_address` from a problem whose message starts with its location and JSON pointer. */
function fieldOf(problem: Problem): string | undefined {
  const pointer = /^\w+ (\/\S*)/.exec(problem.message)?.[1];
  const parts = pointer ? pointer.split("/").filter(Boolean) : [];
  const extra = problem.keyword === "required" || problem.keyword === "additionalProperties";
  if (extra && problem.name && parts.at(-1) !== problem.name) parts.push(problem.name);
  if (parts.length === 0 && problem.name) parts.push(problem.name);
  return parts.length > 0 ? parts.map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~")).join(".") : undefined;
}

/** What ajv said, without the location prefix the validator puts in front. */
function reasonOf(problem: Problem): string {
  if (problem.keyword === "required") return "is required";
  if (problem.keyword === "additionalProperties") return "is not an accepted field";
  let text = problem.message.startsWith(`${problem.in} `) ? problem.message.slice(problem.in.length + 1) : problem.message;
  if (text.startsWith("/")) text = text.replace(/^\S*\s*/, "");
  else if (problem.name && text.startsWith(`${problem.name} `)) text = text.slice(problem.name.length + 1);
  return text || "is invalid";
}

function invalid(problems: Problem[], operation: { operationId: string }): SandboxResponse {
  const errors = problems.map((problem) => {
    if (problem.in === "content-type") return { code: "unsupported_content_type", message: problem.message };
    const field = fieldOf(problem);
    if (!field) return { code: "invalid_request", message: problem.message };
    if (operation.operationId === "updateSelf" && field === "email_address") {
      return { code: "invalid_field", message: "email_address: the email address cannot be changed" };
    }
    return { code: "invalid_field", message: `${field}: ${reasonOf(problem)}` };
  });
  return failure(400, errors);
}

function userBody(user: QuicklySignUser) {
  return {
    key: user.key,
    name: user.name,
    last_name: user.lastName,
    email_address: user.email,
    mobile_number: user.mobile,
    date_updated: user.updated,
  };
}

function secret(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString("hex")}`;
}

function jsonBody(request: RecordedRequest): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(request.body.toString("utf8"));
    return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function findByApiKey(state: QuicklySignState, apiKey: string): QuicklySignUser | undefined {
  for (const user of state.users.values()) if (user.apiKey === apiKey) return user;
  return undefined;
}

function emailTaken(state: QuicklySignState, email: string): boolean {
  const wanted = email.toLowerCase();
  for (const user of state.users.values()) if (user.email.toLowerCase() === wanted) return true;
  return false;
}

function authenticateApplication(request: RecordedRequest, credentials: QuicklySignCredentials): AuthOutcome {
  const body = jsonBody(request);
  // Missing or malformed credentials are a spec violation: validation answers 400 naming them.
  if (typeof body?.client_id !== "string" || typeof body.client_secret !== "string") return { ok: true };
  if (body.client_id === credentials.clientId && body.client_secret === credentials.clientSecret) return { ok: true };
  return {
    ok: false,
    response: error(401, "The client_id and client_secret do not match an application.", "invalid_client_credentials"),
  };
}

function authenticateToken(request: RecordedRequest, state: QuicklySignState): AuthOutcome {
  const header = request.headers.access_token;
  const token = Array.isArray(header) ? header[0] : header;
  if (!token) {
    return { ok: false, response: error(401, "The access_token header is missing.", "missing_access_token") };
  }
  const issued = state.tokens.get(token);
  if (!issued) {
    return { ok: false, response: error(401, "The access token is not valid.", "invalid_access_token") };
  }
  if (issued.expiresAt <= Date.now()) {
    return {
      ok: false,
      response: error(401, "The access token has expired; request a new one.", "expired_access_token"),
    };
  }
  return { ok: true, principal: issued.userKey };
}

function tokenLifetime(settings: Record<string, unknown>): number {
  const value = settings.tokenLifetimeMs;
  if (value === undefined) return QUICKLYSIGN_DEFAULT_TOKEN_LIFETIME_MS;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0) {
    throw new Error("quicklysign sandbox: settings.tokenLifetimeMs must be a positive number of milliseconds");
  }
  return value;
}

interface NewUserBody {
  user: { name: string; last_name: string; email_address: string; mobile_number?: string };
}
interface UpdateBody {
  name?: string;
  last_name?: string;
  mobile_number?: string;
}

export const quicklysign: SandboxProvider<QuicklySignState, QuicklySignCredentials, QuicklySignClientCredentials> = {
  name: "quicklysign",
  spec,
  basePath: "/v1",
  defaultCredentials: () => ({
    clientId: "sandbox-quicklysign-client-id",
    clientSecret: "sandbox-quicklysign-client-secret",
    ownerApiKey: "qsk_sandbox-owner-api-key",
  }),
  clientCredentials: ({ clientId, clientSecret, ownerApiKey }) => ({ clientId, clientSecret, apiKey: ownerApiKey }),
  otherCredentials: ({ clientId, clientSecret }) => ({ application: { clientId, clientSecret } }),
  createState: (credentials, settings) => {
    // A user to act as from the start: QuicklySign reaches only the user behind a token.
    const owner: QuicklySignUser = {
      key: "user_000000",
      apiKey: credentials.ownerApiKey,
      name: "Sandbox",
      lastName: "Owner",
      email: "owner@example.com",
      mobile: null,
      updated: Date.now(),
    };
    return {
      users: new Map([[owner.key, owner]]),
      tokens: new Map(),
      tokenLifetimeMs: tokenLifetime(settings),
      nextUser: 1,
    };
  },
  authenticate(request, operation, state, credentials): AuthOutcome {
    // The spec says which operations need no token (`security: []`): they carry the
    // application's credentials in the body instead.
    const security = operation.operation.security;
    return Array.isArray(security) && security.length === 0
      ? authenticateApplication(request, credentials)
      : authenticateToken(request, state);
  },
  error,
  invalid,
  notFound: () => error(404, "There is no such endpoint.", "not_found"),
  methodNotAllowed: (_request, allowed) =>
    error(405, `This endpoint accepts ${allowed.join(", ")}.`, "method_not_allowed"),
  finalize(response, request) {
    // The flag moves the outcome into the body only: every answer goes out as 200.
    const forced = new URLSearchParams(request.rawQuery).get("always_use_http_status_code_200") === "true";
    return forced && response.status !== 200 ? { ...response, status: 200 } : response;
  },
  handlers: {
    createUser({ state, body }) {
      const { user: input } = body as NewUserBody;
      if (emailTaken(state, input.email_address)) {
        return error(409, "A user with this email address already exists.", "duplicate_email");
      }
      const user: QuicklySignUser = {
        key: `user_${String(state.nextUser++).padStart(6, "0")}`,
        apiKey: secret("qsk"),
        name: input.name,
        lastName: input.last_name,
        email: input.email_address,
        mobile: input.mobile_number ?? null,
        updated: Date.now(),
      };
      state.users.set(user.key, user);
      return success({ user: { ...userBody(user), api_key: user.apiKey } });
    },
    createAccessToken({ state, body }) {
      const { api_key: apiKey } = body as { api_key: string };
      const user = findByApiKey(state, apiKey);
      if (!user) {
        // Echoes the refused key, as APIs often do: clients must redact what comes back.
        return error(401, `No user has the api_key ${apiKey}.`, "invalid_api_key");
      }
      const token = secret("qst");
      state.tokens.set(token, { userKey: user.key, expiresAt: Date.now() + state.tokenLifetimeMs });
      return success({ access_token: token });
    },
    getSelf({ state, principal }) {
      const user = state.users.get(principal as string);
      if (!user) return error(404, "The user no longer exists.", "not_found");
      return success({ user: userBody(user) });
    },
    updateSelf({ state, principal, body }) {
      const user = state.users.get(principal as string);
      if (!user) return error(404, "The user no longer exists.", "not_found");
      const change = body as UpdateBody;
      if (change.name !== undefined) user.name = change.name;
      if (change.last_name !== undefined) user.lastName = change.last_name;
      if (change.mobile_number !== undefined) user.mobile = change.mobile_number;
      // Strictly later than before, so a change is visible even within one millisecond.
      user.updated = Math.max(Date.now(), user.updated + 1);
      return success({ user: userBody(user) });
    },
  },
};
