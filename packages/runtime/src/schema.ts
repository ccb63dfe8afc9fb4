/**
 * Checks a value against the JSON Schema subset the generator keeps from a spec
 * (see `CompactSchema` in scripts/lib/operations.ts): the rules a provider would
 * refuse a request for, checked before the request is sent. It stops at the first
 * problem, which names where it is and which rule it breaks. (It is on every
 * client's path, so it is written to stay small in bundles.)
 */

import { isBinaryBody } from "./body.js";

/** A spec schema as generated: JSON Schema keywords, `$ref` naming an entry of the spec's `schemas`. */
export type SchemaNode = { readonly [keyword: string]: unknown };
export type SchemaMap = { readonly [name: string]: SchemaNode };

export interface SchemaProblem {
  /** Where, in the caller's terms: `user_email`, `newUsers[2].email`, `metaData.Office`. */
  path: string;
  /** The keyword broken: `required`, `type`, `pattern`, `format`, `maxLength`, `requireAny`, … */
  rule: string;
  /** What is wrong, as a sentence fragment after the path. */
  message: string;
}

type Check = (value: string) => boolean;

interface Keywords {
  readonly [keyword: string]: unknown;
  $ref: string;
  type: string | string[];
  const: unknown;
  enum: unknown[];
  minLength: number;
  maxLength: number;
  pattern: string;
  format: string;
  minimum: number;
  maximum: number;
  exclusiveMinimum: number;
  exclusiveMaximum: number;
  multipleOf: number;
  minItems: number;
  maxItems: number;
  uniqueItems: boolean;
  minProperties: number;
  maxProperties: number;
  items: SchemaNode;
  propertyNames: SchemaNode;
  additionalProperties: SchemaNode | false;
  not: SchemaNode;
}

// Email addresses as providers accept them: a dotted local part and a host name of at
// least two labels (non-ASCII addresses are refused by the providers here).
const EMAIL = /^[\w!#$%&'*+/=?^`{|}~-]+(\.[\w!#$%&'*+/=?^`{|}~-]+)*@([A-Za-z\d]([A-Za-z\d-]{0,61}[A-Za-z\d])?\.)+[A-Za-z\d]([A-Za-z\d-]{0,61}[A-Za-z\d])?$/;
const isDate = (v: string) => !Number.isNaN(Date.parse(v));

const FORMATS: Record<string, [Check, string]> = {
  email: [(v) => v.length < 255 && EMAIL.test(v), "an email address"],
  uuid: [(v) => /^[\da-f]{8}-([\da-f]{4}-){3}[\da-f]{12}$/i.test(v), "a UUID"],
  date: [(v) => /^\d{4}-\d\d-\d\d$/.test(v) && isDate(v), "a date (YYYY-MM-DD)"],
  "date-time": [(v) => /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/i.test(v) && isDate(v), "a date and time (ISO 8601)"],
  uri: [(v) => /^[a-z][\w+.-]*:\S+$/i.test(v), "an absolute URI"],
};

const WORDS: Record<string, string> = { null: "null", boolean: "a boolean", string: "a string", integer: "an integer", number: "a number", array: "an array", object: "an object" };

function typeOf(value: unknown): string {
  return value === null
    ? "null"
    : Array.isArray(value)
      ? "array"
      : typeof value === "number"
        ? Number.isInteger(value)
          ? "integer"
          : "number"
        : isBinaryBody(value)
          ? "binary"
          : typeof value;
}

/** Whether a value has a JSON Schema type (an integer is also a number; NaN and infinities are neither). */
function isType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return type === "number" ? (actual === "number" || actual === "integer") && Number.isFinite(value) : actual === type;
}

// Each spec pattern is compiled once: they are checked on every call that sends the field.
const patterns = new Map<string, RegExp>();
function patternOf(source: string): RegExp {
  let compiled = patterns.get(source);
  if (!compiled) patterns.set(source, (compiled = new RegExp(source, "u")));
  return compiled;
}

const or = (items: readonly string[]) => items.join(" or ");
const show = (value: unknown) => {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
};
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** `a.b`, `a[2]`, or `a["odd key"]`, from a parent path and a child key. */
function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? (parent ? `${parent}.${key}` : key) : `${parent}[${JSON.stringify(key)}]`;
}

/**
 * The first way `value` breaks `schema`, or undefined when it satisfies it.
 * `path` names the value in the caller's terms (it starts every message).
 */
export function findProblem(
  schema: SchemaNode | undefined,
  value: unknown,
  path: string,
  schemas: SchemaMap,
  depth = 0,
): SchemaProblem | undefined {
  // Specs here nest a dozen levels at most; the limit only stops a cycle of $refs.
  if (!schema || depth > 64) return undefined;
  // Every keyword read as present: an absent bound compares false (`3 < undefined`), so
  // each rule applies exactly when the schema states it.
  const s = schema as unknown as Keywords;
  if (typeof s.$ref === "string") return findProblem(schemas[s.$ref], value, path, schemas, depth + 1);
  const at = path || "the value";
  const fail = (rule: string, message: string, where = path): SchemaProblem => ({ path: where, rule, message: `${where === path ? at : where} ${message}` });
  const next = (sub: SchemaNode | undefined, v: unknown, where: string) => findProblem(sub, v, where, schemas, depth + 1);
  const t = typeOf(value);

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((type) => isType(value, type))) return fail("type", `must be ${or(types.map((x) => WORDS[x] ?? x))} (got ${t})`);
  }
  if (s.const !== undefined && !same(s.const, value)) return fail("const", `must be ${show(s.const)}`);
  if (s.enum && !(s.enum as unknown[]).some((option) => same(option, value))) {
    return fail("enum", `must be one of ${(s.enum as unknown[]).map(show).join(", ")} (got ${show(value)})`);
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (length < s.minLength) return fail("minLength", s.minLength === 1 ? "must not be empty" : `must be at least ${s.minLength} characters (got ${length})`);
    if (length > s.maxLength) return fail("maxLength", `must be at most ${s.maxLength} characters (got ${length})`);
    if (s.pattern && !patternOf(s.pattern).test(value)) return fail("pattern", `must match the pattern ${s.pattern}`);
    const format = FORMATS[s.format];
    if (format && !format[0](value)) return fail("format", `must be ${format[1]}`);
  }
  if (typeof value === "number") {
    if (value < s.minimum) return fail("minimum", `must be at least ${s.minimum}`);
    if (value > s.maximum) return fail("maximum", `must be at most ${s.maximum}`);
    if (value <= s.exclusiveMinimum) return fail("exclusiveMinimum", `must be more than ${s.exclusiveMinimum}`);
    if (value >= s.exclusiveMaximum) return fail("exclusiveMaximum", `must be less than ${s.exclusiveMaximum}`);
    if (s.multipleOf && !Number.isInteger(value / s.multipleOf)) return fail("multipleOf", `must be a multiple of ${s.multipleOf}`);
    if (s.format === "int32" && (value < -(2 ** 31) || value >= 2 ** 31)) return fail("format", "must fit in 32 bits");
  }
  if (Array.isArray(value)) {
    if (value.length < s.minItems) return fail("minItems", s.minItems === 1 ? "must not be empty" : `must hold at least ${s.minItems} items (got ${value.length})`);
    if (value.length > s.maxItems) return fail("maxItems", `must hold at most ${s.maxItems} items (got ${value.length})`);
    if (s.uniqueItems && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) return fail("uniqueItems", "must not repeat an item");
    for (let i = 0; i < value.length; i++) {
      const found = next((s.prefixItems as SchemaNode[] | undefined)?.[i] ?? s.items, value[i], childPath(path, i));
      if (found) return found;
    }
  }
  if (t === "object") {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined);
    const properties = (s.properties ?? {}) as Record<string, SchemaNode>;
    for (const name of (s.required as string[] | undefined) ?? []) {
      if (record[name] === undefined) return fail("required", "is required", childPath(path, name));
    }
    const any = s.requireAny as string[] | undefined;
    // Named after the first of the fields, the one a caller most likely meant to send.
    if (any && !any.some((name) => record[name] !== undefined)) return { ...fail("requireAny", `needs at least one of ${or(any)}`), path: childPath(path, any[0] as string) };
    if (keys.length < s.minProperties) return fail("minProperties", s.minProperties === 1 ? "must not be empty" : `must have at least ${s.minProperties} fields`);
    if (keys.length > s.maxProperties) return fail("maxProperties", `may have at most ${s.maxProperties} fields (got ${keys.length})`);
    for (const key of keys) {
      const where = childPath(path, key);
      const sub = Object.hasOwn(properties, key) ? properties[key] : s.additionalProperties;
      if (sub === false) return fail("additionalProperties", `is not accepted (accepted: ${Object.keys(properties).join(", ")})`, where);
      const found = (s.propertyNames && next(s.propertyNames, key, `${where} (the key)`)) || next(sub, record[key], where);
      if (found) return found;
    }
  }
  for (const part of (s.allOf as SchemaNode[] | undefined) ?? []) {
    const found = next(part, value, path);
    if (found) return found;
  }
  for (const key of ["anyOf", "oneOf"]) {
    const options = s[key] as SchemaNode[] | undefined;
    if (!options) continue;
    const problems = options.map((o) => next(o, value, path));
    const passing = problems.filter((p) => !p).length;
    // The option whose type fits says the most: report its problem.
    if (!passing) return problems.find((p) => p && p.rule !== "type") ?? fail(key, "does not match any of the forms it may take");
    if (key === "oneOf" && passing > 1) return fail(key, "matches more than one of the forms it may take");
  }
  if (s.not && !next(s.not, value, path)) return fail("not", "is not allowed");
  return undefined;
}

/**
 * Parameters travel as text, so a parameter typed as a string also takes a number
 * or a boolean (sent as its text), one typed as a number takes numeric text, and
 * one value of a repeated parameter is a list of one. Returns the value as the
 * schema wants it, or the value unchanged.
 */
export function coerceParameter(schema: SchemaNode | undefined, value: unknown, schemas: SchemaMap): unknown {
  let node = schema;
  for (let i = 0; typeof node?.$ref === "string" && i < 16; i++) node = schemas[node.$ref as string];
  if (!node) return value;
  if (node.type === "array") {
    const items = Array.isArray(value) ? value : [value];
    return items.map((item) => coerceParameter(node.items as SchemaNode | undefined, item, schemas));
  }
  const types = [node.type, ...((node.anyOf ?? node.oneOf ?? []) as SchemaNode[]).map((o) => (typeof o.$ref === "string" ? schemas[o.$ref]?.type : o.type))].flat();
  if (types.some((type) => typeof type === "string" && isType(value, type))) return value;
  if (typeof value !== "string") return types.includes("string") && (typeof value === "number" || typeof value === "boolean") ? String(value) : value;
  const n = value.trim() === "" ? Number.NaN : Number(value);
  if (types.includes("integer") && Number.isInteger(n)) return n;
  if (types.includes("number") && Number.isFinite(n)) return n;
  return types.includes("boolean") && (value === "true" || value === "false") ? value === "true" : value;
}
