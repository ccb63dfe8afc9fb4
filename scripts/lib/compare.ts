/**
 * Compares one of our specs with a provider's official definition (Swagger 2.0 or
 * OpenAPI 3.x): for every operation we have, the method and path, the parameter
 * names and places, and the property names, enums and basic types of the request
 * and success bodies, recursively. Names are compared exactly (case matters).
 */

type Json = Record<string, unknown>;

/**
 * Names our spec has and the official file lacks, on purpose. Our specs say so where
 * the name is (`x-esign-not-in-official: <why>` on the parameter or property); these
 * lists add to that, for callers comparing documents without the marker.
 */
export interface Additions {
  /** `METHOD path` → query/path parameters the provider added after the official file. */
  params?: Record<string, string[]>;
  /** Property names the provider added after the official file (anywhere). */
  properties?: string[];
}

export interface Mismatch {
  operation: string;
  where: string;
  message: string;
}

export interface OperationRow {
  key: string;
  ours: string;
  official: string | undefined;
  params: string;
  properties: string;
}

export interface Comparison {
  rows: OperationRow[];
  mismatches: Mismatch[];
  /** Official operations our spec does not have (reported, not a mismatch). */
  notCovered: string[];
}

const METHODS = ["get", "put", "post", "delete", "patch"];

class Doc {
  constructor(readonly root: Json) {}

  get isSwagger2(): boolean {
    return typeof this.root.swagger === "string";
  }

  resolve(node: unknown, seen: string[] = []): { node: Json | undefined; ref: string | undefined } {
    let current = node as Json | undefined;
    let ref: string | undefined;
    for (let i = 0; i < 20 && current && typeof current.$ref === "string"; i++) {
      ref = current.$ref as string;
      if (seen.includes(ref)) break;
      current = ref
        .slice(2)
        .split("/")
        .reduce<unknown>(
          (n, seg) => (n as Json | undefined)?.[seg.replace(/~1/g, "/").replace(/~0/g, "~")],
          this.root,
        ) as Json | undefined;
    }
    return { node: current, ref };
  }

  operations(): Map<string, { op: Json; item: Json }> {
    const out = new Map<string, { op: Json; item: Json }>();
    for (const [path, raw] of Object.entries((this.root.paths as Json) ?? {})) {
      const item = this.resolve(raw).node ?? {};
      for (const m of METHODS) {
        const op = item[m] as Json | undefined;
        if (op) out.set(`${m.toUpperCase()} ${path}`, { op, item });
      }
    }
    return out;
  }

  parameters(entry: { op: Json; item: Json }): Json[] {
    const all = [...((entry.item.parameters as unknown[]) ?? []), ...((entry.op.parameters as unknown[]) ?? [])];
    const byKey = new Map<string, Json>();
    for (const p of all) {
      const param = this.resolve(p).node;
      if (param) byKey.set(`${param.in}:${param.name}`, param);
    }
    return [...byKey.values()];
  }

  /** The request body schema (JSON or form), when there is one. */
  requestSchema(entry: { op: Json; item: Json }): unknown {
    if (this.isSwagger2) {
      const body = this.parameters(entry).find((p) => p.in === "body");
      return body?.schema;
    }
    const body = this.resolve(entry.op.requestBody).node;
    const content = (body?.content as Json | undefined) ?? {};
    const media = Object.keys(content).find((m) => m.includes("json") || m.includes("form"));
    return media ? (content[media] as Json).schema : undefined;
  }

  /** The JSON schema of the first 2xx response that has one. */
  responseSchema(entry: { op: Json; item: Json }): unknown {
    const responses = (entry.op.responses as Json | undefined) ?? {};
    for (const status of Object.keys(responses).filter((s) => s.startsWith("2")).sort()) {
      const res = this.resolve(responses[status]).node;
      if (!res) continue;
      if (this.isSwagger2) {
        if (res.schema) return res.schema;
        continue;
      }
      const content = (res.content as Json | undefined) ?? {};
      // A binary answer (an image) has no JSON media type: its first media type stands for it.
      const media = Object.keys(content).find((m) => m.includes("json")) ?? Object.keys(content)[0];
      if (media && (content[media] as Json).schema) return (content[media] as Json).schema;
    }
    return undefined;
  }
}

/** Properties, enum and types of a schema, looking through $ref, allOf, anyOf and oneOf. */
interface Shape {
  properties: Map<string, unknown>;
  items: unknown[];
  enums: Set<string> | undefined;
  types: Set<string>;
  refs: string[];
}

function shapeOf(doc: Doc, schema: unknown, depth = 0): Shape {
  const shape: Shape = { properties: new Map(), items: [], enums: undefined, types: new Set(), refs: [] };
  const { node, ref } = doc.resolve(schema);
  if (ref) shape.refs.push(ref);
  if (!node || depth > 10) return shape;
  const type = node.type;
  for (const t of Array.isArray(type) ? type : type ? [type] : []) shape.types.add(String(t));
  if (node.const !== undefined) shape.enums = new Set([String(node.const)]);
  if (Array.isArray(node.enum)) shape.enums = new Set(node.enum.filter((v) => v !== null).map(String));
  for (const [name, value] of Object.entries((node.properties as Json | undefined) ?? {})) {
    shape.properties.set(name, value);
  }
  if (node.items) shape.items.push(node.items);
  for (const key of ["allOf", "anyOf", "oneOf"]) {
    for (const part of (node[key] as unknown[] | undefined) ?? []) {
      const sub = shapeOf(doc, part, depth + 1);
      for (const [n, v] of sub.properties) if (!shape.properties.has(n)) shape.properties.set(n, v);
      shape.items.push(...sub.items);
      for (const t of sub.types) shape.types.add(t);
      if (sub.enums) shape.enums = new Set([...(shape.enums ?? []), ...sub.enums]);
      shape.refs.push(...sub.refs);
    }
  }
  if (shape.properties.size > 0) shape.types.add("object");
  return shape;
}

export function compareSpecs(oursRoot: Json, officialRoot: Json, additions: Additions = {}): Comparison {
  const ours = new Doc(oursRoot);
  const official = new Doc(officialRoot);
  const ourOps = ours.operations();
  const theirOps = official.operations();
  const mismatches: Mismatch[] = [];
  const rows: OperationRow[] = [];
  const addedProps = new Set(additions.properties ?? []);

  for (const [key, entry] of ourOps) {
    const theirs = theirOps.get(key);
    const ourId = String(entry.op.operationId ?? "?");
    if (!theirs) {
      mismatches.push({ operation: key, where: "operation", message: "not in the official definition (method or path differs)" });
      rows.push({ key, ours: ourId, official: undefined, params: "-", properties: "-" });
      continue;
    }
    const before = mismatches.length;
    // Parameters: names and places, exactly.
    const added = new Set(additions.params?.[key] ?? []);
    const simple = (doc: Doc, e: { op: Json; item: Json }) =>
      new Map(
        doc
          .parameters(e)
          .filter((p) => p.in === "query" || p.in === "path" || p.in === "header")
          .map((p) => [`${p.in} ${p.name}`, p] as const),
      );
    const ourParams = simple(ours, entry);
    const theirParams = simple(official, theirs);
    for (const name of theirParams.keys()) {
      if (!ourParams.has(name)) mismatches.push({ operation: key, where: "parameters", message: `missing ${name}` });
    }
    for (const name of ourParams.keys()) {
      if (!theirParams.has(name) && !added.has(name.split(" ")[1] ?? "") && !isAddition(ourParams.get(name))) {
        mismatches.push({ operation: key, where: "parameters", message: `${name} is not in the official definition` });
      }
    }
    for (const [name, theirParam] of theirParams) {
      const ourParam = ourParams.get(name);
      if (!ourParam) continue;
      const theirEnum = theirParam.enum ?? (official.resolve(theirParam.schema).node?.enum as unknown);
      const ourEnum = ours.resolve(ourParam.schema).node?.enum;
      if (Array.isArray(theirEnum) && !sameSet(theirEnum, ourEnum)) {
        mismatches.push({ operation: key, where: "parameters", message: `${name}: enum differs` });
      }
    }
    const paramMismatches = mismatches.length - before;
    const seen = new Set<string>();
    compareBodies(ours, official, ours.requestSchema(entry), official.requestSchema(theirs), `${key} request`, mismatches, addedProps, seen, key);
    compareBodies(ours, official, ours.responseSchema(entry), official.responseSchema(theirs), `${key} response`, mismatches, addedProps, seen, key);
    const propMismatches = mismatches.length - before - paramMismatches;
    rows.push({
      key,
      ours: ourId,
      official: String(theirs.op.operationId ?? "?"),
      params: paramMismatches ? `${paramMismatches} mismatch(es)` : `${ourParams.size} ok`,
      properties: propMismatches ? `${propMismatches} mismatch(es)` : "ok",
    });
  }
  const notCovered = [...theirOps.keys()].filter((k) => !ourOps.has(k));
  return { rows, mismatches, notCovered };
}

/** A parameter or property our spec marks as knowingly absent from the official file. */
function isAddition(node: unknown): boolean {
  return typeof node === "object" && node !== null && typeof (node as Json)["x-esign-not-in-official"] === "string";
}

function sameSet(a: unknown[], b: unknown): boolean {
  if (!Array.isArray(b)) return false;
  const left = new Set(a.filter((v) => v !== null).map(String));
  const right = new Set(b.filter((v) => v !== null).map(String));
  return left.size === right.size && [...left].every((v) => right.has(v));
}

function compareBodies(
  ours: Doc,
  official: Doc,
  ourSchema: unknown,
  theirSchema: unknown,
  where: string,
  out: Mismatch[],
  addedProps: Set<string>,
  seen: Set<string>,
  operation: string,
): void {
  if (theirSchema === undefined) return;
  if (ourSchema === undefined) {
    out.push({ operation, where, message: "the official definition has a body here and ours has none" });
    return;
  }
  const mine = shapeOf(ours, ourSchema);
  const theirs = shapeOf(official, theirSchema);
  const pairKey = `${mine.refs.join(",")}|${theirs.refs.join(",")}`;
  if (mine.refs.length > 0 && theirs.refs.length > 0) {
    if (seen.has(pairKey)) return;
    seen.add(pairKey);
  }
  const theirTypes = [...theirs.types].map((t) => (t === "integer" ? "number" : t));
  const myTypes = new Set([...mine.types].map((t) => (t === "integer" ? "number" : t)));
  for (const t of theirTypes) {
    if (myTypes.size > 0 && !myTypes.has(t)) {
      out.push({ operation, where, message: `type ${[...mine.types].join("|")} where the official type is ${t}` });
    }
  }
  if (theirs.enums && mine.enums && !sameSet([...theirs.enums], [...mine.enums])) {
    out.push({ operation, where, message: `enum [${[...mine.enums]}] where the official enum is [${[...theirs.enums]}]` });
  } else if (theirs.enums && !mine.enums) {
    out.push({ operation, where, message: `no enum where the official one is [${[...theirs.enums]}]` });
  }
  for (const name of theirs.properties.keys()) {
    if (!mine.properties.has(name)) out.push({ operation, where, message: `missing property ${name}` });
  }
  for (const name of mine.properties.keys()) {
    if (!theirs.properties.has(name) && !addedProps.has(name) && !isAddition(mine.properties.get(name)) && theirs.properties.size > 0) {
      out.push({ operation, where, message: `property ${name} is not in the official definition` });
    }
  }
  for (const [name, theirProp] of theirs.properties) {
    const myProp = mine.properties.get(name);
    if (myProp !== undefined) {
      compareBodies(ours, official, myProp, theirProp, `${where}.${name}`, out, addedProps, seen, operation);
    }
  }
  const theirItems = theirs.items[0];
  const myItems = mine.items[0];
  if (theirItems !== undefined && myItems !== undefined) {
    compareBodies(ours, official, myItems, theirItems, `${where}[]`, out, addedProps, seen, operation);
  } else if (theirItems !== undefined && myItems === undefined && theirs.types.has("array")) {
    out.push({ operation, where, message: "an array in the official definition, not in ours" });
  }
}
