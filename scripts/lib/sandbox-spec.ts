/**
 * The sandbox's copy of a spec (`packages/sandbox/src/generated/<spec>.ts`): the spec
 * without its prose, as a TypeScript module. `npm run generate` writes it, and reads
 * the previous one back to say what changed; both halves of its format live here.
 */
import { isObject, stripDocumentation } from "./operations.ts";

type Json = Record<string, unknown>;

const DECLARATION = "const spec: Record<string, unknown> = ";

/**
 * JSON as a TypeScript object literal. A key spelled `__proto__` would set the
 * object's prototype in a literal instead of making a property: it is written as
 * a computed key, which makes an own property like any other.
 */
function literal(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/^(\s*)"__proto__":/gm, '$1["__proto__"]:');
}

/** The module's text (without the generated-file header). */
export function renderSandboxSpec(doc: Json): string {
  return [
    "",
    "/** The spec without its prose: what the sandbox validates requests against. */",
    `${DECLARATION}${literal(stripDocumentation(doc))};`,
    "",
    "export default spec;",
    "",
  ].join("\n");
}

/**
 * The spec a sandbox copy's text holds, or undefined when it holds none that can be
 * read. The literal's computed `["__proto__"]` keys are put back as JSON keys, which
 * `JSON.parse` makes own properties, as importing the module would.
 */
export function readSandboxSpec(text: string): Json | undefined {
  const start = text.indexOf(DECLARATION);
  if (start < 0) return undefined;
  const body = text.slice(start + DECLARATION.length, text.lastIndexOf("}") + 1);
  try {
    const value: unknown = JSON.parse(body.replace(/^(\s*)\["__proto__"\]:/gm, '$1"__proto__":'));
    return isObject(value) && "paths" in value ? value : undefined;
  } catch {
    return undefined;
  }
}
