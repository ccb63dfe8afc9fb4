import { headerValue } from "./headers.js";

export const FORM_MEDIA_TYPE = "application/x-www-form-urlencoded";

/**
 * Form encoding for `application/x-www-form-urlencoded` bodies. Fields that are
 * undefined or null are left out (openapi-fetch's built-in form handling sends
 * them as the text "null"); arrays repeat the field; booleans are `true`/`false`.
 */
export function toFormBody(body: Record<string, unknown>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item === undefined || item === null) continue;
      form.append(name, item instanceof Date ? item.toISOString() : String(item));
    }
  }
  return form.toString();
}

export function isBinaryBody(body: unknown): body is Uint8Array | ArrayBuffer | Blob {
  return (
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    (typeof Blob !== "undefined" && body instanceof Blob)
  );
}

function contentTypeOf(headers: unknown): string | undefined {
  return headerValue(headers, "content-type") ?? undefined;
}

/**
 * The body serializer every client uses: chooses the encoding from the request's
 * Content-Type, so raw openapi-fetch calls that set a form content type get a form
 * body too. Binary bodies pass through untouched.
 */
export function serializeBody(body: unknown, headers?: unknown): BodyInit | undefined {
  if (body === undefined) return undefined;
  if (isBinaryBody(body) || isFormData(body) || body instanceof URLSearchParams) return body as BodyInit;
  if (contentTypeOf(headers)?.split(";")[0]?.trim().toLowerCase() === FORM_MEDIA_TYPE) {
    return toFormBody(body as Record<string, unknown>);
  }
  return JSON.stringify(body);
}

/** Told by its tag: in Node.js, touching the `FormData` global loads undici (see headers.ts). */
export function isFormData(body: unknown): body is FormData {
  return Object.prototype.toString.call(body) === "[object FormData]";
}
