import type { IncomingHttpHeaders } from "node:http";
import type { Problem, RouteMatch } from "./validate.js";

/** A request as it arrived, kept for tests that check the exact wire format. */
export interface RecordedRequest {
  method: string;
  /** Path below the sandbox's base path, still percent-encoded. */
  path: string;
  /** The query string exactly as sent, without `?`. */
  rawQuery: string;
  headers: IncomingHttpHeaders;
  /** The body bytes exactly as sent. */
  body: Buffer;
  /** The matched operation, when the path and method exist in the spec. */
  operationId: string | undefined;
  /** The status the sandbox answered (undefined for a hang or reset). */
  status: number | undefined;
  /**
   * What the request broke of the spec, once it was checked: empty when it met
   * every rule; undefined when it was not checked (unknown path, refused credentials, a fault).
   */
  problems?: Problem[] | undefined;
}

/** What a handler answers. `body` is JSON unless it is a Buffer (sent as is, with `contentType`). */
export interface SandboxResponse {
  status: number;
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface HandlerContext<State> {
  state: State;
  /** Decoded, schema-coerced parameters. */
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  /** Decoded body: a JSON value, a form as an object, or the raw bytes of a binary body. */
  body: unknown;
  /** The body's media type (lower case, without parameters). */
  mediaType: string | undefined;
  operation: RouteMatch;
  request: RecordedRequest;
  /** Whatever `authenticate` returned for this request (the calling user, for instance). */
  principal: unknown;
  /** The sandbox's public base URL, base path included. */
  baseUrl: string;
}

export type Handler<State> = (context: HandlerContext<State>) => SandboxResponse | Promise<SandboxResponse>;

export type AuthOutcome = { ok: true; principal?: unknown } | { ok: false; response: SandboxResponse };

/**
 * Everything one provider's sandbox needs. The framework does routing, spec
 * validation, faults, CORS and recording; a provider supplies its error format,
 * its credentials and a handler per operationId.
 */
export interface SandboxProvider<
  State = unknown,
  Credentials extends object = Record<string, string>,
  ClientCredentials extends object = Credentials,
> {
  /** The name `startSandbox({ provider })` takes. */
  name: string;
  /** The spec the requests are validated against (generated from specs/). */
  spec: Record<string, unknown>;
  /** Path prefix of the API on the sandbox (`/v1`, `/restapi`). */
  basePath: string;
  /** Credentials the sandbox accepts unless others are given. */
  defaultCredentials(): Credentials;
  /**
   * What `sb.credentials` holds: options that, with `baseUrl: sb.url`, make a working
   * client of this provider (and a working `createUserDirectory`). Default: the accepted ones.
   */
  clientCredentials?(accepted: Credentials): ClientCredentials;
  /** Other credentials the sandbox accepts, each under its own name (`sb.otherCredentials`). */
  otherCredentials?(accepted: Credentials): Record<string, Record<string, string>>;
  createState(credentials: Credentials, options: Record<string, unknown>): State;
  /** Checks the credentials of a request to a matched operation. */
  authenticate(request: RecordedRequest, operation: RouteMatch, state: State, credentials: Credentials): AuthOutcome;
  /** An error in the provider's own format. */
  error(status: number, message: string, code?: string | number): SandboxResponse;
  /** The provider's answer to a request the spec forbids. */
  invalid(problems: Problem[], operation: RouteMatch): SandboxResponse;
  /** The provider's answer to an unknown path (default: `error(404, …)`). */
  notFound?(request: RecordedRequest): SandboxResponse;
  /** The provider's answer to a known path with the wrong method (default: `error(405, …)`). */
  methodNotAllowed?(request: RecordedRequest, allowed: string[]): SandboxResponse;
  /**
   * Last word on any response before it is sent (QuicklySign's
   * `always_use_http_status_code_200` rewrites the status here).
   */
  finalize?(response: SandboxResponse, request: RecordedRequest): SandboxResponse;
  handlers: Record<string, Handler<State>>;
}
