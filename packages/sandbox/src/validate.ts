import { Ajv2020, type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

type Json = Record<string, unknown>;

/** Something the spec forbids in a request (or, for responses, in what the sandbox sent). */
export interface Problem {
  in: "path" | "query" | "header" | "body" | "content-type";
  /** The parameter or body field concerned, when there is one. */
  name?: string | undefined;
  message: string;
  keyword?: string | undefined;
}

export interface RouteMatch {
  operationId: string;
  method: string;
  template: string;
  operation: Json;
  /** Raw (still percent-encoded) path parameter values. */
  pathParams: Record<string, string>;
}

export type RouteResult =
  | { kind: "match"; match: RouteMatch }
  | { kind: "no-path" }
  | { kind: "no-method"; allowed: string[] };

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

function escapePointer(segment: string): string {
  return segment.replace(/~/g, "~0").replace(/\//g, "~1");
}

interface Route {
  template: string;
  regex: RegExp;
  names: string[];
  literalLength: number;
  item: Json;
}

interface ParamInfo {
  name: string;
  in: string;
  required: boolean;
  pointer: string;
  isArray: boolean;
}

/**
 * Routes and validates requests against one OpenAPI 3.1 document, with JSON Schema
 * 2020-12 (the dialect of OpenAPI 3.1) through ajv. Schemas are compiled on first
 * use and cached.
 */
export class SpecValidator {
  readonly #spec: Json;
  readonly #routes: Route[];
  readonly #coercing: Ajv2020;
  readonly #strict: Ajv2020;
  readonly #cache = new Map<string, ValidateFunction>();

  constructor(spec: Json) {
    this.#spec = spec;
    const make = (coerce: boolean) => {
      const ajv = new Ajv2020({
        strict: false,
        allErrors: true,
        coerceTypes: coerce ? "array" : false,
        validateFormats: true,
      });
      addFormats(ajv);
      ajv.addFormat("binary", true);
      ajv.addFormat("byte", true);
      ajv.addSchema(spec, "spec");
      return ajv;
    };
    this.#coercing = make(true);
    this.#strict = make(false);
    this.#routes = Object.entries((spec.paths as Json) ?? {})
      .map(([template, item]) => {
        const names: string[] = [];
        const pattern = template
          .split(/(\{[^}]+\})/)
          .map((part) => {
            const m = /^\{([^}]+)\}$/.exec(part);
            if (m) {
              names.push(m[1] as string);
              return "([^/]+)";
            }
            return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
          })
          .join("");
        return {
          template,
          regex: new RegExp(`^${pattern}/?$`),
          names,
          literalLength: template.replace(/\{[^}]+\}/g, "").length,
          item: this.resolve(item) as Json,
        };
      })
      // Literal paths win over templated ones (`/users/self` before `/users/{id}`).
      .sort((a, b) => b.literalLength - a.literalLength);
  }

  /** Follows a local `$ref`, returning the target and its JSON pointer. */
  resolveWithPointer(node: unknown, pointer: string): { node: unknown; pointer: string } {
    let current = node;
    let where = pointer;
    for (let i = 0; i < 20 && current && typeof current === "object" && "$ref" in current; i++) {
      const ref = String((current as Json).$ref);
      where = ref.slice(1);
      current = ref
        .slice(2)
        .split("/")
        .reduce<unknown>((n, seg) => (n as Json | undefined)?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")], this.#spec);
    }
    return { node: current, pointer: where };
  }

  resolve(node: unknown): unknown {
    return this.resolveWithPointer(node, "").node;
  }

  route(method: string, path: string): RouteResult {
    const lower = method.toLowerCase();
    let pathMatched: Route | undefined;
    for (const route of this.#routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched ??= route;
      if (route.item[lower]) {
        const pathParams: Record<string, string> = {};
        route.names.forEach((n, i) => {
          pathParams[n] = m[i + 1] as string;
        });
        const operation = route.item[lower] as Json;
        return {
          kind: "match",
          match: {
            operationId: String(operation.operationId),
            method: lower,
            template: route.template,
            operation,
            pathParams,
          },
        };
      }
    }
    if (!pathMatched) return { kind: "no-path" };
    return { kind: "no-method", allowed: METHODS.filter((m) => pathMatched?.item[m]).map((m) => m.toUpperCase()) };
  }

  #params(match: RouteMatch): ParamInfo[] {
    const base = `/paths/${escapePointer(match.template)}`;
    const out = new Map<string, ParamInfo>();
    const collect = (list: unknown, where: string) => {
      ((list as unknown[]) ?? []).forEach((p, i) => {
        const { node, pointer } = this.resolveWithPointer(p, `${where}/${i}`);
        const param = node as Json;
        const schema = this.resolve(param.schema) as Json | undefined;
        out.set(`${param.in}:${param.name}`, {
          name: String(param.name),
          in: String(param.in),
          required: param.required === true,
          pointer: `${pointer}/schema`,
          isArray: schema?.type === "array",
        });
      });
    };
    const pathItem = this.resolve((this.#spec.paths as Json)[match.template]) as Json;
    collect(pathItem.parameters, `${base}/parameters`);
    collect(match.operation.parameters, `${base}/${match.method}/parameters`);
    return [...out.values()];
  }

  #compile(ajv: Ajv2020, key: string, schema: Json): ValidateFunction {
    const cacheKey = `${ajv === this.#coercing ? "c" : "s"}|${key}`;
    let fn = this.#cache.get(cacheKey);
    if (!fn) {
      fn = ajv.compile(schema);
      this.#cache.set(cacheKey, fn);
    }
    return fn;
  }

  /** Decodes and validates path, query and header parameters (coercing strings to the schema's types). */
  validateParameters(
    match: RouteMatch,
    query: URLSearchParams,
    headers: Record<string, string | string[] | undefined>,
  ): { values: Record<"path" | "query" | "header", Record<string, unknown>>; problems: Problem[] } {
    const problems: Problem[] = [];
    const values: Record<"path" | "query" | "header", Record<string, unknown>> = { path: {}, query: {}, header: {} };
    const params = this.#params(match);
    for (const location of ["path", "query", "header"] as const) {
      const here = params.filter((p) => p.in === location);
      const data: Record<string, unknown> = {};
      for (const p of here) {
        if (location === "path") {
          const raw = match.pathParams[p.name];
          if (raw !== undefined) data[p.name] = safeDecode(raw);
        } else if (location === "query") {
          const all = query.getAll(p.name);
          if (all.length > 0) data[p.name] = p.isArray ? all : all.length === 1 ? all[0] : all;
        } else {
          const h = headers[p.name.toLowerCase()];
          if (h !== undefined) data[p.name] = h;
        }
      }
      const schema: Json = {
        type: "object",
        properties: Object.fromEntries(here.map((p) => [p.name, { $ref: `spec#${p.pointer}` }])),
        required: here.filter((p) => p.required).map((p) => p.name),
      };
      const key = `${match.method} ${match.template} ${location}`;
      const validate = this.#compile(this.#coercing, key, schema);
      if (!validate(data)) problems.push(...toProblems(location, validate.errors));
      values[location] = data;
    }
    return { values, problems };
  }

  /** The media types the operation accepts, or an empty list when it takes no body. */
  requestMediaTypes(match: RouteMatch): string[] {
    const body = this.resolve(match.operation.requestBody) as Json | undefined;
    return Object.keys((body?.content as Json | undefined) ?? {});
  }

  bodyRequired(match: RouteMatch): boolean {
    const body = this.resolve(match.operation.requestBody) as Json | undefined;
    return body?.required === true;
  }

  /** Validates a decoded body against the schema of its media type. */
  validateBody(match: RouteMatch, mediaType: string, body: unknown, coerce: boolean): Problem[] {
    const declared = this.requestMediaTypes(match).find((m) => mediaMatches(m, mediaType));
    if (!declared) return [];
    const { pointer } = this.resolveWithPointer(
      match.operation.requestBody,
      `/paths/${escapePointer(match.template)}/${match.method}/requestBody`,
    );
    const schemaPointer = `${pointer}/content/${escapePointer(declared)}/schema`;
    const exists = this.resolve({ $ref: `#${schemaPointer}` });
    if (!exists) return [];
    const validate = this.#compile(coerce ? this.#coercing : this.#strict, schemaPointer, {
      $ref: `spec#${schemaPointer}`,
    });
    return validate(body) ? [] : toProblems("body", validate.errors);
  }

  /** Checks a response the sandbox is about to send against the spec (a bug in the sandbox otherwise). */
  validateResponse(match: RouteMatch, status: number, mediaType: string | undefined, body: unknown): Problem[] {
    const base = `/paths/${escapePointer(match.template)}/${match.method}/responses`;
    const responses = (match.operation.responses as Json | undefined) ?? {};
    const key = [String(status), `${String(status)[0]}XX`, "default"].find((k) => k in responses);
    if (!key) return [{ in: "body", message: `status ${status} is not declared for ${match.operationId}` }];
    const { node, pointer } = this.resolveWithPointer(responses[key], `${base}/${escapePointer(key)}`);
    const content = ((node as Json).content as Json | undefined) ?? {};
    if (!mediaType) return [];
    const declared = Object.keys(content).find((m) => mediaMatches(m, mediaType));
    if (!declared) {
      return Object.keys(content).length === 0
        ? []
        : [{ in: "content-type", message: `${mediaType} is not declared for ${match.operationId} ${status}` }];
    }
    const schemaPointer = `${pointer}/content/${escapePointer(declared)}/schema`;
    if (!this.resolve({ $ref: `#${schemaPointer}` })) return [];
    const validate = this.#compile(this.#strict, `response ${schemaPointer}`, { $ref: `spec#${schemaPointer}` });
    return validate(body) ? [] : toProblems("body", validate.errors);
  }
}

/** `image/*` in a spec matches `image/png` on the wire. */
export function mediaMatches(declared: string, actual: string): boolean {
  const d = declared.toLowerCase();
  const a = actual.toLowerCase();
  if (d === a || d === "*/*") return true;
  return d.endsWith("/*") && a.startsWith(d.slice(0, -1));
}

function safeDecode(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function toProblems(location: Problem["in"], errors: ErrorObject[] | null | undefined): Problem[] {
  return (errors ?? []).map((e) => {
    const fromPath = e.instancePath.split("/").filter(Boolean)[0];
    const missing = e.keyword === "required" ? (e.params as { missingProperty?: string }).missingProperty : undefined;
    const extra =
      e.keyword === "additionalProperties"
        ? (e.params as { additionalProperty?: string }).additionalProperty
        : undefined;
    const name = missing ?? extra ?? (fromPath ? fromPath.replace(/~1/g, "/").replace(/~0/g, "~") : undefined);
    const subject = e.instancePath ? `${location} ${e.instancePath}` : name ? `${location} ${name}` : location;
    return { in: location, name, keyword: e.keyword, message: `${subject} ${e.message ?? "is invalid"}` };
  });
}
