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
 * How many values of one rotating credential stay redacted: the current one and a
 * few before it, which may still be in flight or echoed by a slow answer. Older
 * ones are forgotten, so a token that changes on every call costs bounded memory
 * and a pattern of bounded size.
 */
const KEEP_PER_CREDENTIAL = 4;

/**
 * The secrets one client has seen: configured keys, tokens returned by credential
 * functions, api keys a provider handed back. Every message, log line and error
 * body the client produces goes through it; this is the only place the package
 * redacts, and it redacts before anything is shortened.
 */
export class Redactor {
  /** Secrets kept for the client's lifetime (configured values, keys a provider handed back). */
  readonly #fixed = new Set<string>();
  /** The last few values of each rotating credential, each with its encoded forms. */
  readonly #rotating = new Map<unknown, { secret: string; forms: string[] }[]>();
  #pattern: RegExp | undefined;
  #longest = 0;

  /** Registers a secret, with the encodings it travels in (URL, Base64 Basic credentials). */
  add(secret: string | undefined | null, ...encodedForms: string[]): void {
    if (typeof secret !== "string") return;
    const before = this.#fixed.size;
    for (const form of forms(secret, encodedForms)) this.#fixed.add(form);
    if (this.#fixed.size !== before) this.#pattern = undefined;
  }

  /**
   * Registers the current value of a credential that changes (what a credential
   * function returned, a token obtained for the client). `credential` names it,
   * by any value (a string or the strategy object); only its last few values are
   * kept.
   */
  addRotating(credential: unknown, secret: string | undefined | null, ...encodedForms: string[]): void {
    if (typeof secret !== "string") return;
    const values = this.#rotating.get(credential) ?? [];
    // The current value again (every request of a client whose token does not change): nothing to do.
    if (values.at(-1)?.secret === secret) return;
    const known = values.findIndex((v) => v.secret === secret);
    if (known >= 0) values.splice(known, 1);
    values.push({ secret, forms: forms(secret, encodedForms) });
    if (values.length > KEEP_PER_CREDENTIAL) values.splice(0, values.length - KEEP_PER_CREDENTIAL);
    this.#rotating.set(credential, values);
    this.#pattern = undefined;
  }

  /** Registers HTTP Basic credentials: the user, the password and the header value built from them. */
  addBasic(user: string, password: string, credential?: unknown): void {
    const encoded = base64(`${user}:${password}`);
    if (credential === undefined) {
      this.add(user, encoded);
      this.add(password, encoded);
    } else {
      this.addRotating(credential, `${user}:${password}`, user, password, encoded);
    }
  }

  /** How many strings are redacted at the moment (each secret counts once per form). */
  get size(): number {
    return this.#secrets().length;
  }

  #secrets(): string[] {
    const all = new Set(this.#fixed);
    for (const values of this.#rotating.values()) for (const value of values) for (const form of value.forms) all.add(form);
    return [...all];
  }

  #compiled(): RegExp | undefined {
    if (this.#pattern === undefined) {
      const secrets = this.#secrets();
      if (secrets.length === 0) return undefined;
      // Longest first, so a secret that contains another is removed whole.
      secrets.sort((a, b) => b.length - a.length);
      this.#longest = secrets[0]?.length ?? 0;
      this.#pattern = new RegExp(secrets.map(escapeRegExp).join("|"), "g");
    }
    return this.#pattern;
  }

  redact(text: string): string {
    if (text.length < MIN_SECRET_LENGTH) return text;
    const pattern = this.#compiled();
    return pattern ? text.replace(pattern, REDACTED) : text;
  }

  /**
   * The first `max` characters of the redacted text (and whether anything was cut),
   * reading no more of `text` than that needs: redaction comes first, so a secret
   * that straddles the cut is removed whole, never half shown.
   */
  redactHead(text: string, max: number): { text: string; truncated: boolean } {
    const pattern = this.#compiled();
    if (!pattern) return { text: text.slice(0, max), truncated: text.length > max };
    let out = "";
    let at = 0;
    while (out.length < max && at < text.length) {
      const need = max - out.length;
      // Every secret that starts within the next `need` characters ends inside this
      // window, so a match found here is the one the whole text would give.
      const window = text.slice(at, at + need + this.#longest);
      pattern.lastIndex = 0;
      const match = pattern.exec(window);
      if (!match || match.index >= need) {
        out += window.slice(0, need);
        at += Math.min(need, window.length);
        break;
      }
      out += window.slice(0, match.index) + REDACTED;
      at += match.index + match[0].length;
    }
    return { text: out.slice(0, max), truncated: at < text.length || out.length > max };
  }

  /**
   * A copy of a JSON-like value with every string redacted, object keys included,
   * however deep it is nested (copied with a stack of its own, not recursion). A key
   * named `__proto__` is copied as an ordinary property: it never changes the
   * copy's prototype.
   */
  redactValue<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T;
    if (!isCopied(value)) return value;
    const seen = new Map<object, object>();
    const root = shell(value);
    seen.set(value, root);
    const pending: [object, Record<string, unknown>][] = [[value, root]];
    while (pending.length > 0) {
      const [source, target] = pending.pop() as [object, Record<string, unknown>];
      const isArray = Array.isArray(source);
      for (const [key, item] of Object.entries(source)) {
        let copied: unknown = item;
        if (typeof item === "string") {
          copied = this.redact(item);
        } else if (isCopied(item)) {
          copied = seen.get(item);
          if (copied === undefined) {
            const inner = shell(item);
            seen.set(item, inner);
            pending.push([item, inner]);
            copied = inner;
          }
        }
        setOwn(target, isArray ? key : this.redact(key), copied);
      }
    }
    return root as T;
  }

  /**
   * An answer's body with every secret redacted: as JSON when it parses (so a
   * secret escaped in the JSON text is found too, and keys are covered), else as
   * text. Returns the same bytes when there was nothing to redact.
   */
  redactBody(bytes: Uint8Array): Uint8Array {
    if (bytes.byteLength === 0 || !this.#compiled()) return bytes;
    const text = new TextDecoder().decode(bytes);
    let redacted: string;
    try {
      const decoded: unknown = JSON.parse(text);
      const copy = this.redactValue(decoded);
      redacted = JSON.stringify(copy) === JSON.stringify(decoded) ? text : JSON.stringify(copy);
    } catch {
      // Not JSON, or nested too deep to write back: as text.
      redacted = this.redact(text);
    }
    return redacted === text ? bytes : new TextEncoder().encode(redacted);
  }

  /** Headers as a plain object, credentials replaced and secrets redacted. */
  redactHeaders(headers: Headers | Record<string, string> | undefined): Record<string, string> {
    const out: Record<string, string> = {};
    if (!headers) return out;
    const entries = isHeadersLike(headers) ? headers.entries() : Object.entries(headers);
    for (const [name, value] of entries) {
      setOwn(out, name, SENSITIVE_HEADERS.has(name.toLowerCase()) ? REDACTED : this.redact(value));
    }
    return out;
  }

  /**
   * An error to keep as another error's `cause`, with its message and stack
   * redacted (a JSON parser's message quotes the text it choked on; a socket error
   * names the address). Name and `code` stay, so the failure can still be told
   * apart; so does its own cause, redacted too.
   */
  redactCause(cause: unknown, depth = 0): unknown {
    if (typeof cause === "string") return this.redact(cause);
    if (!(cause instanceof Error)) return cause;
    const copy = new Error(this.redact(cause.message));
    Object.defineProperty(copy, "name", { value: cause.name, enumerable: false, writable: true, configurable: true });
    copy.stack = cause.stack === undefined ? undefined : this.redact(cause.stack);
    const code = (cause as { code?: unknown }).code;
    if (code !== undefined) Object.defineProperty(copy, "code", { value: code, enumerable: true });
    const inner = (cause as { cause?: unknown }).cause;
    if (inner !== undefined && depth < 4) {
      Object.defineProperty(copy, "cause", { value: this.redactCause(inner, depth + 1), enumerable: false });
    }
    return copy;
  }

  /** Whether `text` contains any secret this redactor knows. */
  finds(text: string): boolean {
    const pattern = this.#compiled();
    if (!pattern || text.length < MIN_SECRET_LENGTH) return false;
    pattern.lastIndex = 0;
    return pattern.test(text);
  }
}

function forms(secret: string, encodedForms: readonly string[]): string[] {
  return [...new Set([secret, encodeURIComponent(secret), ...encodedForms])].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

function isCopied(value: unknown): value is object {
  return (
    value !== null &&
    typeof value === "object" &&
    !(value instanceof Uint8Array) &&
    !(value instanceof ArrayBuffer)
  );
}

function shell(value: object): Record<string, unknown> {
  return (Array.isArray(value) ? new Array(value.length) : {}) as Record<string, unknown>;
}

/** `target[key] = value`, except that `__proto__` becomes an own property instead of a new prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
