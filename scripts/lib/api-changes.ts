/**
 * What changed between two versions of a spec, in the words of someone who uses
 * the generated client: operations (named by their operationId, which is the
 * client's method name), their parameters, and the properties of the schemas they
 * send and receive. `npm run generate` prints these, and `npm run spec:diff` writes
 * them into changesets.
 *
 * Things are matched by name, never by position: a property removed and another
 * added are two changes, not a rename. How much each change weighs depends on the
 * direction the data travels:
 * - sent by the client (parameters, request bodies): a removed or newly required
 *   field, a removed enum value or a changed type or pattern breaks callers (major);
 *   a new optional field or a new enum value is a feature (minor);
 * - received by the client (answers): a removed property, one no longer required or
 *   a changed type breaks readers (major); anything new is a feature (minor); other
 *   constraints are a patch;
 * - a removed operation is major, a new one minor; wording is a patch.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { isObject, METHODS, resolveRef, stripDocumentation } from "./operations.ts";
import { readSandboxSpec } from "./sandbox-spec.ts";
import { type BumpLevel, highest } from "./semver-level.ts";
import type { SpecTarget } from "./specs.ts";

export type Impact = Exclude<BumpLevel, "none">;

export interface ApiChange {
  impact: Impact;
  kind: "added" | "removed" | "changed";
  /** A sentence for a changelog, with names in backticks. */
  text: string;
}

type Json = Record<string, unknown>;
type Direction = "request" | "response";
const CONSTRAINTS = ["pattern", "format", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minItems", "maxItems", "multipleOf", "const", "default", "nullable", "minProperties", "maxProperties"];
/** For these, a larger value accepts more (`minLength` 3 → 1 loosens); the rest of CONSTRAINTS cannot be ordered. */
const LOOSER_WHEN = { larger: ["maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"], smaller: ["minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"] };

const code = (s: string) => `\`${s}\``;
const show = (v: unknown) => code(typeof v === "string" ? v : JSON.stringify(v));
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const refName = (v: unknown) => (isObject(v) && typeof v.$ref === "string" ? v.$ref.split("/").pop() : undefined);

interface Operation {
  id: string;
  key: string;
  op: Json;
  params: Map<string, Json>;
}

function operations(doc: Json): Map<string, Operation> {
  const found = new Map<string, Operation>();
  for (const [path, rawItem] of Object.entries((doc.paths as Json | undefined) ?? {})) {
    const item = resolveRef<Json>(doc, rawItem);
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const params = new Map<string, Json>();
      for (const raw of [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])]) {
        const p = resolveRef<Json>(doc, raw);
        params.set(`${p.in} parameter ${code(String(p.name))}`, p);
      }
      const key = `${method.toUpperCase()} ${path}`;
      found.set(key, { id: typeof op.operationId === "string" ? op.operationId : key, key, op, params });
    }
  }
  return found;
}

/** Which component schemas travel in requests and which in answers, following $refs. */
function directions(doc: Json): Map<string, Set<Direction>> {
  const result = new Map<string, Set<Direction>>();
  const schemas = ((doc.components as Json | undefined)?.schemas as Json | undefined) ?? {};
  const walk = (node: unknown, direction: Direction) => {
    if (Array.isArray(node)) return node.forEach((n) => walk(n, direction));
    if (!isObject(node)) return;
    const name = refName(node);
    if (name && typeof node.$ref === "string" && node.$ref.startsWith("#/components/schemas/")) {
      const seen = result.get(name) ?? new Set();
      if (seen.has(direction)) return;
      result.set(name, seen.add(direction));
      return walk(schemas[name], direction);
    }
    if (typeof node.$ref === "string") return walk(resolveRef(doc, node), direction);
    for (const value of Object.values(node)) walk(value, direction);
  };
  for (const { op, params } of operations(doc).values()) {
    for (const p of params.values()) walk(p.schema, "request");
    walk(op.requestBody, "request");
    walk(op.responses, "response");
  }
  return result;
}

/** Properties and required names of an object schema, through inline `allOf` parts; `$ref` parts are listed, not merged. */
function shape(schema: Json): { properties: Json; required: Set<string>; includes: string[] } {
  const properties: Json = { ...((schema.properties as Json | undefined) ?? {}) };
  const required = new Set<string>((schema.required as string[] | undefined) ?? []);
  const includes: string[] = [];
  for (const part of (schema.allOf as unknown[] | undefined) ?? []) {
    const name = refName(part);
    if (name) {
      includes.push(name);
      continue;
    }
    if (!isObject(part)) continue;
    const inner = shape(part);
    Object.assign(properties, inner.properties);
    for (const r of inner.required) required.add(r);
    includes.push(...inner.includes);
  }
  return { properties, required, includes };
}

class Collector {
  readonly changes: ApiChange[] = [];
  add(impact: Impact, kind: ApiChange["kind"], text: string): void {
    this.changes.push({ impact, kind, text });
  }
}

/** Weighs a change by the directions its data travels in: the heavier one counts. */
const weigh = (dirs: Set<Direction>, request: Impact, response: Impact): Impact =>
  dirs.size === 0 ? "patch" : (highest([...dirs].map((d) => (d === "request" ? request : response))) as Impact);

function typeOf(schema: Json): string | undefined {
  const name = refName(schema);
  if (name) return name;
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  return typeof schema.type === "string" ? schema.type : undefined;
}

function diffSchema(out: Collector, label: string, dirs: Set<Direction>, before: unknown, after: unknown): void {
  if (!isObject(before) || !isObject(after) || same(before, after)) return;
  const [typeA, typeB] = [typeOf(before), typeOf(after)];
  if (typeA !== typeB && (typeA || typeB)) {
    out.add("major", "changed", `${label} is now ${typeB ? code(typeB) : "untyped"} (was ${typeA ? code(typeA) : "untyped"}).`);
    return;
  }
  if (refName(before)) return; // the same component on both sides: it is compared on its own

  for (const key of ["description", "title"]) {
    if (!same(before[key], after[key])) out.add("patch", "changed", `Reworded the ${key} of ${label}.`);
  }
  const [enumA, enumB] = [(before.enum as unknown[] | undefined) ?? [], (after.enum as unknown[] | undefined) ?? []];
  const addedValues = enumB.filter((v) => !enumA.some((w) => same(v, w)));
  const removedValues = enumA.filter((v) => !enumB.some((w) => same(v, w)));
  if (addedValues.length > 0 && enumA.length > 0) {
    out.add(weigh(dirs, "minor", "minor"), "added", `${label} can be ${addedValues.map(show).join(", ")} too.`);
  }
  if (removedValues.length > 0 && enumB.length > 0) {
    out.add(weigh(dirs, "major", "minor"), "removed", `${label} can no longer be ${removedValues.map(show).join(", ")}.`);
  }
  if (enumA.length === 0 && enumB.length > 0) out.add(weigh(dirs, "major", "patch"), "changed", `${label} is now limited to ${enumB.map(show).join(", ")}.`);
  if (enumA.length > 0 && enumB.length === 0) out.add(weigh(dirs, "minor", "minor"), "changed", `${label} is no longer limited to a list of values.`);

  for (const key of CONSTRAINTS) {
    const [a, b] = [before[key], after[key]];
    if (same(a, b)) continue;
    const looser =
      b === undefined ||
      (typeof a === "number" && typeof b === "number" && ((LOOSER_WHEN.larger.includes(key) && b > a) || (LOOSER_WHEN.smaller.includes(key) && b < a)));
    const text =
      a === undefined
        ? `${label} now has ${code(key)} ${show(b)}.`
        : b === undefined
          ? `${label} no longer has ${code(key)} (was ${show(a)}).`
          : `The ${code(key)} of ${label} changed from ${show(a)} to ${show(b)}.`;
    out.add(weigh(dirs, looser || key === "default" ? "minor" : "major", "patch"), "changed", text);
  }

  const a = shape(before);
  const b = shape(after);
  for (const name of a.includes.filter((n) => !b.includes.includes(n))) out.add(weigh(dirs, "major", "major"), "removed", `${label} no longer includes ${code(name)}.`);
  for (const name of b.includes.filter((n) => !a.includes.includes(n))) out.add(weigh(dirs, "major", "minor"), "added", `${label} now includes ${code(name)}.`);
  for (const [name, schema] of Object.entries(b.properties)) {
    if (name in a.properties) continue;
    const required = b.required.has(name);
    const type = isObject(schema) ? typeOf(schema) : undefined;
    out.add(
      weigh(dirs, required ? "major" : "minor", "minor"),
      "added",
      `${label} has a new ${required ? "required" : "optional"} property ${code(name)}${type ? ` (${code(type)})` : ""}.`,
    );
  }
  for (const name of Object.keys(a.properties)) {
    if (!(name in b.properties)) out.add(weigh(dirs, "major", "major"), "removed", `${label} no longer has the property ${code(name)}.`);
  }
  for (const [name, schema] of Object.entries(b.properties)) {
    if (!(name in a.properties)) continue;
    const nowRequired = b.required.has(name);
    if (a.required.has(name) !== nowRequired) {
      out.add(
        nowRequired ? weigh(dirs, "major", "minor") : weigh(dirs, "minor", "major"),
        "changed",
        `${code(name)} of ${label} is now ${nowRequired ? "required" : "optional"}.`,
      );
    }
    diffSchema(out, `${code(name)} of ${label}`, dirs, a.properties[name], schema);
  }
  diffSchema(out, `the items of ${label}`, dirs, before.items, after.items);
  for (const key of ["oneOf", "anyOf"]) {
    const [xs, ys] = [((before[key] as unknown[]) ?? []).map((x) => JSON.stringify(x)), ((after[key] as unknown[]) ?? []).map((x) => JSON.stringify(x))];
    if (!same(xs, ys)) out.add(weigh(dirs, "major", "major"), "changed", `The alternatives (${code(key)}) of ${label} changed.`);
  }
}

function diffOperation(out: Collector, before: Operation, after: Operation): void {
  const name = code(after.id);
  if (before.id !== after.id) {
    out.add("major", "changed", `The operation ${code(after.key)} is now ${name} (was ${code(before.id)}): its client method has the new name.`);
  }
  if (before.key !== after.key) out.add("major", "changed", `${name} moved from ${code(before.key)} to ${code(after.key)}.`);
  for (const key of ["summary", "description"]) {
    if (!same(before.op[key], after.op[key])) out.add("patch", "changed", `Reworded the ${key} of ${name}.`);
  }
  const request = new Set<Direction>(["request"]);
  for (const [where, p] of after.params) {
    const old = before.params.get(where);
    if (!old) {
      const required = p.required === true;
      out.add(required ? "major" : "minor", "added", `${name} takes a new ${required ? "required" : "optional"} ${where}.`);
      continue;
    }
    if ((old.required === true) !== (p.required === true)) {
      out.add(p.required === true ? "major" : "minor", "changed", `The ${where} of ${name} is now ${p.required === true ? "required" : "optional"}.`);
    }
    if (!same(old.description, p.description)) out.add("patch", "changed", `Reworded the description of the ${where} of ${name}.`);
    diffSchema(out, `the ${where} of ${name}`, request, old.schema, p.schema);
  }
  for (const where of before.params.keys()) {
    if (!after.params.has(where)) out.add("major", "removed", `${name} no longer takes the ${where}.`);
  }
  diffBody(out, name, before, after);
  diffResponses(out, name, before, after);
  for (const key of new Set([...Object.keys(before.op), ...Object.keys(after.op)])) {
    if (key.startsWith("x-") && !same(before.op[key], after.op[key])) out.add("minor", "changed", `The ${code(key)} setting of ${name} changed from ${show(before.op[key])} to ${show(after.op[key])}.`);
    if (key === "security" && !same(before.op[key], after.op[key])) out.add("major", "changed", `${name} takes different credentials.`);
  }
}

function diffBody(out: Collector, name: string, before: Operation, after: Operation): void {
  const [a, b] = [before.op.requestBody as Json | undefined, after.op.requestBody as Json | undefined];
  if (!a && !b) return;
  if (!a || !b) {
    out.add(b ? (b.required === true ? "major" : "minor") : "major", b ? "added" : "removed", `${name} ${b ? "now sends" : "no longer sends"} a request body.`);
    return;
  }
  if ((a.required === true) !== (b.required === true)) out.add(b.required === true ? "major" : "minor", "changed", `The request body of ${name} is now ${b.required === true ? "required" : "optional"}.`);
  const [mediaA, mediaB] = [(a.content as Json | undefined) ?? {}, (b.content as Json | undefined) ?? {}];
  for (const media of Object.keys(mediaA)) if (!(media in mediaB)) out.add("major", "removed", `${name} no longer sends ${code(media)}.`);
  for (const media of Object.keys(mediaB)) {
    if (!(media in mediaA)) out.add("minor", "added", `${name} can send ${code(media)}.`);
    else diffSchema(out, `the request body of ${name}`, new Set(["request"]), (mediaA[media] as Json).schema, (mediaB[media] as Json).schema);
  }
}

function diffResponses(out: Collector, name: string, before: Operation, after: Operation): void {
  const [a, b] = [(before.op.responses as Json | undefined) ?? {}, (after.op.responses as Json | undefined) ?? {}];
  const success = (status: string) => /^2/.test(status);
  for (const status of Object.keys(a)) {
    if (!(status in b)) out.add(success(status) ? "major" : "patch", "removed", `${name} no longer answers ${code(status)}.`);
  }
  for (const status of Object.keys(b)) {
    if (!(status in a)) {
      out.add(success(status) ? "minor" : "patch", "added", `${name} may now answer ${code(status)}.`);
      continue;
    }
    const [ra, rb] = [a[status] as Json, b[status] as Json];
    if (refName(ra) || refName(rb)) continue; // shared responses are compared as components
    const [mediaA, mediaB] = [(ra.content as Json | undefined) ?? {}, (rb.content as Json | undefined) ?? {}];
    for (const media of Object.keys(mediaB)) {
      if (!(media in mediaA)) continue;
      diffSchema(out, `the ${status} answer of ${name}`, new Set(["response"]), (mediaA[media] as Json).schema, (mediaB[media] as Json).schema);
    }
  }
}

/** Every change from `before` to `after` (two parses of one spec), most important first. */
export function diffApis(before: Json, after: Json): ApiChange[] {
  const out = new Collector();
  const [opsA, opsB] = [[...operations(before).values()], [...operations(after).values()]];
  // The operationId is the client's method name: the same id is the same operation;
  // failing that, the same method and path is (its operationId changed).
  const pairs = new Map<Operation, Operation>();
  for (const op of opsB) {
    const old = opsA.find((o) => o.id === op.id);
    if (old) pairs.set(op, old);
  }
  const paired = () => new Set(pairs.values());
  for (const op of opsB.filter((o) => !pairs.has(o))) {
    const old = opsA.find((o) => o.key === op.key && !paired().has(o));
    if (old) pairs.set(op, old);
  }
  for (const op of opsB) {
    const old = pairs.get(op);
    if (old) diffOperation(out, old, op);
    else out.add("minor", "added", `New operation ${code(op.id)}: ${code(op.key)}.`);
  }
  for (const op of opsA.filter((o) => !paired().has(o))) out.add("major", "removed", `Removed the operation ${code(op.id)} (${code(op.key)}).`);

  const dirs = new Map<string, Set<Direction>>();
  for (const doc of [before, after]) for (const [n, d] of directions(doc)) dirs.set(n, new Set([...(dirs.get(n) ?? []), ...d]));
  const schemas = (doc: Json) => ((doc.components as Json | undefined)?.schemas as Json | undefined) ?? {};
  const [schemasA, schemasB] = [schemas(before), schemas(after)];
  for (const [name, schema] of Object.entries(schemasB)) {
    if (name in schemasA) diffSchema(out, code(name), dirs.get(name) ?? new Set(), schemasA[name], schema);
  }
  for (const key of ["servers", "security"] as const) {
    if (!same(before[key], after[key])) out.add(key === "security" ? "major" : "minor", "changed", `The API's ${key === "servers" ? "server URLs" : "credentials"} changed.`);
  }
  const rank = { major: 0, minor: 1, patch: 2 };
  return out.changes.sort((x, y) => rank[x.impact] - rank[y.impact]);
}

/** The release a list of changes needs. */
export const levelOf = (changes: ApiChange[]): BumpLevel => highest(changes.map((c) => c.impact));

/** What `npm run generate` says about one regenerated spec, compared with the text its sandbox copy had before. */
export function describeRegeneration(target: SpecTarget, snapshot: string | undefined): string[] {
  const previous = snapshot === undefined ? undefined : readSandboxSpec(snapshot);
  const now = stripDocumentation(parse(readFileSync(target.file, "utf8"))) as Json;
  if (!previous) return snapshot === undefined ? [`API: new, ${operations(now).size} operation(s)`] : ["API: (the previous generated copy could not be read)"];
  // Both sides without prose, so only what the code sees is compared.
  const changes = diffApis(previous, now);
  if (changes.length === 0) return ["API: unchanged (prose or formatting only)"];
  return [`API changes (a ${levelOf(changes)} release):`, ...changes.map((c) => `  ${c.impact.padEnd(5)}  ${c.text}`)];
}
