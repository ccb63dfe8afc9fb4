import type { SandboxResponse } from "./types.js";
import type { RouteMatch, SpecValidator } from "./validate.js";

type Json = Record<string, unknown>;

/**
 * The answer to an operation the sandbox has no handler for (one just added to a
 * spec): the operation's first success response, with the smallest body its schema
 * allows. Requests are still validated first, and the body still checked against
 * the spec on its way out, so a new operation works end to end before anyone
 * writes its behaviour.
 */
export function answerFromSpec(validator: SpecValidator, match: RouteMatch): SandboxResponse {
  const responses = (match.operation.responses as Json | undefined) ?? {};
  const status = Object.keys(responses).find((s) => /^2\d\d$/.test(s));
  if (!status) return { status: 204 };
  const response = validator.resolve(responses[status]) as Json;
  const content = (response.content as Json | undefined) ?? {};
  const media = Object.keys(content).find((m) => m.includes("json"));
  if (!media) return { status: Number(status) };
  const schema = (content[media] as Json | undefined)?.schema;
  return { status: Number(status), body: smallest(validator, schema, 0) };
}

function smallest(validator: SpecValidator, node: unknown, depth: number): unknown {
  const schema = validator.resolve(node) as Json | undefined;
  if (!schema || typeof schema !== "object" || depth > 16) return {};
  if (schema.const !== undefined) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const options = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (options?.length) return smallest(validator, options[0], depth + 1);
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : schema.type ? [schema.type as string] : [];
  const type = types[0] ?? (schema.properties || schema.allOf ? "object" : "string");
  switch (type) {
    case "null":
      return null;
    case "boolean":
      return false;
    case "integer":
    case "number":
      return typeof schema.minimum === "number" ? schema.minimum : 0;
    case "array":
      return Array.from({ length: Number(schema.minItems ?? 0) }, () => smallest(validator, schema.items, depth + 1));
    case "string": {
      const formats: Record<string, string> = {
        email: "sandbox@example.com",
        uri: "https://example.com/",
        uuid: "00000000-0000-4000-8000-000000000000",
        "date-time": new Date(0).toISOString(),
        date: "1970-01-01",
      };
      return formats[schema.format as string] ?? "x".repeat(Math.max(1, Number(schema.minLength ?? 1)));
    }
    default: {
      const out: Json = {};
      for (const part of (schema.allOf as unknown[] | undefined) ?? []) Object.assign(out, smallest(validator, part, depth + 1) as Json);
      const properties = (schema.properties as Json | undefined) ?? {};
      for (const name of (schema.required as string[] | undefined) ?? []) out[name] = smallest(validator, properties[name], depth + 1);
      return out;
    }
  }
}
