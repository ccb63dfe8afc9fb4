/**
 * Reads one of DocuSign's text flags. The API writes `"true"`/`"false"`, some
 * older fields `"True"`/`"False"`, and `hasRemoteNotary` a real boolean; this
 * takes all of them. Anything else (including a missing value) is `undefined`.
 */
export function parseDocuSignFlag(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string") return undefined;
  const text = value.trim().toLowerCase();
  return text === "true" ? true : text === "false" ? false : undefined;
}
