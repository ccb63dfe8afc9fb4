import { isHeadersLike } from "./headers.js";

/** What every redacted value is replaced with. */
export const REDACTED = "[REDACTED]";

/** Header names whose values are credentials, whatever the provider. Lower case. */
export const SENSITIVE_HEADERS: ReadonlySet<string> = new Set([
  "authorization",
  "proxy-authorization",
  "x-api-key",
  "access_token",
  "cookie",
  "set-cookie",
]);

// Shorter strings would erase ordinary text (Signable's Basic password is "x").
const MIN_SECRET_LENGTH = 4;

/**
 * The secrets one client has seen: configured keys, tokens returned by credential
 * functions, api keys a provider handed back. Every message, log line and error
 * body the client produces goes through `redact` first.
 */
export class Redactor {
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  /** Registers a secret, with the encodings it travels in (URL, Base64 Basic credentials). */
  add(secret: string | undefined | null, ...encodedForms: string[]): void {
    if (typeof secret !== "string") return;
    const before = this.#secrets.size;
    for (const form of [secret, encodeURIComponent(secret), ...encodedForms]) {
      if (form.length >= MIN_SECRET_LENGTH) this.#secrets.add(form);
    }
    if (this.#secrets.size !== before) this.#pattern = undefined;
  }

  /** Registers HTTP Basic credentials: the user, the password and the header value built from them. */
  addBasic(user: string, password: string): void {
    const encoded = base64(`${user}:${password}`);
    this.add(user, encoded);
    this.add(password, encoded);
  }

  get size(): number {
    return this.#secrets.size;
  }

  redact(text: string): string {
    if (this.#secrets.size === 0 || text.length < MIN_SECRET_LENGTH) return text;
    this.#pattern ??= new RegExp(
      // Longest first, so a secret that contains another is removed whole.
      [...this.#secrets]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join("|"),
      "g",
    );
    return text.replace(this.#pattern, REDACTED);
  }

  /** Deep copy of a JSON-like value with every string redacted. */
  redactValue<T>(value: T, depth = 0): T {
    if (typeof value === "string") return this.redact(value) as T;
    if (value === null || typeof value !== "object" || depth > 32) return value;
    if (value instanceof Uint8Array || value instanceof ArrayBuffer) return value;
    if (Array.isArray(value)) return value.map((v) => this.redactValue(v, depth + 1)) as T;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = this.redactValue(v, depth + 1);
    return out as T;
  }

  /** Headers as a plain object, credentials replaced and secrets redacted. */
  redactHeaders(headers: Headers | Record<string, string> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (!headers) return out;
    const entries = isHeadersLike(headers) ? headers.entries() : Object.entries(headers);
    for (const [name, value] of entries) {
      out[name] = SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : this.redact(value);
    }
    return out;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
