import type { AuthOutcome, RecordedRequest, SandboxResponse } from "./types.js";
import type { Problem, RouteMatch } from "./validate.js";

type Json = Record<string, unknown>;

/**
 * Helpers for a sandbox provider that reads what it can from its spec: which
 * credentials each operation needs (the security schemes and their
 * `x-esign-credential` option names), where an error body carries its code and
 * message (`x-esign-provider.errors`), and the API's base path (its first server).
 * A new provider's sandbox module starts from these and adds only its behaviour.
 */
export interface SpecFacts {
  /** The path every operation hangs under on the sandbox (the first server's path). */
  basePath: string;
  /** Whether a request carries credentials satisfying its operation's security. */
  authenticate(request: RecordedRequest, operation: RouteMatch, credentials: Readonly<Record<string, string>>): boolean;
  /** An error body in the provider's shape: the spec's error pointers, filled in. */
  errorBody(message: string, code?: string | number): unknown;
}

/** A header's value, the first of a repeated one; also the first of a spec field that takes one value or a list. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The user name and password of an `Authorization: Basic` header, or undefined when it is not one. */
export function parseBasic(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The token of an `Authorization: Bearer` header (the scheme in any case), or undefined when it is not one. */
export function bearerToken(header: string | undefined): string | undefined {
  return /^bearer\s+(\S+)\s*$/i.exec(header ?? "")?.[1];
}

/** Sets the value a JSON pointer names, making the objects on its way. */
function setAt(target: Json, pointer: string, value: unknown): void {
  const keys = pointer
    .slice(1)
    .split("/")
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== "object") node[key] = {};
    node = node[key] as Json;
  }
  node[keys.at(-1) as string] = value;
}

export function specFacts(spec: Json): SpecFacts {
  const schemes = ((spec.components as Json | undefined)?.securitySchemes as Record<string, Json> | undefined) ?? {};
  const provider = (spec["x-esign-provider"] as Json | undefined) ?? {};
  const errors = (provider.errors as { code?: string | string[]; message?: string | string[] } | undefined) ?? {};
  const server = ((spec.servers as Json[] | undefined)?.[0]?.url as string | undefined) ?? "";
  let basePath = "";
  try {
    basePath = new URL(server.replace(/\{[^}]+\}/g, "x")).pathname.replace(/\/+$/, "");
  } catch {
    basePath = "";
  }
  const satisfied = (scheme: Json, credential: string | undefined, request: RecordedRequest): boolean => {
    if (credential === undefined) return false;
    const authorization = headerValue(request.headers.authorization);
    if (scheme.type === "http" && String(scheme.scheme).toLowerCase() === "basic") {
      const given = parseBasic(authorization);
      return given !== undefined && given.user === credential && given.password === String(scheme["x-esign-password"] ?? "");
    }
    if ((scheme.type === "http" && String(scheme.scheme).toLowerCase() === "bearer") || scheme.type === "oauth2") {
      return bearerToken(authorization) === credential;
    }
    if (scheme.type === "apiKey" && scheme.in === "header") {
      return headerValue(request.headers[String(scheme.name).toLowerCase()]) === credential;
    }
    return false;
  };
  return {
    basePath,
    authenticate(request, operation, credentials) {
      const requirement = (operation.operation.security ?? spec.security ?? []) as Record<string, unknown>[];
      if (requirement.length === 0) return true;
      return requirement.some((alternative) =>
        Object.keys(alternative).every((name) => {
          const scheme = schemes[name];
          if (!scheme) return false;
          return satisfied(scheme, credentials[String(scheme["x-esign-credential"] ?? name)], request);
        }),
      );
    },
    errorBody(message, code) {
      const body: Json = {};
      setAt(body, headerValue(errors.message) ?? "/message", message);
      if (code !== undefined) setAt(body, headerValue(errors.code) ?? "/code", code);
      return body;
    },
  };
}

/** The sandbox's answer to a request the spec forbids, in the provider's error shape. */
export function invalidFromSpec(facts: SpecFacts, problems: Problem[], code: string | number): SandboxResponse {
  return { status: 400, body: facts.errorBody(problems.map((p) => p.message).join("; "), code) };
}

/** `{ ok: true }`, or the provider's 401 in its error shape. */
export function authOutcome(facts: SpecFacts, ok: boolean, code: string | number): AuthOutcome {
  return ok ? { ok: true } : { ok: false, response: { status: 401, body: facts.errorBody("The credentials are missing or not valid.", code) } };
}
