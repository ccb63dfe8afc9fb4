import type { OperationRequestBodyContent } from "openapi-typescript-helpers";
import { assertHeaderSafe } from "./auth.js";
import { ValidationError } from "./errors.js";
import type { BulkResult } from "./bulk.js";
import type { ProviderErrorParser } from "./errors.js";
import type { RateLimitOptions } from "./rate-limit.js";
import { coerceParameter, findProblem, type SchemaMap, type SchemaNode } from "./schema.js";

// ---- the generated data (`src/generated/operations.ts` in each provider package) ----

/** One parameter of an operation. */
export interface ParamDescriptor {
  readonly name: string;
  readonly in: "path" | "query" | "header";
  readonly required?: boolean;
  readonly schema?: SchemaNode;
  /** The input key callers use, when it differs from the wire name. */
  readonly input?: string;
}

export interface BodyDescriptor {
  readonly media: readonly string[];
  readonly required: boolean;
  /** Top-level fields of an object body; null when the body is passed whole as `body`. */
  readonly fields: readonly string[] | null;
  readonly schema?: SchemaNode;
  /** Largest body the provider takes, in bytes. */
  readonly maxBytes?: number;
  /** Body fields filled from the client's credentials: field → credential name. */
  readonly credentials?: { readonly [field: string]: string };
  /** JSON pointers to secrets the caller puts in the body (`x-esign-secret`): redacted like credentials. */
  readonly secrets?: readonly string[];
}

export interface ResponseDescriptor {
  readonly media: readonly string[];
  /** JSON pointers (`*` for every item) to secrets in the success body: redacted from then on. */
  readonly secrets?: readonly string[];
  /** The part of the answer the method resolves to. */
  readonly unwrap?: string;
}

/** How a list operation pages, and when it has no more pages. */
export interface PaginationDescriptor {
  readonly style: "offset" | "page" | "cursor";
  readonly param: string;
  readonly size?: string;
  readonly maxSize?: number;
  readonly items: string;
  readonly next?: string;
  readonly totalPages?: string;
  readonly total?: string;
}

/** A bulk operation: one answer entry per request entry, each succeeding or failing on its own. */
export interface BulkDescriptor {
  readonly request: string;
  readonly response: string;
  readonly key?: string;
  readonly error: string;
}

/** One row of a generated operations table. */
export interface OperationDescriptor {
  /** Where the client puts the method, e.g. `users.get`. */
  readonly name: string;
  readonly method: string;
  readonly path: string;
  readonly params: readonly ParamDescriptor[];
  readonly body?: BodyDescriptor;
  readonly response: ResponseDescriptor;
  readonly idempotent: boolean;
  /** Alternatives of security scheme names; empty: the operation needs no credentials. */
  readonly security: readonly (readonly string[])[];
  readonly pagination?: PaginationDescriptor;
  readonly bulk?: BulkDescriptor;
}

export type OperationTable = { readonly [operationId: string]: OperationDescriptor };

export interface SecuritySchemeDescriptor {
  readonly type: string;
  readonly scheme?: string;
  readonly in?: string;
  readonly name?: string;
  /** The client option that carries this credential. */
  readonly credential?: string;
  /** HTTP Basic: the password sent with the credential as user name. */
  readonly password?: string;
}

export interface ServerDescriptor {
  readonly url: string;
  readonly name?: string;
  readonly variables?: { readonly [name: string]: { readonly default: string; readonly enum?: readonly string[] } };
}

/** Everything a spec says that the runtime uses, as the generator writes it. */
export interface ApiDefinition<Ops extends OperationTable = OperationTable> {
  readonly provider: string;
  readonly title: string;
  readonly servers: readonly ServerDescriptor[];
  readonly serverOption?: string;
  readonly securitySchemes: { readonly [name: string]: SecuritySchemeDescriptor };
  /** The document's default security (what raw calls to paths outside the table carry). */
  readonly security?: readonly (readonly string[])[];
  /** JSON pointers to the provider's error code and message in an error body, in order of preference. */
  readonly errors?: { readonly code?: readonly string[]; readonly message?: readonly string[] };
  readonly requestIdHeaders?: readonly string[];
  readonly rateLimit?: RateLimitOptions;
  /** Path parameters a client option fills in when a call leaves them out: parameter → option. */
  readonly defaults?: { readonly [param: string]: string };
  readonly schemas: SchemaMap;
  readonly operations: Ops;
  /** Runtime code the spec needs beyond the basics, imported by the generated definition only when it does. */
  readonly features?: {
    readonly bulk?: (
      bulk: BulkDescriptor,
      body: unknown,
      decoded: unknown,
      parseError: ProviderErrorParser,
      provider: string,
    ) => BulkResult<unknown, unknown>;
  };
}

/** Per-call options, accepted by every operation method as its last argument. */
export interface RequestOptions {
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
  /** Overrides the client's `maxRetries` for this call; 0 disables retries. */
  maxRetries?: number;
  /** Aborts the call (and any retry wait) when it fires. */
  signal?: AbortSignal;
  /** Extra headers for this call. */
  headers?: Record<string, string>;
}

// ---- types: from openapi-typescript's `operations` interface to method signatures ----

type Present<T> = [T] extends [never] ? object : [T] extends [undefined] ? object : NonNullable<T>;
type ParamsIn<Op, Where extends string> = Op extends { parameters: infer P }
  ? Where extends keyof P
    ? Present<P[Where]>
    : object
  : object;

type WholeBody = readonly unknown[] | Blob | Uint8Array | ArrayBuffer | string;
type BodyContent<Op> = OperationRequestBodyContent<Op>;
type BodyInput<Op> = [BodyContent<Op>] extends [never]
  ? object
  : [NonNullable<BodyContent<Op>>] extends [never]
    ? object
    : NonNullable<BodyContent<Op>> extends WholeBody
      ? undefined extends BodyContent<Op>
        ? { body?: NonNullable<BodyContent<Op>> }
        : { body: NonNullable<BodyContent<Op>> }
      : undefined extends BodyContent<Op>
        ? Partial<NonNullable<BodyContent<Op>>>
        : NonNullable<BodyContent<Op>>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** Path, query and header parameters and the body's fields, in one object. */
export type FlatInput<Op> = Simplify<
  ParamsIn<Op, "path"> & ParamsIn<Op, "query"> & ParamsIn<Op, "header"> & BodyInput<Op>
>;

/** `FlatInput` with the parameters the client fills in itself (e.g. `accountId`) made optional. */
export type OperationInput<Op, Defaulted extends string = never> = [Defaulted] extends [never]
  ? FlatInput<Op>
  : Simplify<Omit<FlatInput<Op>, Defaulted> & Partial<Pick<FlatInput<Op>, Defaulted & keyof FlatInput<Op>>>>;

/** `T` with at least one of the keys `K` present (the spec's `x-esign-require-any`). */
export type RequireAny<T, K extends keyof T> = K extends unknown ? Simplify<T & Required<Pick<T, K>>> : never;

/** `T` with the key `From` called `To` (the spec's `x-esign-input-name`). */
export type Renamed<T, From extends string, To extends string> = From extends keyof T
  ? Simplify<
      Omit<T, From> &
        (undefined extends T[From] ? { [P in To]?: Exclude<T[From], undefined> } : { [P in To]: T[From] })
    >
  : T;

type OkStatus = 200 | 201 | 202 | 203 | 204 | 206 | 207 | "2XX";
/** The `content` maps of an operation's success responses. */
type SuccessContents<Op> = Op extends { responses: infer R }
  ? { [S in keyof R & OkStatus]: R[S] extends { content: infer C } ? C : never }[keyof R & OkStatus]
  : never;
type JsonBody<Op> = SuccessContents<Op> extends infer C ? (C extends object ? C[keyof C & `${string}/json`] : never) : never;
type BinaryMedia = `image/${string}` | "application/octet-stream";
type HasBinary<Op> = SuccessContents<Op> extends infer C
  ? C extends object
    ? [keyof C & BinaryMedia] extends [never]
      ? false
      : true
    : false
  : false;

/** What an operation resolves to: the decoded JSON body, the bytes of a binary body, or nothing. */
export type OperationResult<Op> = [JsonBody<Op>] extends [never]
  ? true extends HasBinary<Op>
    ? Uint8Array
    : void
  : JsonBody<Op>;

type HasRequiredKeys<T> = object extends T ? false : true;

/** A method taking `Input` (optional when nothing in it is required) and resolving to `Result`. */
export type Method<Input, Result> =
  HasRequiredKeys<Input> extends true
    ? (input: Input, options?: RequestOptions) => Promise<Result>
    : (input?: Input, options?: RequestOptions) => Promise<Result>;

export type OperationMethod<Op, Defaulted extends string = never> = Method<
  OperationInput<Op, Defaulted>,
  OperationResult<Op>
>;

// ---- run time: from a flat input to the request's parameters and body ----

export interface SplitInput {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, string> };
  body: unknown;
}

/** What every call of an operation derives from its descriptor, worked out once per descriptor. */
export interface OperationShape {
  /** Input key → the parameter it fills. */
  params: ReadonlyMap<string, ParamDescriptor>;
  /** Input keys that are body fields, or null when the body is passed whole as `body`. */
  fields: ReadonlySet<string> | null;
  /** The HTTP method, upper case. */
  method: string;
  expectsJson: boolean;
  /** A binary answer (an image) and no JSON one. */
  binary: boolean;
  /** Whether the success response declares no content at all. */
  empty: boolean;
}

const shapes = new WeakMap<OperationDescriptor, OperationShape>();

export function operationShape(op: OperationDescriptor): OperationShape {
  let shape = shapes.get(op);
  if (!shape) {
    const media = op.response.media;
    const expectsJson = media.some((m) => m.includes("json"));
    shape = {
      params: new Map(op.params.map((p) => [p.input ?? p.name, p])),
      fields: op.body?.fields ? new Set(op.body.fields) : null,
      method: op.method.toUpperCase(),
      expectsJson,
      binary: !expectsJson && media.some((m) => !m.includes("json") && !m.startsWith("text/")),
      empty: media.length === 0,
    };
    shapes.set(op, shape);
  }
  return shape;
}

function refuse(operationId: string, provider: string, field: string, rule: string, message: string): ValidationError {
  return new ValidationError(`${provider} ${operationId}: ${message}`, { field, provider, rule });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Sorts a flat input into path, query and header parameters and the body, using
 * the generated table; fills in client defaults and credentials; and checks every
 * rule the spec states, so a request the provider would refuse is never sent.
 */
export function splitInput(
  operationId: string,
  op: OperationDescriptor,
  input: Record<string, unknown> | undefined,
  defaults: Record<string, unknown>,
  provider: string,
  schemas: SchemaMap = {},
  credentials: Record<string, unknown> = {},
): SplitInput {
  const source = input ?? {};
  if (!isRecord(source)) {
    throw new ValidationError(`${provider} ${operationId}: takes one object of parameters`, { provider, rule: "type" });
  }
  const shape = operationShape(op);
  const path: Record<string, unknown> = {};
  const query: Record<string, unknown> = {};
  const header: Record<string, string> = {};
  for (const [key, param] of shape.params) {
    let value = source[key];
    if (value === undefined && param.in === "path") value = defaults[param.name];
    if (value === undefined) {
      if (param.required) throw refuse(operationId, provider, key, "required", `${key} is required`);
      continue;
    }
    value = coerceParameter(param.schema, value, schemas);
    const problem = findProblem(param.schema, value, key, schemas);
    if (problem) throw refuse(operationId, provider, problem.path, problem.rule, problem.message);
    // An empty path segment would address another resource (`/users//x`), whatever the schema says.
    if (param.in === "path" && (value === null || value === "")) {
      throw refuse(operationId, provider, key, "required", `${key} is required`);
    }
    if (param.in === "path") {
      if (typeof value !== "string" && typeof value !== "number") {
        throw refuse(operationId, provider, key, "type", `${key} must be a string or a number`);
      }
      // "." and ".." survive percent-encoding as dot segments and would move the request
      // to another path; no provider issues such ids.
      if (value === "." || value === "..") throw refuse(operationId, provider, key, "pattern", `${key} cannot be "${value}"`);
      path[param.name] = value;
    } else if (param.in === "query") {
      query[param.name] = value;
    } else {
      const text = String(value);
      assertHeaderSafe(text, key, provider);
      header[param.name] = text;
    }
  }

  let body: unknown;
  if (shape.fields) {
    const collected: Record<string, unknown> = {};
    // Fields the client fills from its credentials (first, as providers document them), unless the caller gave them.
    for (const [field, name] of Object.entries(op.body?.credentials ?? {})) {
      if (source[field] === undefined && credentials[name] !== undefined) collected[field] = credentials[name];
    }
    for (const [key, value] of Object.entries(source)) {
      if (shape.params.has(key)) continue;
      if (!shape.fields.has(key)) throw unknownKey(operationId, key, [...shape.params.keys(), ...shape.fields], provider);
      if (value !== undefined) collected[key] = value;
    }
    body = Object.keys(collected).length > 0 || op.body?.required ? collected : undefined;
  } else {
    for (const key of Object.keys(source)) {
      if (!shape.params.has(key) && key !== "body") {
        throw unknownKey(operationId, key, [...shape.params.keys(), ...(op.body ? ["body"] : [])], provider);
      }
    }
    body = source.body;
  }
  if (op.body?.required && body === undefined) throw refuse(operationId, provider, "body", "required", "a request body is required");
  if (body !== undefined && op.body) {
    const problem = findProblem(op.body.schema, body, shape.fields ? "" : "body", schemas);
    if (problem) throw refuse(operationId, provider, problem.path || "body", problem.rule, problem.message.replace(/^the value /, "the request "));
  }
  return { params: { path, query, header }, body };
}

function unknownKey(operationId: string, key: string, known: string[], provider: string): ValidationError {
  const list = known.length > 0 ? known.join(", ") : "none";
  return new ValidationError(`${provider} ${operationId}: unknown parameter "${key}" (accepted: ${list})`, {
    field: key,
    provider,
    rule: "unknown",
  });
}

// ---- JSON pointers into decoded bodies ----

/** The value a JSON pointer names in a decoded body; undefined when it is not there. */
export function valueAt(body: unknown, pointer: string): unknown {
  if (pointer === "" || pointer === "/") return body;
  let node: unknown = body;
  for (const raw of pointer.slice(1).split("/")) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

/** Every string a pointer with `*` segments (every item or value) reaches. */
export function stringsAt(body: unknown, pointer: string): string[] {
  const found: string[] = [];
  const walk = (node: unknown, segments: string[]) => {
    if (segments.length === 0) {
      if (typeof node === "string") found.push(node);
      return;
    }
    if (node === null || typeof node !== "object") return;
    const [head, ...rest] = segments as [string, ...string[]];
    if (head === "*") {
      for (const child of Object.values(node)) walk(child, rest);
      return;
    }
    const key = head.replace(/~1/g, "/").replace(/~0/g, "~");
    if (Object.hasOwn(node, key)) walk((node as Record<string, unknown>)[key], rest);
  };
  walk(body, pointer === "" ? [] : pointer.slice(1).split("/"));
  return found;
}
