import type { OperationRequestBodyContent } from "openapi-typescript-helpers";
import { ValidationError } from "./errors.js";
import { assertHeaderSafe } from "./auth.js";

/** One row of a generated operations table (see `src/generated/operations.ts` in each provider package). */
export interface OperationDescriptor {
  readonly method: string;
  readonly path: string;
  readonly tags: readonly string[];
  readonly pathParams: readonly string[];
  readonly queryParams: readonly string[];
  readonly headerParams: readonly string[];
  readonly requestMediaTypes: readonly string[];
  readonly bodyRequired: boolean;
  /** Top-level fields of an object body; null when the body is sent whole (arrays, bytes). */
  readonly bodyFields: readonly string[] | null;
  readonly responseMediaTypes: readonly string[];
  readonly idempotent: boolean;
}

export type OperationTable = Readonly<Record<string, OperationDescriptor>>;

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

export type OperationMethod<Op, Defaulted extends string = never> =
  HasRequiredKeys<OperationInput<Op, Defaulted>> extends true
    ? (input: OperationInput<Op, Defaulted>, options?: RequestOptions) => Promise<OperationResult<Op>>
    : (input?: OperationInput<Op, Defaulted>, options?: RequestOptions) => Promise<OperationResult<Op>>;

// ---- run time: from a flat input to openapi-fetch's { params, body } ----

export interface SplitInput {
  params: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, string> };
  body: unknown;
}

/** What every call of an operation derives from its descriptor, worked out once per descriptor. */
export interface OperationShape {
  /** Input keys that are parameters (path, query, header). */
  taken: ReadonlySet<string>;
  /** Input keys that are body fields, or null when the body is passed whole as `body`. */
  fields: ReadonlySet<string> | null;
  /** The HTTP method, upper case. */
  method: string;
  expectsJson: boolean;
  /** A binary answer (an image) and no JSON one. */
  binary: boolean;
}

const shapes = new WeakMap<OperationDescriptor, OperationShape>();

export function operationShape(op: OperationDescriptor): OperationShape {
  let shape = shapes.get(op);
  if (!shape) {
    const expectsJson = op.responseMediaTypes.some((m) => m.includes("json"));
    shape = {
      taken: new Set([...op.pathParams, ...op.queryParams, ...op.headerParams]),
      fields: op.bodyFields ? new Set(op.bodyFields) : null,
      method: op.method.toUpperCase(),
      expectsJson,
      binary: !expectsJson && op.responseMediaTypes.some((m) => !m.includes("json") && !m.startsWith("text/")),
    };
    shapes.set(op, shape);
  }
  return shape;
}

/**
 * Sorts a flat input into path, query and header parameters and the body, using
 * the generated table; fills in client defaults; refuses what cannot be sent.
 */
export function splitInput(
  operationId: string,
  op: OperationDescriptor,
  input: Record<string, unknown> | undefined,
  defaults: Record<string, unknown>,
  provider: string,
): SplitInput {
  const source = input ?? {};
  if (typeof source !== "object" || Array.isArray(source)) {
    throw new ValidationError(`${operationId} takes an object of parameters`, { provider });
  }
  const path: Record<string, unknown> = {};
  for (const name of op.pathParams) {
    const value = source[name] ?? defaults[name];
    if (value === undefined || value === null || value === "") {
      throw new ValidationError(`${operationId}: the path parameter ${name} is required`, { field: name, provider });
    }
    if (typeof value !== "string" && typeof value !== "number") {
      throw new ValidationError(`${operationId}: ${name} must be a string or a number`, { field: name, provider });
    }
    // "." and ".." survive percent-encoding as dot segments and would move the request
    // to another path; no provider issues such ids.
    if (value === "." || value === "..") {
      throw new ValidationError(`${operationId}: ${name} cannot be "${value}"`, { field: name, provider });
    }
    path[name] = value;
  }
  const query: Record<string, unknown> = {};
  for (const name of op.queryParams) {
    if (source[name] !== undefined) query[name] = source[name];
  }
  const header: Record<string, string> = {};
  for (const name of op.headerParams) {
    const value = source[name];
    if (value === undefined) continue;
    const text = String(value);
    assertHeaderSafe(text, name, provider);
    header[name] = text;
  }
  const { taken, fields } = operationShape(op);
  let body: unknown;
  if (fields) {
    const collected: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(source)) {
      if (taken.has(key)) continue;
      if (!fields.has(key)) throw unknownKey(operationId, key, [...taken, ...fields], provider);
      if (value !== undefined) collected[key] = value;
    }
    body = Object.keys(collected).length > 0 || op.bodyRequired ? collected : undefined;
  } else {
    for (const key of Object.keys(source)) {
      if (!taken.has(key) && key !== "body") {
        throw unknownKey(operationId, key, [...taken, ...(op.requestMediaTypes.length ? ["body"] : [])], provider);
      }
    }
    body = source.body;
  }
  if (op.bodyRequired && body === undefined) {
    throw new ValidationError(`${operationId}: a request body is required`, { field: "body", provider });
  }
  return { params: { path, query, header }, body };
}

function unknownKey(operationId: string, key: string, known: string[], provider: string): ValidationError {
  const list = known.length > 0 ? known.join(", ") : "none";
  return new ValidationError(`${operationId}: unknown parameter "${key}" (accepted: ${list})`, {
    field: key,
    provider,
  });
}
