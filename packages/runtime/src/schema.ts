/**
 * Checks a value against the JSON Schema subset the generator keeps from a spec
 * (see `CompactSchema` in scripts/lib/operations.ts): the rules a provider would
 * refuse a request for, checked before the request is sent. It stops at the first
 * problem, which names where it is and which rule it breaks.
 */

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

// Email addresses as providers accept them: a dotted local part and a host name of
// at least two labels. International addresses with non-ASCII characters are refused
// by the providers here, so they are refused here too.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:?\d{2})$/;

const FORMATS: Record<string, { test(value: string): boolean; words: string }> = {
  email: { test: (v) => v.length <= 254 && EMAIL.test(v), words: "an email address" },
  uuid: { test: (v) => UUID.test(v), words: "a UUID" },
  date: { test: (v) => DATE.test(v) && !Number.isNaN(Date.parse(v)), words: "a date (YYYY-MM-DD)" },
  "date-time": { test: (v) => DATE_TIME.test(v) && !Number.isNaN(Date.parse(v)), words: "a date and time (ISO 8601)" },
  uri: {
    test: (v) => {
      try {
        return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(v) && new URL(v).href.length > 0;
      } catch {
        return false;
      }
    },
    words: "an absolute URI",
  },
};

const INT32 = 2 ** 31;

const patterns = new Map<string, RegExp>();
function regex(source: string): RegExp {
  let re = patterns.get(source);
  if (!re) {
    re = new RegExp(source, "u");
    patterns.set(source, re);
  }
  return re;
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "string":
      return typeof value === "string";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "array":
      return Array.isArray(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value) && !isBinary(value);
    default:
      return true;
  }
}

function isBinary(value: unknown): boolean {
  return (
    value instanceof Uint8Array ||
    value instanceof ArrayBuffer ||
    (typeof Blob !== "undefined" && value instanceof Blob)
  );
}

const TYPE_WORDS: Record<string, string> = {
  null: "null",
  boolean: "a boolean",
  string: "a string",
  integer: "an integer",
  number: "a number",
  array: "an array",
  object: "an object",
};

function listWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`;
}

function shown(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** `a.b`, `a[2]`, or `a["odd key"]`, from a parent path and a child key. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) return parent === "" ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
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
  if (!schema) return undefined;
  // Specs here nest a dozen levels at most; this only stops a cycle of $refs.
  if (depth > 64) return undefined;
  const ref = schema.$ref;
  if (typeof ref === "string") return findProblem(schemas[ref], value, path, schemas, depth + 1);
  const at = path === "" ? "the value" : path;
  const problem = (rule: string, message: string): SchemaProblem => ({ path, rule, message: `${at} ${message}` });

  const type = schema.type as string | string[] | undefined;
  if (type !== undefined) {
    const types = Array.isArray(type) ? type : [type];
    if (!types.some((t) => matchesType(value, t))) {
      return problem("type", `must be ${listWords(types.map((t) => TYPE_WORDS[t] ?? t))} (got ${typeOf(value)})`);
    }
  }
  if (schema.const !== undefined && !sameValue(schema.const, value)) {
    return problem("const", `must be ${shown(schema.const)}`);
  }
  const allowed = schema.enum as unknown[] | undefined;
  if (allowed && !allowed.some((option) => sameValue(option, value))) {
    return problem("enum", `must be one of ${allowed.map(shown).join(", ")} (got ${shown(value)})`);
  }

  if (typeof value === "string") {
    const length = schema.minLength !== undefined || schema.maxLength !== undefined ? codePoints(value) : 0;
    if (typeof schema.minLength === "number" && length < schema.minLength) {
      return problem(
        "minLength",
        schema.minLength === 1 ? "must not be empty" : `must be at least ${schema.minLength} characters (got ${length})`,
      );
    }
    if (typeof schema.maxLength === "number" && length > schema.maxLength) {
      return problem("maxLength", `must be at most ${schema.maxLength} characters (got ${length})`);
    }
    if (typeof schema.pattern === "string" && !regex(schema.pattern).test(value)) {
      return problem("pattern", `must match the pattern ${schema.pattern}`);
    }
    const format = typeof schema.format === "string" ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value)) return problem("format", `must be ${format.words}`);
  }

  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) return problem("minimum", `must be at least ${schema.minimum}`);
    if (typeof schema.maximum === "number" && value > schema.maximum) return problem("maximum", `must be at most ${schema.maximum}`);
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) {
      return problem("exclusiveMinimum", `must be more than ${schema.exclusiveMinimum}`);
    }
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) {
      return problem("exclusiveMaximum", `must be less than ${schema.exclusiveMaximum}`);
    }
    if (typeof schema.multipleOf === "number" && !Number.isInteger(value / schema.multipleOf)) {
      return problem("multipleOf", `must be a multiple of ${schema.multipleOf}`);
    }
    if (schema.format === "int32" && (value < -INT32 || value >= INT32)) return problem("format", "must fit in 32 bits");
  }

  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      return problem("minItems", schema.minItems === 1 ? "must not be empty" : `must hold at least ${schema.minItems} items (got ${value.length})`);
    }
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      return problem("maxItems", `must hold at most ${schema.maxItems} items (got ${value.length})`);
    }
    if (schema.uniqueItems === true) {
      const seen = new Set(value.map((v) => JSON.stringify(v)));
      if (seen.size !== value.length) return problem("uniqueItems", "must not repeat an item");
    }
    const prefix = schema.prefixItems as SchemaNode[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const itemSchema = prefix?.[i] ?? (schema.items as SchemaNode | undefined);
      const found = findProblem(itemSchema, value[i], childPath(path, i), schemas, depth + 1);
      if (found) return found;
    }
  }

  if (matchesType(value, "object")) {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined);
    const properties = schema.properties as Record<string, SchemaNode> | undefined;
    for (const name of (schema.required as string[] | undefined) ?? []) {
      if (record[name] === undefined) return { path: childPath(path, name), rule: "required", message: `${childPath(path, name)} is required` };
    }
    const any = schema.requireAny as string[] | undefined;
    if (any && !any.some((name) => record[name] !== undefined)) {
      // Named after the first of the fields, the one a caller most likely meant to send.
      return { path: childPath(path, any[0] as string), rule: "requireAny", message: `${at} needs at least one of ${listWords(any)}` };
    }
    if (typeof schema.minProperties === "number" && keys.length < schema.minProperties) {
      return problem(
        "minProperties",
        schema.minProperties === 1 ? "must not be empty" : `must have at least ${schema.minProperties} fields`,
      );
    }
    if (typeof schema.maxProperties === "number" && keys.length > schema.maxProperties) {
      return problem("maxProperties", `may have at most ${schema.maxProperties} fields (got ${keys.length})`);
    }
    const additional = schema.additionalProperties as SchemaNode | false | undefined;
    for (const key of keys) {
      const sub = properties && Object.hasOwn(properties, key) ? properties[key] : undefined;
      const where = childPath(path, key);
      if (sub === undefined && additional === false) {
        const known = Object.keys(properties ?? {});
        return {
          path: where,
          rule: "additionalProperties",
          message: `${where} is not accepted${known.length > 0 ? ` (accepted: ${known.join(", ")})` : ""}`,
        };
      }
      if (schema.propertyNames) {
        const named = findProblem(schema.propertyNames as SchemaNode, key, `${where} (the key)`, schemas, depth + 1);
        if (named) return named;
      }
      const found = findProblem(sub ?? (additional || undefined), record[key], where, schemas, depth + 1);
      if (found) return found;
    }
  }

  for (const part of (schema.allOf as SchemaNode[] | undefined) ?? []) {
    const found = findProblem(part, value, path, schemas, depth + 1);
    if (found) return found;
  }
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key] as SchemaNode[] | undefined;
    if (!options) continue;
    const problems = options.map((o) => findProblem(o, value, path, schemas, depth + 1));
    const passing = problems.filter((p) => p === undefined).length;
    if (passing === 0) {
      // The option whose type fits says the most: report its problem.
      return problems.find((p) => p && p.rule !== "type") ?? problem(key, `does not match any of the forms it may take`);
    }
    if (key === "oneOf" && passing > 1) return problem("oneOf", "matches more than one of the forms it may take");
  }
  if (schema.not && !findProblem(schema.not as SchemaNode, value, path, schemas, depth + 1)) {
    return problem("not", "is not allowed");
  }
  return undefined;
}

/**
 * Parameters travel as text, so a parameter typed as a string also takes a number
 * or a boolean (sent as its text), and one typed as a number takes numeric text.
 * Returns the value as the schema wants it, or the value unchanged.
 */
export function coerceParameter(schema: SchemaNode | undefined, value: unknown, schemas: SchemaMap): unknown {
  let node = schema;
  for (let i = 0; node && typeof node.$ref === "string" && i < 16; i++) node = schemas[node.$ref];
  if (!node) return value;
  if (Array.isArray(value)) {
    return value.map((item) => coerceParameter(node.items as SchemaNode | undefined, item, schemas));
  }
  // One value for a repeated parameter is a list of one, as it reads on the wire.
  if (node.type === "array" && value !== undefined && value !== null) {
    return [coerceParameter(node.items as SchemaNode | undefined, value, schemas)];
  }
  const types = node.type === undefined ? [] : Array.isArray(node.type) ? (node.type as string[]) : [node.type as string];
  const variants = [...types];
  for (const option of [...((node.anyOf as SchemaNode[]) ?? []), ...((node.oneOf as SchemaNode[]) ?? [])]) {
    let resolved: SchemaNode | undefined = option;
    for (let i = 0; resolved && typeof resolved.$ref === "string" && i < 16; i++) resolved = schemas[resolved.$ref];
    const t = resolved?.type;
    if (typeof t === "string") variants.push(t);
  }
  if (variants.length === 0 || variants.some((t) => matchesType(value, t))) return value;
  if ((typeof value === "number" || typeof value === "boolean") && variants.includes("string")) return String(value);
  if (typeof value === "string" && value.trim() !== "") {
    const n = Number(value);
    if (variants.includes("integer") && Number.isInteger(n)) return n;
    if (variants.includes("number") && Number.isFinite(n)) return n;
    if (variants.includes("boolean") && (value === "true" || value === "false")) return value === "true";
  }
  return value;
}
