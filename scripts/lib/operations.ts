/**
 * Reads a spec into the data the runtime works from: one entry per operation (how
 * to call it, what its input must satisfy, which credentials it needs, how it
 * pages, where its secrets are) plus what the spec says about the provider as a
 * whole (servers, security schemes, error body, rate limit). The clients' methods,
 * their validation and their types are all built from this, so nothing about an
 * endpoint is written twice. The `x-esign-*` extensions it reads are documented
 * in specs/README.md.
 */

type Json = Record<string, unknown>;

/** A JSON Schema subset as the runtime validates it; `$ref` names an entry of `schemas`. */
export type CompactSchema = Json;

export interface ParamEntry {
  name: string;
  in: "path" | "query" | "header";
  required?: true;
  schema?: CompactSchema;
  /** The key callers use for it when it differs from the wire name (`x-esign-input-name`). */
  input?: string;
}

export interface BodyEntry {
  media: string[];
  required: boolean;
  /** Top-level properties of an object body; null when the body is passed whole as `body`. */
  fields: string[] | null;
  schema?: CompactSchema;
  /** Largest body the provider takes, in bytes (`x-esign-max-bytes`). */
  maxBytes?: number;
  /** Where the request body carries secrets the caller gives (`x-esign-secret`): JSON pointers. */
  secrets?: string[];
  /** Body fields the client fills from its own credentials: field → client option (`x-esign-body-credentials`). */
  credentials?: Record<string, string>;
}

export interface ResponseEntry {
  media: string[];
  /** Where the success body carries secrets (`x-esign-secret`): JSON pointers, `*` for every array item. */
  secrets?: string[];
  /** The part of the answer a method resolves to (`x-esign-unwrap`). */
  unwrap?: string;
}

export interface PaginationEntry {
  style: "offset" | "page" | "cursor";
  /** The parameter that says where a page starts: the offset, the page number or the cursor. */
  param: string;
  /** The page-size parameter. */
  size?: string;
  /** Its largest value (from its schema): the default page size, for the fewest requests. */
  maxSize?: number;
  /** Where the items are in the answer. */
  items: string;
  /** Stop rule: more pages while this is present (for cursors: the next cursor). */
  next?: string;
  /** Stop rule: the number of pages. */
  totalPages?: string;
  /** Stop rule: the number of items. */
  total?: string;
}

export interface BulkEntry {
  request: string;
  response: string;
  key?: string;
  error: string;
}

export interface OperationEntry {
  /** Where the client puts its method: `users.get`. */
  name: string;
  method: string;
  path: string;
  params: ParamEntry[];
  body?: BodyEntry;
  response: ResponseEntry;
  /** Safe to repeat: decides whether the runtime may retry after a request reached the server. */
  idempotent: boolean;
  /** Alternatives, each a list of security scheme names that must all be satisfied; `[]` = none needed. */
  security: string[][];
  pagination?: PaginationEntry;
  bulk?: BulkEntry;
}

export interface SecuritySchemeEntry {
  type: string;
  scheme?: string;
  in?: string;
  name?: string;
  /** The client option that carries this credential (`x-esign-credential`). */
  credential?: string;
  /** HTTP Basic: the fixed password sent with the credential as user name (`x-esign-password`). */
  password?: string;
}

export interface ServerEntry {
  url: string;
  /** The value of the client's server option that picks it (`x-esign-name`). */
  name?: string;
  variables?: Record<string, { default: string; enum?: string[] }>;
}

export interface ApiEntry {
  provider: string;
  /** Display name, used in type and factory names. */
  title: string;
  servers: ServerEntry[];
  /** The client option that picks a server by name (`region`, `environment`). */
  serverOption?: string;
  securitySchemes: Record<string, SecuritySchemeEntry>;
  /** The document's default security requirement. */
  security: string[][];
  errors?: { code?: string[]; message?: string[] };
  requestIdHeaders?: string[];
  rateLimit?: Json;
  /** Path parameters the client fills from an option: parameter → option. */
  defaults?: Record<string, string>;
  schemas: Record<string, CompactSchema>;
  operations: Record<string, OperationEntry>;
}

/** The HTTP methods a path item may hold an operation under, in the order OpenAPI lists them. */
export const METHODS = ["get", "put", "post", "delete", "patch", "head", "options", "trace"] as const;
const IDEMPOTENT_METHODS = new Set(["get", "put", "delete", "head", "options", "trace"]);
export const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An own property, whatever its name (`__proto__`, `constructor`): plain assignment is not enough. */
function define(target: object, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A JSON object: not null, not an array. */
export const isObject = (v: unknown): v is Json => !!v && typeof v === "object" && !Array.isArray(v);

/** A property the node has itself, not one it inherits (`constructor`, `__proto__`). */
export function own(node: unknown, key: string): unknown {
  return node && typeof node === "object" && Object.hasOwn(node, key) ? (node as Json)[key] : undefined;
}

export function resolveRef<T = Json>(doc: Json, value: unknown, seen = new Set<string>()): T {
  const ref = own(value, "$ref");
  if (typeof ref === "string") {
    if (!ref.startsWith("#/")) throw new Error(`only local $refs are supported, got ${ref}`);
    if (seen.has(ref)) throw new Error(`circular $ref ${ref}`);
    seen.add(ref);
    let node: unknown = doc;
    for (const raw of ref.slice(2).split("/")) {
      node = own(node, raw.replace(/~1/g, "/").replace(/~0/g, "~"));
      if (node === undefined) throw new Error(`cannot resolve $ref ${ref}`);
    }
    return resolveRef<T>(doc, node, seen);
  }
  return value as T;
}

const COMPONENT_SCHEMA = /^#\/components\/schemas\/([^/]+)$/;

/** The component name a `$ref` points at, when it points at a schema. */
export function schemaRefName(node: unknown): string | undefined {
  const ref = own(node, "$ref");
  return typeof ref === "string" ? COMPONENT_SCHEMA.exec(ref)?.[1] : undefined;
}

// The keywords the runtime checks; everything else (prose, examples, defaults) is dropped.
const VALUE_KEYWORDS = [
  "type",
  "enum",
  "const",
  "pattern",
  "format",
  "minLength",
  "maxLength",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "uniqueItems",
  "minProperties",
  "maxProperties",
  "required",
] as const;
const SCHEMA_KEYWORDS = ["items", "additionalProperties", "propertyNames", "not"] as const;
const SCHEMA_LIST_KEYWORDS = ["allOf", "anyOf", "oneOf", "prefixItems"] as const;

/**
 * The validation part of a schema, with `$ref`s to component schemas kept as
 * names (collected in `used`) so each component is emitted once.
 */
function compactSchema(doc: Json, node: unknown, used: Set<string>, where: string): CompactSchema | undefined {
  if (node === true || node === undefined) return undefined;
  if (node === false) return { not: {} };
  if (!node || typeof node !== "object") throw new Error(`${where}: a schema must be an object`);
  const name = schemaRefName(node);
  if (name !== undefined) {
    if (own((doc.components as Json | undefined)?.schemas, name) === undefined) {
      throw new Error(`${where}: cannot resolve $ref ${String(own(node, "$ref"))}`);
    }
    used.add(name);
    return { $ref: name };
  }
  const schema = resolveRef<Json>(doc, node);
  const out: Json = {};
  for (const key of VALUE_KEYWORDS) {
    const value = own(schema, key);
    if (value !== undefined) define(out, key, value);
  }
  const properties = own(schema, "properties") as Json | undefined;
  if (properties && typeof properties === "object") {
    const props: Json = {};
    const closed = own(schema, "additionalProperties") === false;
    for (const [prop, sub] of Object.entries(properties)) {
      // A read-only property is the server's to set: requests are not checked for it
      // (an open object accepts it as it is; a closed one still names it).
      if (isReadOnly(doc, sub)) {
        if (closed) define(props, prop, {});
        continue;
      }
      define(props, prop, compactSchema(doc, sub, used, `${where}/properties/${prop}`) ?? {});
    }
    out.properties = props;
  }
  for (const key of SCHEMA_KEYWORDS) {
    const sub = own(schema, key);
    if (sub === undefined) continue;
    const compact = sub === false ? false : compactSchema(doc, sub, used, `${where}/${key}`);
    if (compact !== undefined) define(out, key, compact);
  }
  for (const key of SCHEMA_LIST_KEYWORDS) {
    const list = own(schema, key);
    if (!Array.isArray(list)) continue;
    define(
      out,
      key,
      list.map((sub, i) => compactSchema(doc, sub, used, `${where}/${key}/${i}`) ?? {}),
    );
  }
  const requireAny = own(schema, "x-esign-require-any");
  if (requireAny !== undefined) {
    if (!Array.isArray(requireAny) || requireAny.length < 2 || !requireAny.every((f) => typeof f === "string")) {
      throw new Error(`${where}: x-esign-require-any must list at least two property names`);
    }
    const known = Object.keys(properties ?? {});
    for (const field of requireAny as string[]) {
      if (!known.includes(field)) throw new Error(`${where}: x-esign-require-any names ${field}, which is not a property`);
    }
    out.requireAny = requireAny;
  }
  return out;
}

function isReadOnly(doc: Json, node: unknown): boolean {
  if (own(node, "readOnly") === true) return true;
  const resolved = resolveRef<Json | undefined>(doc, node);
  return own(resolved, "readOnly") === true;
}

/** Adds every component schema reachable from `names` to `schemas`, compacted. */
function collectSchemas(doc: Json, names: Set<string>, schemas: Record<string, CompactSchema>): void {
  const queue = [...names];
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (Object.hasOwn(schemas, name)) continue;
    const used = new Set<string>();
    const node = own((doc.components as Json).schemas, name);
    define(schemas, name, compactSchema(doc, node, used, `#/components/schemas/${name}`) ?? {});
    for (const next of used) if (!Object.hasOwn(schemas, next)) queue.push(next);
  }
}

/** Properties of an object schema, following $ref and allOf. */
function objectFields(doc: Json, schemaOrRef: unknown): string[] | null {
  const schema = resolveRef<Json | undefined>(doc, schemaOrRef);
  if (!schema || typeof schema !== "object") return null;
  const fields = new Set<string>();
  let isObject = own(schema, "type") === "object" || own(schema, "properties") !== undefined;
  for (const name of Object.keys((own(schema, "properties") as Json | undefined) ?? {})) fields.add(name);
  for (const part of (own(schema, "allOf") as unknown[] | undefined) ?? []) {
    const sub = objectFields(doc, part);
    if (sub) {
      isObject = true;
      for (const f of sub) fields.add(f);
    }
  }
  return isObject ? [...fields] : null;
}

/**
 * Walks a schema along a JSON pointer (through properties, array items, allOf and
 * `$ref`s); undefined when the pointer leaves the schema.
 */
export function schemaAt(doc: Json, schema: unknown, pointer: string): unknown {
  let node: unknown = schema;
  for (const segment of splitPointer(pointer)) {
    node = childSchema(doc, node, segment);
    if (node === undefined) return undefined;
  }
  return node;
}

function childSchema(doc: Json, node: unknown, segment: string): unknown {
  const schema = resolveRef<Json | undefined>(doc, node);
  if (!schema || typeof schema !== "object") return undefined;
  if (segment === "*" || /^\d+$/.test(segment)) {
    const items = own(schema, "items");
    if (items !== undefined) return items;
  }
  const direct = own(own(schema, "properties"), segment);
  if (direct !== undefined) return direct;
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    for (const part of (own(schema, key) as unknown[] | undefined) ?? []) {
      const found = childSchema(doc, part, segment);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

export function splitPointer(pointer: string): string[] {
  if (pointer === "" || pointer === "/") return [];
  if (!pointer.startsWith("/")) throw new Error(`"${pointer}" is not a JSON pointer (it must start with /)`);
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** Pointers to every `x-esign-secret` property under a schema (`*` for array items). */
function secretPointers(doc: Json, node: unknown, prefix: string, seen: Set<unknown>): string[] {
  const schema = resolveRef<Json | undefined>(doc, node);
  if (!schema || typeof schema !== "object" || seen.has(schema)) return [];
  seen.add(schema);
  const found: string[] = [];
  if (own(schema, "x-esign-secret") === true) found.push(prefix);
  for (const [name, sub] of Object.entries((own(schema, "properties") as Json | undefined) ?? {})) {
    found.push(...secretPointers(doc, sub, `${prefix}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, seen));
  }
  const items = own(schema, "items");
  if (items) found.push(...secretPointers(doc, items, `${prefix}/*`, seen));
  const additional = own(schema, "additionalProperties");
  if (additional && typeof additional === "object") found.push(...secretPointers(doc, additional, `${prefix}/*`, seen));
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    for (const part of (own(schema, key) as unknown[] | undefined) ?? []) found.push(...secretPointers(doc, part, prefix, seen));
  }
  seen.delete(schema);
  return [...new Set(found)];
}

function camel(text: string): string {
  const words = text.split(/[^A-Za-z0-9]+/).filter(Boolean);
  return words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("");
}

function methodName(op: Json, id: string, where: string): string {
  const explicit = own(op, "x-esign-method");
  if (explicit !== undefined) {
    if (typeof explicit !== "string" || !explicit.split(".").every((s) => IDENTIFIER.test(s)) || explicit.split(".").length > 2) {
      throw new Error(`${where}: x-esign-method must be "namespace.method" or "method" (got ${JSON.stringify(explicit)})`);
    }
    return explicit;
  }
  const tag = ((own(op, "tags") as string[] | undefined) ?? [])[0];
  const namespace = tag ? camel(tag) : "";
  if (!IDENTIFIER.test(id)) {
    throw new Error(`${where}: operationId ${JSON.stringify(id)} is not a valid method name; give the operation an x-esign-method`);
  }
  return namespace ? `${namespace}.${id}` : id;
}

function stringList(value: unknown, where: string): string[] {
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || !list.every((v) => typeof v === "string")) throw new Error(`${where} must be a string or a list of strings`);
  return list as string[];
}

function paginationOf(
  doc: Json,
  op: Json,
  params: ParamEntry[],
  rawParams: Map<string, Json>,
  responseSchema: unknown,
  where: string,
): PaginationEntry | undefined {
  const raw = own(op, "x-esign-pagination") as Json | undefined;
  if (raw === undefined) return undefined;
  const at = `${where}: x-esign-pagination`;
  const style = own(raw, "style");
  if (style !== "offset" && style !== "page" && style !== "cursor") throw new Error(`${at}.style must be offset, page or cursor`);
  const param = own(raw, style);
  if (typeof param !== "string") throw new Error(`${at} needs "${style}": the query parameter that says where a page starts`);
  const query = (name: string, what: string) => {
    if (!params.some((p) => p.in === "query" && p.name === name)) {
      throw new Error(`${at}.${what} names ${name}, which is not a query parameter of the operation`);
    }
  };
  query(param, style);
  const entry: PaginationEntry = { style, param, items: "" };
  const size = own(raw, "size");
  if (size !== undefined) {
    if (typeof size !== "string") throw new Error(`${at}.size must name the page-size parameter`);
    query(size, "size");
    entry.size = size;
    const schema = resolveRef<Json | undefined>(doc, own(rawParams.get(`query:${size}`), "schema"));
    const maximum = own(schema, "maximum");
    if (typeof maximum === "number") entry.maxSize = maximum;
  }
  const pointer = (key: "items" | "next" | "totalPages" | "total", required: boolean) => {
    const value = own(raw, key);
    if (value === undefined) {
      if (required) throw new Error(`${at}.${key} is required (a JSON pointer into the answer)`);
      return;
    }
    if (typeof value !== "string") throw new Error(`${at}.${key} must be a JSON pointer`);
    if (schemaAt(doc, responseSchema, value) === undefined) {
      throw new Error(`${at}.${key} points at ${value}, which the success response does not have`);
    }
    entry[key] = value;
  };
  pointer("items", true);
  pointer("next", style === "cursor");
  pointer("totalPages", false);
  pointer("total", false);
  return entry;
}

function bulkOf(doc: Json, op: Json, bodySchema: unknown, responseSchema: unknown, where: string): BulkEntry | undefined {
  const raw = own(op, "x-esign-bulk") as Json | undefined;
  if (raw === undefined) return undefined;
  const at = `${where}: x-esign-bulk`;
  const request = own(raw, "request");
  const response = own(raw, "response");
  const error = own(raw, "error");
  const key = own(raw, "key");
  if (typeof request !== "string" || schemaAt(doc, bodySchema, request) === undefined) {
    throw new Error(`${at}.request must point at the array of entries in the request body`);
  }
  if (typeof response !== "string" || schemaAt(doc, responseSchema, response) === undefined) {
    throw new Error(`${at}.response must point at the array of entries in the answer`);
  }
  if (typeof error !== "string") throw new Error(`${at}.error must point at an entry's error, relative to the entry`);
  if (key !== undefined && typeof key !== "string") throw new Error(`${at}.key must name a field of an entry`);
  return { request, response, error, ...(key !== undefined ? { key } : {}) };
}

function securitySchemes(doc: Json): Record<string, SecuritySchemeEntry> {
  const schemes: Record<string, SecuritySchemeEntry> = {};
  const raw = (own(doc.components, "securitySchemes") as Json | undefined) ?? {};
  for (const [name, node] of Object.entries(raw)) {
    const scheme = resolveRef<Json>(doc, node);
    const entry: SecuritySchemeEntry = { type: String(own(scheme, "type")) };
    for (const key of ["scheme", "in", "name"] as const) {
      const value = own(scheme, key);
      if (typeof value === "string") entry[key] = key === "scheme" ? value.toLowerCase() : value;
    }
    const credential = own(scheme, "x-esign-credential");
    if (credential !== undefined) {
      if (typeof credential !== "string") throw new Error(`securitySchemes.${name}: x-esign-credential must name a client option`);
      entry.credential = credential;
    }
    const password = own(scheme, "x-esign-password");
    if (password !== undefined) {
      if (typeof password !== "string") throw new Error(`securitySchemes.${name}: x-esign-password must be a string`);
      entry.password = password;
    }
    define(schemes as Json, name, entry);
  }
  return schemes;
}

function securityOf(value: unknown, schemes: Record<string, SecuritySchemeEntry>, where: string): string[][] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`${where}: security must be a list`);
  return value.map((requirement: Json) => {
    const names = Object.keys(requirement ?? {});
    for (const n of names) if (!Object.hasOwn(schemes, n)) throw new Error(`${where}: security names ${n}, which is not a security scheme`);
    return names;
  });
}

function serversOf(doc: Json): ServerEntry[] {
  return ((doc.servers as Json[] | undefined) ?? []).map((server, i) => {
    const entry: ServerEntry = { url: String(own(server, "url")) };
    const name = own(server, "x-esign-name");
    if (name !== undefined) {
      if (typeof name !== "string") throw new Error(`servers[${i}]: x-esign-name must be a string`);
      entry.name = name;
    }
    const variables = own(server, "variables") as Json | undefined;
    if (variables) {
      entry.variables = {};
      for (const [v, spec] of Object.entries(variables)) {
        const def = own(spec, "default");
        const values = own(spec, "enum");
        entry.variables[v] = { default: String(def), ...(Array.isArray(values) ? { enum: values.map(String) } : {}) };
      }
    }
    return entry;
  });
}

function providerOf(doc: Json): Json {
  const raw = own(doc, "x-esign-provider");
  if (raw === undefined) return {};
  if (!raw || typeof raw !== "object") throw new Error("x-esign-provider must be an object");
  return raw as Json;
}

/** The display name used in type names: `x-esign-provider.name`, else the provider with a capital. */
function titleOf(doc: Json, provider: string): string {
  const name = own(providerOf(doc), "name");
  if (name !== undefined && (typeof name !== "string" || !IDENTIFIER.test(name))) {
    throw new Error("x-esign-provider.name must be an identifier (it prefixes type names)");
  }
  return (name as string | undefined) ?? provider.charAt(0).toUpperCase() + provider.slice(1);
}

/** The success responses' content: media types and the first JSON schema. */
export function successOf(doc: Json, op: Json): { media: string[]; schema: unknown } {
  const media = new Set<string>();
  let schema: unknown;
  for (const [status, raw] of Object.entries((own(op, "responses") as Json | undefined) ?? {})) {
    if (!/^2/.test(status)) continue;
    const res = resolveRef<Json>(doc, raw);
    for (const [m, content] of Object.entries((own(res, "content") as Json | undefined) ?? {})) {
      media.add(m);
      if (schema === undefined && m.includes("json")) schema = own(content, "schema");
    }
  }
  return { media: [...media], schema };
}

/** The schema of the request body's first media type: the one the client sends. */
export function requestBodySchema(doc: Json, op: Json): unknown {
  const content = (own(resolveRef<Json | undefined>(doc, own(op, "requestBody")), "content") as Json | undefined) ?? {};
  const first = Object.keys(content)[0];
  return first ? own(own(content, first), "schema") : undefined;
}

export function buildApi(doc: Json, provider: string): ApiEntry {
  const meta = providerOf(doc);
  const schemes = securitySchemes(doc);
  const topSecurity = securityOf(doc.security, schemes, "the document");
  const operations: Record<string, OperationEntry> = {};
  const byName = new Map<string, string>();
  const usedSchemas = new Set<string>();
  const paths = (doc.paths as Json | undefined) ?? {};
  const defaults = own(meta, "defaultParams") as Record<string, string> | undefined;

  const claim = (name: string, id: string, where: string) => {
    const other = byName.get(name);
    if (other !== undefined) {
      throw new Error(`${where}: its method ${name} is also the method of ${other}; give one of them another x-esign-method`);
    }
    byName.set(name, id);
  };

  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolveRef<Json>(doc, rawItem);
    const shared = ((own(item, "parameters") as unknown[]) ?? []).map((p) => resolveRef<Json>(doc, p));
    for (const method of METHODS) {
      const op = own(item, method) as Json | undefined;
      if (!op) continue;
      const id = own(op, "operationId");
      if (typeof id !== "string" || id === "") throw new Error(`${method.toUpperCase()} ${path} has no operationId`);
      const where = `operation ${id} (${method.toUpperCase()} ${path})`;
      if (Object.hasOwn(operations, id)) throw new Error(`operationId ${id} is used twice`);
      // Operation-level parameters override path-level ones with the same name and location.
      const rawParams = new Map<string, Json>();
      for (const p of [...shared, ...((own(op, "parameters") as unknown[]) ?? []).map((p) => resolveRef<Json>(doc, p))]) {
        rawParams.set(`${own(p, "in")}:${own(p, "name")}`, p);
      }
      const params: ParamEntry[] = [];
      for (const p of rawParams.values()) {
        const location = own(p, "in");
        if (location === "cookie") throw new Error(`${where}: cookie parameters are not supported`);
        if (location !== "path" && location !== "query" && location !== "header") continue;
        const name = String(own(p, "name"));
        const entry: ParamEntry = { name, in: location };
        if (own(p, "required") === true || location === "path") entry.required = true;
        const schema = compactSchema(doc, own(p, "schema"), usedSchemas, `${where} parameter ${name}`);
        if (schema) entry.schema = schema;
        const alias = own(p, "x-esign-input-name");
        if (alias !== undefined) {
          if (typeof alias !== "string" || !IDENTIFIER.test(alias)) throw new Error(`${where}: x-esign-input-name of ${name} must be an identifier`);
          entry.input = alias;
        }
        params.push(entry);
      }

      const body = own(op, "requestBody") ? resolveRef<Json>(doc, own(op, "requestBody")) : undefined;
      const media = Object.keys((own(body, "content") as Json | undefined) ?? {});
      const bodySchema = requestBodySchema(doc, op);
      let bodyEntry: BodyEntry | undefined;
      if (body) {
        bodyEntry = {
          media,
          required: own(body, "required") === true,
          fields: bodySchema ? objectFields(doc, bodySchema) : null,
        };
        const schema = compactSchema(doc, bodySchema, usedSchemas, `${where} request body`);
        if (schema) bodyEntry.schema = schema;
        const secrets = bodySchema ? secretPointers(doc, bodySchema, "", new Set()) : [];
        if (secrets.length > 0) bodyEntry.secrets = secrets;
        const maxBytes = own(body, "x-esign-max-bytes");
        if (maxBytes !== undefined) {
          if (typeof maxBytes !== "number" || !Number.isInteger(maxBytes) || maxBytes < 1) throw new Error(`${where}: x-esign-max-bytes must be a positive integer`);
          bodyEntry.maxBytes = maxBytes;
        }
      }
      const credentials = own(op, "x-esign-body-credentials");
      if (credentials !== undefined) {
        if (!bodyEntry?.fields) throw new Error(`${where}: x-esign-body-credentials needs an object request body`);
        for (const [field, option] of Object.entries(credentials as Json)) {
          if (!bodyEntry.fields.includes(field)) throw new Error(`${where}: x-esign-body-credentials names ${field}, which is not a body field`);
          if (typeof option !== "string") throw new Error(`${where}: x-esign-body-credentials.${field} must name a client option`);
        }
        bodyEntry.credentials = credentials as Record<string, string>;
      }

      const success = successOf(doc, op);
      const response: ResponseEntry = { media: success.media };
      const secrets = success.schema ? secretPointers(doc, success.schema, "", new Set()) : [];
      if (secrets.length > 0) response.secrets = secrets;
      const unwrap = own(op, "x-esign-unwrap");
      if (unwrap !== undefined) {
        if (typeof unwrap !== "string" || schemaAt(doc, success.schema, unwrap) === undefined) {
          throw new Error(`${where}: x-esign-unwrap must point at a part of the success response`);
        }
        response.unwrap = unwrap;
      }

      const explicit = own(op, "x-idempotent");
      const entry: OperationEntry = {
        name: methodName(op, id, where),
        method,
        path,
        params,
        ...(bodyEntry ? { body: bodyEntry } : {}),
        response,
        idempotent: typeof explicit === "boolean" ? explicit : IDEMPOTENT_METHODS.has(method),
        security: own(op, "security") !== undefined ? securityOf(own(op, "security"), schemes, where) : topSecurity,
      };
      const pagination = paginationOf(doc, op, params, rawParams, success.schema, where);
      if (pagination) entry.pagination = pagination;
      const bulk = bulkOf(doc, op, bodySchema, success.schema, where);
      if (bulk) entry.bulk = bulk;
      if (defaults) {
        for (const param of Object.keys(defaults)) {
          if (path.includes(`{${param}}`) && !params.some((p) => p.in === "path" && p.name === param)) {
            throw new Error(`${where}: ${param} is in the path but not a parameter`);
          }
        }
      }
      claim(entry.name, id, where);
      if (pagination) claim(`${entry.name}Page`, id, where);
      define(operations as Json, id, entry);
    }
  }
  for (const name of byName.keys()) {
    const [namespace] = name.split(".");
    if (name.includes(".") && byName.has(namespace as string)) {
      throw new Error(`the method ${namespace} of ${byName.get(namespace as string)} has the name of a namespace`);
    }
    if (namespace === "raw") throw new Error(`${byName.get(name)}: "raw" is taken by the openapi-fetch client`);
  }

  const schemas: Record<string, CompactSchema> = {};
  collectSchemas(doc, usedSchemas, schemas);
  const errors = own(meta, "errors") as Json | undefined;
  const api: ApiEntry = {
    provider,
    title: titleOf(doc, provider),
    servers: serversOf(doc),
    securitySchemes: schemes,
    security: topSecurity,
    schemas,
    operations,
  };
  const serverOption = own(meta, "serverOption");
  if (serverOption !== undefined) {
    if (typeof serverOption !== "string") throw new Error("x-esign-provider.serverOption must name a client option");
    if (!api.servers.every((s) => s.name)) throw new Error("x-esign-provider.serverOption needs an x-esign-name on every server");
    api.serverOption = serverOption;
  }
  if (errors) {
    api.errors = {};
    if (own(errors, "code") !== undefined) api.errors.code = stringList(own(errors, "code"), "x-esign-provider.errors.code");
    if (own(errors, "message") !== undefined) api.errors.message = stringList(own(errors, "message"), "x-esign-provider.errors.message");
  }
  const requestIdHeaders = own(meta, "requestIdHeaders");
  if (requestIdHeaders !== undefined) api.requestIdHeaders = stringList(requestIdHeaders, "x-esign-provider.requestIdHeaders");
  const rateLimit = own(meta, "rateLimit");
  if (rateLimit !== undefined) api.rateLimit = rateLimit as Json;
  if (defaults !== undefined) api.defaults = defaults;
  return api;
}

const DOC_ONLY_KEYS = new Set(["description", "summary", "example", "examples", "externalDocs"]);

/**
 * The spec as the sandbox needs it: every rule kept, prose and examples dropped
 * (they are most of the bytes). A property *named* `description` inside a
 * `properties` map is data, not prose, and stays. `x-esign-require-any` becomes
 * the JSON Schema that says the same (`anyOf` of `required`), so the sandbox's
 * validator enforces the very rule the client checks.
 */
export function stripDocumentation(node: unknown, inPropertiesMap = false): unknown {
  if (Array.isArray(node)) return node.map((n) => stripDocumentation(n));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node as Json)) {
    if (!inPropertiesMap && DOC_ONLY_KEYS.has(key)) continue;
    if (!inPropertiesMap && key === "x-esign-require-any" && Array.isArray(value)) {
      const anyOf = value.map((field) => ({ required: [field] }));
      const existing = own(node, "allOf");
      define(out, "allOf", [...(Array.isArray(existing) ? (stripDocumentation(existing) as unknown[]) : []), { anyOf }]);
      continue;
    }
    if (!inPropertiesMap && key === "allOf" && own(node, "x-esign-require-any") !== undefined) continue;
    define(out, key, stripDocumentation(value, !inPropertiesMap && key === "properties"));
  }
  return out;
}
