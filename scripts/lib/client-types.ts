/**
 * Renders a spec's method types: a named type for every component schema, an
 * input and a result type per operation, and one interface per namespace of
 * methods, each method carrying the spec's summary, description and links as
 * JSDoc. Types only: nothing here reaches a bundle. The methods themselves are
 * built at run time from the operations table (see the runtime's createApiClient).
 */
import {
  type ApiEntry,
  IDENTIFIER,
  type OperationEntry,
  own,
  requestBodySchema,
  resolveRef,
  schemaAt,
  schemaRefName,
  splitPointer,
  successOf,
} from "./operations.ts";

type Json = Record<string, unknown>;

function pascal(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join("");
}

function key(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

function quote(name: string): string {
  return JSON.stringify(name);
}

/** A JSDoc block from prose lines; `*\/` cannot end it early. */
function jsdoc(lines: string[], indent = ""): string {
  const text = lines
    .join("\n")
    .replace(/\*\//g, "*\\/")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (text === "") return "";
  const body = text.split("\n").map((l) => `${indent} *${l === "" ? "" : ` ${l}`}`);
  return `${indent}/**\n${body.join("\n")}\n${indent} */\n`;
}

/** The type name of the servers a client's `serverOption` picks from; the scaffold's client options name it too. */
export function serverTypeName(title: string, serverOption: string): string {
  return `${title}${pascal(serverOption)}`;
}

/** The exported name of each component schema: `x-esign-name`, else the provider's title and the schema's name. */
function schemaTypeNames(doc: Json, title: string): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const [name, schema] of Object.entries((own(doc.components, "schemas") as Json | undefined) ?? {})) {
    const explicit = own(schema, "x-esign-name");
    if (explicit !== undefined && (typeof explicit !== "string" || !IDENTIFIER.test(explicit))) {
      throw new Error(`#/components/schemas/${name}: x-esign-name must be an identifier`);
    }
    const typeName = (explicit as string | undefined) ?? `${title}${pascal(name)}`;
    const other = taken.get(typeName);
    if (other !== undefined) throw new Error(`#/components/schemas/${name}: its type name ${typeName} is also ${other}'s`);
    taken.set(typeName, name);
    names.set(name, typeName);
  }
  return names;
}

/** Whether an object schema (following $ref and allOf) has required properties besides `except`. */
function hasRequiredFields(doc: Json, node: unknown, except: Set<string>): boolean {
  const schema = resolveRef<Json | undefined>(doc, node);
  if (!schema || typeof schema !== "object") return false;
  const required = (own(schema, "required") as string[] | undefined) ?? [];
  if (required.some((r) => !except.has(r))) return true;
  if (own(schema, "x-esign-require-any") !== undefined || typeof own(schema, "minProperties") === "number") return true;
  return ((own(schema, "allOf") as unknown[] | undefined) ?? []).some((part) => hasRequiredFields(doc, part, except));
}

function minPropertiesOf(doc: Json, node: unknown): number {
  const value = own(resolveRef<Json | undefined>(doc, node), "minProperties");
  return typeof value === "number" ? value : 0;
}

function requireAnyOf(doc: Json, node: unknown): string[] | undefined {
  const schema = resolveRef<Json | undefined>(doc, node);
  const any = own(schema, "x-esign-require-any");
  return Array.isArray(any) ? (any as string[]) : undefined;
}

/** A TypeScript type for the part of `base` a JSON pointer names (`[number]` for `*`). */
function pointerType(base: string, pointer: string): string {
  let type = base;
  for (const segment of splitPointer(pointer)) {
    type = segment === "*" || /^\d+$/.test(segment) ? `NonNullable<${type}>[number]` : `NonNullable<${type}>[${quote(segment)}]`;
  }
  return type;
}

interface Rendered {
  imports: Set<string>;
  lines: string[];
}

export function renderClientTypes(doc: Json, api: ApiEntry): string {
  const title = api.title;
  const names = schemaTypeNames(doc, title);
  // Names this file makes besides the schemas': a schema must not take one of them.
  const made = new Set<string>([`${title}Methods`]);
  for (const [id, op] of Object.entries(api.operations)) {
    for (const suffix of ["Input", "Result", "Query"]) made.add(`${title}${pascal(id)}${suffix}`);
    if (op.name.includes(".")) made.add(`${title}${pascal(op.name.split(".")[0] as string)}Methods`);
  }
  if (api.serverOption) made.add(serverTypeName(title, api.serverOption));
  for (const [schema, typeName] of names) {
    if (made.has(typeName)) {
      throw new Error(`#/components/schemas/${schema}: its type name ${typeName} is taken by a generated type; give the schema an x-esign-name`);
    }
  }
  const out: Rendered = { imports: new Set(["OperationInput", "RequestOptions"]), lines: [] };
  const { lines, imports } = out;
  const aliasOf = (node: unknown): string | undefined => {
    const name = schemaRefName(node);
    return name === undefined ? undefined : names.get(name);
  };

  if (api.serverOption) {
    const named = api.servers.flatMap((server) => (server.name ? [server] : []));
    lines.push(
      "// ---- the spec's servers ----",
      "",
      `${jsdoc([`The servers of the spec, by the name the \`${api.serverOption}\` option takes:`, "", ...named.map((s) => `- \`${s.name}\`: ${s.url}`)])}export type ${serverTypeName(title, api.serverOption)} = ${named.map((s) => quote(s.name as string)).join(" | ")};`,
      "",
    );
  }
  lines.push("// ---- the spec's schemas, one named type each ----", "");
  for (const [name, typeName] of names) {
    const schema = own(own(doc.components, "schemas"), name);
    const resolved = resolveRef<Json>(doc, schema);
    const description = own(resolved, "description");
    lines.push(
      `${jsdoc(typeof description === "string" ? [description] : [`The \`${name}\` schema of the spec.`])}export type ${typeName} = components["schemas"][${quote(name)}];`,
      "",
    );
  }

  const paths = (doc.paths as Json | undefined) ?? {};
  const operationNode = (op: OperationEntry): Json => own(resolveRef<Json>(doc, own(paths, op.path)), op.method) as Json;

  interface MethodDoc {
    namespace: string;
    method: string;
    signature: string;
    docs: string;
  }
  const methods: MethodDoc[] = [];
  const defaults = new Set(Object.keys(api.defaults ?? {}));

  lines.push("// ---- what each operation takes and gives ----", "");
  for (const [id, op] of Object.entries(api.operations)) {
    const node = operationNode(op);
    const base = `${title}${pascal(id)}`;
    const opType = `operations[${quote(id)}]`;
    const credentialFields = new Set(Object.keys(op.body?.credentials ?? {}));
    const defaulted = [...credentialFields, ...op.params.filter((p) => p.in === "path" && defaults.has(p.name)).map((p) => p.name)];
    let input = `OperationInput<${opType}${defaulted.length > 0 ? `, ${defaulted.map(quote).join(" | ")}` : ""}>`;
    for (const p of op.params) {
      if (p.input) {
        imports.add("Renamed");
        input = `Renamed<${input}, ${quote(p.name)}, ${quote(p.input)}>`;
      }
    }
    const bodyNode = requestBodySchema(doc, node);
    // "At least one of these" (x-esign-require-any), or "at least one field" (minProperties: 1).
    const any = op.body?.fields
      ? (requireAnyOf(doc, bodyNode) ??
        (minPropertiesOf(doc, bodyNode) >= 1 ? op.body.fields.filter((f) => !credentialFields.has(f)) : undefined))
      : undefined;
    if (any) {
      imports.add("RequireAny");
      input = `RequireAny<${input}, ${any.map(quote).join(" | ")}>`;
    }
    const summary = own(node, "summary");
    const what = `{@link ${title}${pascal(op.name.split(".")[0] ?? "")}Methods.${op.name.split(".").at(-1)}}`;
    lines.push(`${jsdoc([`What ${op.name.includes(".") ? what : `\`${op.name}\``} takes: parameters and body fields in one object.`])}export type ${base}Input = ${input};`, "");

    const inputRequired =
      op.params.some((p) => p.required && !(p.in === "path" && defaults.has(p.name)) && !credentialFields.has(p.name)) ||
      (op.body?.required === true && (op.body.fields === null || hasRequiredFields(doc, bodyNode, credentialFields)));

    // The result: the named schema where the spec names one, else a type of its own.
    const success = successOf(doc, node).schema;
    const wholeAlias = aliasOf(success);
    const whole = wholeAlias ?? `OperationResult<${opType}>`;
    if (!wholeAlias) imports.add("OperationResult");
    let result: string;
    if (op.response.media.length === 0) result = "void";
    else if (op.bulk) {
      imports.add("BulkResult");
      const entry = aliasOf(schemaAt(doc, success, `${op.bulk.response}/*`)) ?? pointerType(whole, `${op.bulk.response}/*`);
      const sent = pointerType(`${base}Input`, op.bulk.request.startsWith("/") ? `${op.bulk.request}/*` : `/${op.bulk.request}/*`);
      result = `BulkResult<${entry}, ${sent}, ${whole}>`;
    } else if (op.response.unwrap !== undefined) {
      result = aliasOf(schemaAt(doc, success, op.response.unwrap)) ?? `NonNullable<${pointerType(whole, op.response.unwrap)}>`;
    } else result = whole;
    if (!/^[A-Za-z]+$/.test(result) || result === whole && !wholeAlias) {
      lines.push(`${jsdoc([`What ${op.name.includes(".") ? what : `\`${op.name}\``} resolves to.`])}export type ${base}Result = ${result};`, "");
      result = result === "void" ? "void" : `${base}Result`;
    }

    const description = own(node, "description");
    const externalDocs = own(node, "externalDocs");
    const docLines = [
      typeof summary === "string" ? `${summary}.`.replace(/\.\.$/, ".") : id,
      "",
      ...(typeof description === "string" ? [description.trim(), ""] : []),
      `\`${op.method.toUpperCase()} ${op.path}\` (operation \`${id}\`)`,
    ];
    const docsUrl = own(externalDocs, "url");
    if (typeof docsUrl === "string") docLines.push(`@see {@link ${docsUrl} | ${String(own(externalDocs, "description") ?? "the provider's documentation")}}`);
    const [namespace, method] = op.name.includes(".") ? (op.name.split(".") as [string, string]) : ["", op.name];
    if (op.pagination) {
      imports.add("PageIterator");
      imports.add("ListOptions");
      const itemNode = schemaAt(doc, success, `${op.pagination.items}/*`);
      const item = aliasOf(itemNode) ?? pointerType(whole, `${op.pagination.items}/*`);
      const cursor = op.pagination.style === "cursor" ? "string | number | null" : "number";
      const paged = [op.pagination.param];
      lines.push(
        `${jsdoc([`What ${op.name.includes(".") ? what : `\`${op.name}\``} takes: every parameter of ${id} except \`${op.pagination.param}\`, which the list sets itself.`])}export type ${base}Query = Omit<${base}Input, ${paged.map(quote).join(" | ")}>;`,
        "",
      );
      const sizeNote = op.pagination.size
        ? `Pages hold \`${op.pagination.size}\` items${op.pagination.maxSize !== undefined ? ` (default ${op.pagination.maxSize}, the most the API allows)` : ""}.`
        : "";
      methods.push({
        namespace,
        method,
        signature: `${key(method)}(query?: ${base}Query, options?: ListOptions<${cursor}>): PageIterator<${item}, ${cursor}>;`,
        docs: jsdoc(
          [
            ...docLines.slice(0, 1),
            "",
            `Every item of every page, fetched as the loop advances (\`for await\`). ${sizeNote} To resume a list that stopped, pass its iterator's \`cursor\` as \`options.cursor\`.`,
            "",
            ...docLines.slice(2),
          ],
          "  ",
        ),
      });
      methods.push({
        namespace,
        method: `${method}Page`,
        signature: `${key(`${method}Page`)}(input${inputRequired ? "" : "?"}: ${base}Input, options?: RequestOptions): Promise<${result}>;`,
        docs: jsdoc([`${docLines[0]} One page, as the API returns it.`, "", ...docLines.slice(2)], "  "),
      });
    } else {
      methods.push({
        namespace,
        method,
        signature: `${key(method)}(input${inputRequired ? "" : "?"}: ${base}Input, options?: RequestOptions): Promise<${result}>;`,
        docs: jsdoc(docLines, "  "),
      });
    }
  }

  // ---- the method interfaces ----
  const tagDocs = new Map<string, string>();
  for (const tag of (doc.tags as Json[] | undefined) ?? []) {
    const name = own(tag, "name");
    const description = own(tag, "description");
    if (typeof name === "string" && typeof description === "string") tagDocs.set(pascal(name).toLowerCase(), description);
  }
  const namespaces = [...new Set(methods.map((m) => m.namespace))];
  lines.push("// ---- the methods, by namespace ----", "");
  for (const namespace of namespaces.filter((n) => n !== "")) {
    const members = methods.filter((m) => m.namespace === namespace);
    const description = tagDocs.get(namespace.toLowerCase());
    lines.push(
      `${jsdoc([`${pascal(namespace)}: ${description ?? `the ${namespace} operations of the ${title} API.`}`])}export interface ${title}${pascal(namespace)}Methods {`,
    );
    for (const m of members) lines.push(`${m.docs}  ${m.signature}`);
    lines.push("}", "");
  }
  lines.push(`${jsdoc([`Every operation of the ${title} spec as a method. Each takes one object (parameters and body fields together), checks it against the spec before anything is sent, and rejects with a typed error.`])}export interface ${title}Methods {`);
  for (const namespace of namespaces) {
    if (namespace === "") {
      for (const m of methods.filter((x) => x.namespace === "")) lines.push(`${m.docs}  ${m.signature}`);
      continue;
    }
    const description = tagDocs.get(namespace.toLowerCase());
    lines.push(`${jsdoc([description ?? `The ${namespace} operations.`], "  ")}  readonly ${key(namespace)}: ${title}${pascal(namespace)}Methods;`);
  }
  lines.push("}", "");

  const runtimeImports = [...imports].sort();
  return [
    "",
    "/** The methods of the spec's client, with the spec's words as their documentation. Types only. */",
    `import type { ${runtimeImports.join(", ")} } from "@esign-users/runtime";`,
    'import type { components, operations } from "./schema.js";',
    "",
    ...lines,
  ].join("\n");
}
