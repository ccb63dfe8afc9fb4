/**
 * Builds the operations table: operationId → how to call it. The hand-written
 * clients turn this table into methods, so nothing about an endpoint is typed twice.
 */

type Json = Record<string, unknown>;

export interface OperationEntry {
  method: string;
  path: string;
  tags: string[];
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  requestMediaTypes: string[];
  bodyRequired: boolean;
  /** Top-level properties of an object body (null when the body is not an object). */
  bodyFields: string[] | null;
  responseMediaTypes: string[];
  /** Safe to repeat: decides whether the runtime may retry after a request reached the server. */
  idempotent: boolean;
}

const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
const IDEMPOTENT_METHODS = new Set(["get", "put", "delete", "head", "options", "trace"]);

export function resolveRef<T = Json>(doc: Json, value: unknown, seen = new Set<string>()): T {
  if (value && typeof value === "object" && typeof (value as Json).$ref === "string") {
    const ref = (value as Json).$ref as string;
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    let node: unknown = doc;
    for (const raw of ref.slice(2).split("/")) {
      const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
      node = (node as Json | undefined)?.[key];
      if (node === undefined) throw new Error(`cannot resolve $ref ${ref}`);
    }
    return resolveRef<T>(doc, node, seen);
  }
  return value as T;
}

/** Properties of an object schema, following $ref and allOf. */
function objectFields(doc: Json, schemaOrRef: unknown): string[] | null {
  const schema = resolveRef<Json | undefined>(doc, schemaOrRef);
  if (!schema || typeof schema !== "object") return null;
  const fields = new Set<string>();
  let isObject = schema.type === "object" || schema.properties !== undefined;
  for (const name of Object.keys((schema.properties as Json | undefined) ?? {})) fields.add(name);
  for (const part of (schema.allOf as unknown[] | undefined) ?? []) {
    const sub = objectFields(doc, part);
    if (sub) {
      isObject = true;
      for (const f of sub) fields.add(f);
    }
  }
  return isObject ? [...fields] : null;
}

export function buildOperationsTable(doc: Json): Record<string, OperationEntry> {
  const table: Record<string, OperationEntry> = {};
  const paths = (doc.paths as Json | undefined) ?? {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolveRef<Json>(doc, rawItem);
    const shared = ((item.parameters as unknown[]) ?? []).map((p) => resolveRef<Json>(doc, p));
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const id = op.operationId as string | undefined;
      if (!id) throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      if (table[id]) throw new Error(`operationId ${id} is used twice`);
      // Operation-level parameters override path-level ones with the same name and location.
      const params = new Map<string, Json>();
      for (const p of [...shared, ...((op.parameters as unknown[]) ?? []).map((p) => resolveRef<Json>(doc, p))]) {
        params.set(`${p.in}:${p.name}`, p);
      }
      const byLocation = (loc: string) => [...params.values()].filter((p) => p.in === loc).map((p) => p.name as string);
      const body = op.requestBody ? resolveRef<Json>(doc, op.requestBody) : undefined;
      const content = (body?.content as Json | undefined) ?? {};
      const mediaTypes = Object.keys(content);
      const firstMedia = mediaTypes[0] ? (content[mediaTypes[0]] as Json) : undefined;
      const responseMediaTypes = new Set<string>();
      for (const [status, raw] of Object.entries((op.responses as Json | undefined) ?? {})) {
        if (!/^2/.test(status)) continue;
        const res = resolveRef<Json>(doc, raw);
        for (const m of Object.keys((res.content as Json | undefined) ?? {})) responseMediaTypes.add(m);
      }
      const explicit = op["x-idempotent"];
      table[id] = {
        method,
        path,
        tags: (op.tags as string[] | undefined) ?? [],
        pathParams: byLocation("path"),
        queryParams: byLocation("query"),
        headerParams: byLocation("header"),
        requestMediaTypes: mediaTypes,
        bodyRequired: body?.required === true,
        bodyFields: firstMedia ? objectFields(doc, firstMedia.schema) : null,
        responseMediaTypes: [...responseMediaTypes],
        idempotent: typeof explicit === "boolean" ? explicit : IDEMPOTENT_METHODS.has(method),
      };
    }
  }
  return table;
}

const DOC_ONLY_KEYS = new Set(["description", "summary", "example", "examples", "externalDocs"]);

/**
 * The spec as the sandbox needs it: every rule kept, prose and examples dropped
 * (they are most of the bytes). A property *named* `description` inside a
 * `properties` map is data, not prose, and stays.
 */
export function stripDocumentation(node: unknown, inPropertiesMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => stripDocumentation(n));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (!inPropertiesMap && DOC_ONLY_KEYS.has(key)) continue;
    out[key] = stripDocumentation(value, !inPropertiesMap && key === "properties");
  }
  return out;
}
