/**
 * The test that cannot drift: for every operation of every spec, inputs that break
 * each rule the spec states are derived from the spec itself, and
 *
 * - the client refuses each one before any request, naming the field and the rule;
 * - the sandbox (which validates from the same spec) refuses the same input sent
 *   raw, in the provider's own error format;
 * - one valid input per operation is accepted by both.
 *
 * Nothing here lists a field or a rule: add a constraint to a spec, regenerate, and
 * it is tested.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type ApiDefinition,
  findProblem,
  type OperationDescriptor,
  pointerErrorParser,
  type ProviderErrorParser,
  type SchemaMap,
  type SchemaNode,
  ValidationError,
} from "@esign-users/runtime";
import { type ProviderName, providers, type Sandbox, startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildApi } from "../lib/operations.ts";
import { listSpecs, repoRoot } from "../lib/specs.ts";

type Json = Record<string, unknown>;
type RawResult = { response: Response; error?: unknown; data?: unknown };
type AnyClient = Record<string, unknown> & { raw: Record<string, (path: string, init: Json) => Promise<RawResult>> };

interface Target {
  spec: string;
  sandbox: ProviderName;
  /** The client's generated definition, for its error pointers. */
  api: ApiDefinition;
  client(sb: Sandbox<object>): AnyClient;
  parseError: ProviderErrorParser;
}

const quiet = { rateLimit: false, maxRetries: 0 } as const;

/**
 * Every spec, with the sandbox that serves it (the one whose spec has the same title and
 * version) and the client generated from it: `@esign-users/<provider>`, or its
 * `/<version>` entry where the package has one. The client is the entry's
 * `create…Client`; its error parser is the entry's `parse…Error` where a provider needs
 * its own (QuicklySign), else the spec's error pointers.
 */
async function targetOf(spec: ReturnType<typeof listSpecs>[number]): Promise<Target> {
  const doc = parse(readFileSync(spec.file, "utf8")) as { info: { title: string; version: string } };
  const sandbox = (Object.keys(providers) as ProviderName[]).find((name) => {
    const info = (providers[name].spec as { info?: { title?: string; version?: string } }).info;
    return info?.title === doc.info.title && info?.version === doc.info.version;
  });
  if (!sandbox) throw new Error(`${spec.relFile}: no sandbox serves it`);
  const pkg = `@esign-users/${spec.provider}`;
  const manifest = JSON.parse(readFileSync(join(repoRoot, "packages", spec.provider, "package.json"), "utf8")) as { exports: Record<string, unknown> };
  const entry = spec.version && manifest.exports[`./${spec.version}`] ? `${pkg}/${spec.version}` : pkg;
  const mod = (await import(entry)) as Record<string, unknown> & { api: ApiDefinition };
  const create = Object.entries(mod).find(([k, v]) => /^create\w+Client$/.test(k) && typeof v === "function")?.[1] as (o: object) => AnyClient;
  const parser = Object.entries(mod).find(([k, v]) => /^parse\w+Error$/.test(k) && typeof v === "function")?.[1] as ProviderErrorParser | undefined;
  return {
    spec: spec.name,
    sandbox,
    api: mod.api,
    client: (sb) => create({ ...(sb.credentials as object), baseUrl: sb.url, ...quiet }),
    parseError: parser ?? pointerErrorParser(mod.api.errors),
  };
}
const targets: Target[] = await Promise.all(listSpecs().map(targetOf));

// ---- valid values, from the spec's examples where it has them, else made to fit ----

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
const STRING_CANDIDATES = ["drift", "Drift Check", "a1", "1", "42", "+27821234567", "abc-123", "X"];

function deref(schema: SchemaNode | undefined, schemas: SchemaMap): SchemaNode | undefined {
  let node = schema;
  for (let i = 0; node && typeof node.$ref === "string" && i < 32; i++) node = schemas[node.$ref];
  return node;
}

function fits(schema: SchemaNode | undefined, value: unknown, schemas: SchemaMap): boolean {
  return findProblem(schema, value, "", schemas) === undefined;
}

function synth(schema: SchemaNode | undefined, schemas: SchemaMap, example?: unknown): unknown {
  if (example !== undefined && fits(schema, example, schemas)) return example;
  const node = deref(schema, schemas);
  if (!node) return "drift";
  if (node.const !== undefined) return node.const;
  if (Array.isArray(node.enum)) return node.enum[0];
  for (const key of ["anyOf", "oneOf"] as const) {
    for (const option of (node[key] as SchemaNode[] | undefined) ?? []) {
      const value = synth(option, schemas);
      if (fits(node, value, schemas)) return value;
    }
  }
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? (node.type as string[]) : [node.type as string];
  const type = types.find((t) => t !== "null") ?? (node.properties || node.allOf ? "object" : node.items ? "array" : "string");
  if (type === "object" || node.allOf) {
    const out: Json = {};
    for (const part of (node.allOf as SchemaNode[] | undefined) ?? []) Object.assign(out, synth(part, schemas) as Json);
    const properties = (node.properties as Record<string, SchemaNode> | undefined) ?? {};
    const wanted = new Set<string>((node.required as string[] | undefined) ?? []);
    const any = node.requireAny as string[] | undefined;
    if (any?.[0]) wanted.add(any[0]);
    if (typeof node.minProperties === "number") for (const name of Object.keys(properties).slice(0, node.minProperties)) wanted.add(name);
    for (const name of wanted) out[name] = synth(properties[name], schemas);
    if (typeof node.minProperties === "number" && Object.keys(out).length < node.minProperties && node.additionalProperties) {
      out.k1 = synth(node.additionalProperties as SchemaNode, schemas);
    }
    return out;
  }
  if (type === "array") return Array.from({ length: Math.max(1, Number(node.minItems ?? 1)) }, () => synth(node.items as SchemaNode, schemas));
  if (type === "integer" || type === "number") {
    const low = typeof node.minimum === "number" ? node.minimum : typeof node.exclusiveMinimum === "number" ? node.exclusiveMinimum + 1 : 1;
    return typeof node.maximum === "number" ? Math.min(low, node.maximum) : low;
  }
  if (type === "boolean") return true;
  const formats: Record<string, string> = {
    email: "drift@example.com",
    uuid: "3f1c1d5e-0000-4000-8000-000000000001",
    uri: "https://example.com/drift",
    "date-time": "2024-01-01T00:00:00Z",
    date: "2024-01-01",
  };
  const format = typeof node.format === "string" ? formats[node.format] : undefined;
  for (const candidate of [format, ...STRING_CANDIDATES, "a".repeat(Number(node.minLength ?? 1))]) {
    if (candidate !== undefined && fits(node, candidate, schemas)) return candidate;
  }
  throw new Error(`cannot make a value for ${JSON.stringify(node)}`);
}

// ---- breaking one rule at a time ----

interface Breach {
  /** The field, as the client names it (a prefix of it when `loose`). */
  field: string;
  rule: string;
  /**
   * Broken inside one alternative of an anyOf, or in a key: the client names the
   * place and may report another alternative's rule.
   */
  loose?: boolean;
  /** The whole flat input, with the one rule broken. */
  input: Json;
  /** Whether the breach can travel in a request at all (a missing path parameter cannot). */
  sendable: boolean;
}

const setAt = (root: Json, path: (string | number)[], value: unknown): Json => {
  const copy = structuredClone(root);
  let node: Json = copy;
  for (const key of path.slice(0, -1)) node = node[key as string] as Json;
  const last = path.at(-1) as string;
  if (value === DELETE) delete node[last];
  else node[last] = value;
  return copy;
};
const DELETE = Symbol("delete");
const fieldName = (path: (string | number)[]) =>
  path.reduce<string>((out, key) => (typeof key === "number" ? `${out}[${key}]` : out === "" ? key : `${out}.${key}`), "");

/** Values that break `rule` of `node` and nothing checked before it. */
function breakers(node: SchemaNode, rule: string, valid: unknown, schemas: SchemaMap, isParam: boolean): unknown[] {
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? (node.type as string[]) : [node.type as string];
  switch (rule) {
    case "type":
      // A query string or a form carries only text: a string has no other type on the wire,
      // and one value of a repeated parameter is a list of one.
      if (isParam && (types.includes("string") || types.includes("array"))) return [];
      return isParam ? ["not-a-number", "maybe"] : [12345, "text", true, { wrong: 1 }, [1]];
    case "enum":
      return ["not-in-the-enum", 987654];
    case "const":
      return ["not-the-constant", 987654];
    case "minLength":
      return ["a".repeat(Math.max(0, (node.minLength as number) - 1))];
    case "maxLength":
      return ["a".repeat((node.maxLength as number) + 1)];
    case "pattern":
      return ["", " ", "!", "a b", "abc", "0", "-", "x".repeat(30)];
    case "format":
      return ["not an address or id", "no@", "12"];
    case "minimum":
      return [(node.minimum as number) - 1];
    case "maximum":
      return [(node.maximum as number) + 1];
    case "minItems":
      return [Array.from({ length: (node.minItems as number) - 1 }, () => synth(node.items as SchemaNode, schemas))];
    case "maxItems":
      return [Array.from({ length: (node.maxItems as number) + 1 }, (_, i) => uniqueItem(node.items as SchemaNode, schemas, i))];
    case "maxProperties": {
      const base = valid && typeof valid === "object" ? (valid as Json) : {};
      const extra = Object.fromEntries(Array.from({ length: (node.maxProperties as number) + 1 }, (_, i) => [`k${i}`, synth(node.additionalProperties as SchemaNode, schemas)]));
      return [{ ...base, ...extra }];
    }
    case "minProperties":
      return [{}];
    default:
      return [];
  }
}

function uniqueItem(schema: SchemaNode, schemas: SchemaMap, i: number): unknown {
  const item = synth(schema, schemas);
  if (item && typeof item === "object") {
    const copy = { ...(item as Json) };
    for (const [k, v] of Object.entries(copy)) if (typeof v === "string" && v.includes("@")) copy[k] = `u${i}.${v}`;
    return copy;
  }
  return item;
}

const VALUE_RULES = ["type", "enum", "const", "minLength", "maxLength", "pattern", "format", "minimum", "maximum", "minItems", "maxItems", "minProperties", "maxProperties"];

/** Every way to break one rule of `schema` at `path` inside `input`. */
function breaches(
  schema: SchemaNode | undefined,
  schemas: SchemaMap,
  input: Json,
  path: (string | number)[],
  value: unknown,
  isParam: boolean,
  out: Breach[],
  loose = false,
): void {
  const node = deref(schema, schemas);
  if (!node) return;
  for (const rule of VALUE_RULES) {
    if (node[rule] === undefined || (rule === "type" && node.type === undefined)) continue;
    if (rule === "format" && !["email", "uuid", "uri", "date-time", "date"].includes(node.format as string)) continue;
    const candidate = breakers(node, rule, value, schemas, isParam).find((v) => findProblem(node, v, "", schemas)?.rule === rule);
    if (candidate === undefined) continue;
    if (path.length === 0) {
      // The flat body as a whole: only "too few fields" can be said of it.
      if (rule !== "minProperties") continue;
      let without = input;
      for (const name of Object.keys((value as Json) ?? {})) without = setAt(without, [name], DELETE);
      out.push({ field: "", rule, input: without, sendable: true });
      continue;
    }
    out.push({ field: fieldName(path), rule, input: setAt(input, path, candidate), sendable: true, loose });
  }
  for (const part of (node.allOf as SchemaNode[] | undefined) ?? []) breaches(part, schemas, input, path, value, isParam, out, loose);
  for (const key of ["anyOf", "oneOf"] as const) {
    // Rules inside the alternative the valid value takes (a nullable object's own rules).
    const option = ((node[key] as SchemaNode[] | undefined) ?? []).find((o) => fits(o, value, schemas) && deref(o, schemas)?.type !== "null");
    if (option) breaches(option, schemas, input, path, value, isParam, out, true);
  }
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const record = value as Json;
    const properties = (node.properties as Record<string, SchemaNode> | undefined) ?? {};
    for (const name of (node.required as string[] | undefined) ?? []) {
      out.push({ field: fieldName([...path, name]), rule: "required", input: setAt(input, [...path, name], DELETE), sendable: true });
    }
    const any = node.requireAny as string[] | undefined;
    if (any) {
      let without = input;
      for (const name of any) without = setAt(without, [...path, name], DELETE);
      out.push({ field: fieldName([...path, any[0] as string]), rule: "requireAny", input: without, sendable: true });
    }
    if (node.additionalProperties === false) {
      out.push({ field: fieldName([...path, "unexpected_field"]), rule: "additionalProperties", input: setAt(input, [...path, "unexpected_field"], "x"), sendable: true });
    }
    const names = node.propertyNames as SchemaNode | undefined;
    if (names && node.additionalProperties && typeof names.maxLength === "number") {
      out.push({ field: fieldName(path), rule: "maxLength", input: setAt(input, [...path, "k".repeat(names.maxLength + 1)], synth(node.additionalProperties as SchemaNode, schemas)), sendable: true, loose: true });
    }
    for (const [name, sub] of Object.entries(record)) {
      const propSchema = properties[name] ?? (typeof node.additionalProperties === "object" ? (node.additionalProperties as SchemaNode) : undefined);
      if (propSchema) breaches(propSchema, schemas, input, [...path, name], sub, isParam, out, loose);
    }
  }
  if (Array.isArray(value) && value.length > 0 && node.items) breaches(node.items as SchemaNode, schemas, input, [...path, 0], value[0], isParam, out, loose);
}

// ---- the spec's own examples ----

function specExamples(spec: string): (op: OperationDescriptor) => { params: Json; body: unknown } {
  const doc = parse(readFileSync(join(repoRoot, "specs", `${spec}.yaml`), "utf8")) as Json;
  const resolve = (node: unknown): Json => {
    let current = node as Json;
    for (let i = 0; current && typeof current.$ref === "string" && i < 16; i++) {
      current = (current.$ref as string).slice(2).split("/").reduce<Json>((n, k) => n[k] as Json, doc);
    }
    return current;
  };
  return (op) => {
    const item = resolve((doc.paths as Json)[op.path]);
    const operation = resolve(item[op.method]);
    const params: Json = {};
    for (const p of [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])].map(resolve)) {
      if (p.example !== undefined) params[p.name as string] = p.example;
    }
    const content = resolve(operation.requestBody)?.content as Json | undefined;
    const media = content ? (Object.values(content)[0] as Json) : undefined;
    const body = media?.examples ? (Object.values(media.examples as Json)[0] as Json).value : media?.example;
    return { params, body };
  };
}

// ---- the checks ----

describe.each(targets)("$spec: every rule of every operation, on both sides", (target) => {
  let sb: Sandbox<object>;
  let client: AnyClient;
  const examples = specExamples(target.spec);
  // The rules come from the spec as it is now, not from the client's generated copy: a
  // stale or hand-edited copy fails here.
  const api = buildApi(parse(readFileSync(join(repoRoot, "specs", `${target.spec}.yaml`), "utf8")), target.sandbox) as unknown as ApiDefinition;
  const schemas = api.schemas;

  beforeAll(async () => {
    sb = (await startSandbox({ provider: target.sandbox })) as unknown as Sandbox<object>;
    client = target.client(sb);
  });
  afterAll(() => sb?.close());

  const methodOf = (op: OperationDescriptor) => {
    const [namespace, name] = op.name.includes(".") ? op.name.split(".") : ["", op.name];
    const holder = (namespace ? client[namespace as string] : client) as Record<string, (input: Json) => Promise<unknown>>;
    return holder[`${name}${op.pagination ? "Page" : ""}`] as (input: Json) => Promise<unknown>;
  };

  /** A valid flat input: the spec's examples where they fit, values made to fit elsewhere; client-filled parts left out. */
  const validInput = (op: OperationDescriptor): Json => {
    const { params: exampleParams, body } = examples(op);
    const input: Json = {};
    const defaulted = new Set(Object.keys(api.defaults ?? {}));
    for (const p of op.params) {
      if (p.in === "path" && defaulted.has(p.name)) continue;
      if (!p.required && exampleParams[p.name] === undefined) continue;
      input[p.input ?? p.name] = synth(p.schema, schemas, exampleParams[p.name]);
    }
    if (op.body) {
      const credentials = new Set(Object.keys(op.body.credentials ?? {}));
      const value = op.body.fields === null ? synth(op.body.schema, schemas, body) : synth(op.body.schema, schemas, stripCredentials(body, credentials));
      if (op.body.fields === null) input.body = op.body.media.some((m) => m.startsWith("image/")) ? PNG : value;
      else for (const [k, v] of Object.entries((value as Json) ?? {})) if (!credentials.has(k)) input[k] = v;
    }
    return input;
  };

  const operations = Object.entries(api.operations);

  it.each(operations.map(([id]) => id))("%s: a valid input passes the client and the sandbox's checks", async (id) => {
    const op = api.operations[id] as OperationDescriptor;
    const input = validInput(op);
    const before = sb.requests.length;
    const outcome = await callMethod(op, input).catch((e: unknown) => e);
    expect(outcome, `${id} ${JSON.stringify(input).slice(0, 300)}`).not.toBeInstanceOf(ValidationError);
    const sent = sb.requests.slice(before).find((r) => r.operationId === id);
    expect(sent, `${id} reached the sandbox`).toBeDefined();
    expect(sent?.problems, `${id}: ${JSON.stringify(sent?.problems)}`).toEqual([]);
  });

  it.each(operations.map(([id]) => id))("%s: every rule the spec states is refused by the client, and by the sandbox sent raw", async (id) => {
    const op = api.operations[id] as OperationDescriptor;
    const input = validInput(op);
    const found: Breach[] = [];
    for (const p of op.params) {
      const key = p.input ?? p.name;
      if (p.required && !(p.in === "path" && api.defaults?.[p.name])) {
        found.push({ field: key, rule: "required", input: setAt(input, [key], DELETE), sendable: p.in !== "path" });
      }
      const start = found.length;
      if (input[key] !== undefined) breaches(p.schema, schemas, input, [key], input[key], true, found);
      else if (p.schema) {
        // An optional parameter the valid input leaves out: break it on its own.
        const value = synth(p.schema, schemas);
        breaches(p.schema, schemas, { ...input, [key]: value }, [key], value, true, found);
      }
      // What a URL cannot say: an empty path segment, or an empty list (no parameter at all).
      for (const breach of found.slice(start)) {
        const value = breach.input[key];
        if ((p.in === "path" && value === "") || (Array.isArray(value) && value.length === 0)) breach.sendable = false;
      }
    }
    if (op.body?.schema && op.body.fields !== null) {
      const credentials = new Set(Object.keys(op.body.credentials ?? {}));
      const flatBody = Object.fromEntries(Object.entries(input).filter(([k]) => op.body?.fields?.includes(k)));
      const before = found.length;
      // A form carries only text, like a query string.
      const text = op.body.media[0] === "application/x-www-form-urlencoded";
      breaches(op.body.schema, schemas, input, [], flatBody, text, found);
      // Fields the client fills from its credentials cannot go missing from a call, and a
      // body field named like a parameter (DocuSign's userId) is the parameter in a flat input.
      const params = new Set(op.params.map((p) => p.input ?? p.name));
      for (let i = found.length - 1; i >= before; i--) {
        const top = found[i]?.field.split(/[.[]/)[0] ?? "";
        if (credentials.has(top) || params.has(top)) found.splice(i, 1);
      }
      // A nested body field's breach is found from the whole input; keep the parameters out of it.
    } else if (op.body?.schema && op.body.fields === null && !op.body.media.some((m) => m.startsWith("image/"))) {
      breaches(op.body.schema, schemas, input, ["body"], input.body, false, found);
    }
    if (op.body?.maxBytes !== undefined) {
      found.push({ field: "body", rule: "maxBytes", input: { ...input, body: new Uint8Array(op.body.maxBytes + 1).fill(1, 0).map((_, i) => PNG[i] ?? 0) }, sendable: false });
    }
    // Every operation, one without any input included: a key it does not take is refused.
    found.push({ field: "driftUnknownKey", rule: "unknown", input: { ...input, driftUnknownKey: "x" }, sendable: false });
    for (const breach of found) {
      const what = `${id} ${breach.field} ${breach.rule}`;
      const before = sb.requests.length;
      const error = await callMethod(op, breach.input).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, what).toBeInstanceOf(ValidationError);
      const refused = error as ValidationError;
      if (breach.loose) expect(refused.field?.startsWith(breach.field), `${what}: named ${refused.field}`).toBe(true);
      else {
        expect(refused.field, what).toBe(breach.field === "" ? refused.field : breach.field);
        const topLevelUnknown = breach.rule === "additionalProperties" && !/[.[]/.test(breach.field);
        expect(refused.rule, what).toBe(topLevelUnknown ? "unknown" : breach.rule);
      }
      expect(sb.requests.length, `${what}: nothing sent`).toBe(before);
      if (!breach.sendable) continue;
      const { response, error: failure, data } = await sendRaw(op, breach.input);
      const seen = sb.requests.at(-1);
      expect(seen?.operationId, what).toBe(id);
      // The sandbox saw the breach; or (a path naming another account) refused the
      // request before checking it, as the provider does: credentials come first.
      if (seen?.problems !== undefined) {
        expect(seen.problems.length, `${what}: the sandbox saw the breach (${JSON.stringify(breach.input).slice(0, 200)})`).toBeGreaterThan(0);
      }
      // A 4xx, or (QuicklySign's always_use_http_status_code_200) a 200 whose body is the failure.
      const body = failure ?? data;
      if (response.status === 200) expect(JSON.stringify(body), what).toMatch(/"status_code":4\d\d/);
      else {
        expect(response.status, what).toBeGreaterThanOrEqual(400);
        expect(response.status, what).toBeLessThan(500);
      }
      expect(target.parseError(body), `${what}: the provider's own error body`).toBeDefined();
    }
    expect(found.length, `${id}: rules found`).toBeGreaterThan(0);
  });

  async function callMethod(op: OperationDescriptor, input: Json): Promise<unknown> {
    const method = methodOf(op);
    if (op.name === "profileImage.put") {
      const { body, ...rest } = input;
      return method({ ...rest, image: body });
    }
    return method(input);
  }

  /** The same input through the raw client: no checks, the same credentials. */
  async function sendRaw(op: OperationDescriptor, input: Json) {
    const params: { path: Json; query: Json; header: Json } = { path: {}, query: {}, header: {} };
    const body: Json = {};
    for (const p of op.params) {
      const key = p.input ?? p.name;
      const value = input[key] ?? (p.in === "path" ? (sb.credentials as Json)[api.defaults?.[p.name] ?? ""] : undefined);
      if (value !== undefined) params[p.in][p.name] = value;
    }
    for (const [k, v] of Object.entries(input)) if (!op.params.some((p) => (p.input ?? p.name) === k) && k !== "body") body[k] = v;
    for (const [field, option] of Object.entries(op.body?.credentials ?? {})) {
      if (body[field] === undefined) body[field] = (sb.credentials as Json)[option];
    }
    const init: Json = { params };
    if (op.body) init.body = op.body.fields === null ? input.body : body;
    const raw = client.raw[op.method.toUpperCase()] as (path: string, init: Json) => Promise<RawResult>;
    return raw(op.path, init);
  }
});

function stripCredentials(body: unknown, credentials: Set<string>): unknown {
  if (!body || typeof body !== "object" || Array.isArray(body)) return body;
  return Object.fromEntries(Object.entries(body as Json).filter(([k]) => !credentials.has(k)));
}
