/**
 * Headers without the `Headers` global. In Node.js the first touch of `Headers`,
 * `Request`, `Response` or `FormData` loads undici, which takes 30–50 ms; on the
 * Node HTTP path nothing else needs it, so requests carry their headers in this
 * class instead and a client's first call is that much sooner.
 *
 * It has the shape of `Headers` (names compared case-insensitively, iterated in
 * lower case and sorted, `get` joining repeated values with ", "), so auth
 * strategies and hooks written against `Headers` work on it unchanged, and `fetch`
 * accepts it as `HeadersInit`.
 */
export class HeaderMap implements Headers {
  readonly #values = new Map<string, string[]>();
  /** Names set or appended since `recordWrites()`, when recording. */
  #written: Set<string> | undefined;

  constructor(init?: HeadersInit | HeaderMap | null) {
    if (!init) return;
    if (isHeadersLike(init) || Array.isArray(init)) {
      for (const [name, value] of init as Iterable<[string, string]>) this.append(name, value);
    } else {
      for (const [name, value] of Object.entries(init)) this.append(name, value);
    }
  }

  /**
   * Starts noting the names of the headers set or appended from now on, and
   * returns that (live) set: the transport learns which headers an auth strategy
   * wrote, without comparing copies.
   */
  recordWrites(): ReadonlySet<string> {
    this.#written = new Set();
    return this.#written;
  }

  append(name: string, value: string): void {
    const key = name.toLowerCase();
    this.#written?.add(key);
    const list = this.#values.get(key);
    if (list) list.push(String(value));
    else this.#values.set(key, [String(value)]);
  }

  set(name: string, value: string): void {
    const key = name.toLowerCase();
    this.#written?.add(key);
    this.#values.set(key, [String(value)]);
  }

  delete(name: string): void {
    this.#values.delete(name.toLowerCase());
  }

  get(name: string): string | null {
    return this.#values.get(name.toLowerCase())?.join(", ") ?? null;
  }

  getSetCookie(): string[] {
    return [...(this.#values.get("set-cookie") ?? [])];
  }

  has(name: string): boolean {
    return this.#values.has(name.toLowerCase());
  }

  forEach(callback: (value: string, key: string, parent: Headers) => void, thisArg?: unknown): void {
    for (const [key, value] of this) callback.call(thisArg, value, key, this);
  }

  *entries(): HeadersIterator<[string, string]> {
    for (const key of [...this.#values.keys()].sort()) {
      const values = this.#values.get(key) as string[];
      // As in `Headers`: set-cookie lines stay apart, other repeats are joined.
      if (key === "set-cookie") for (const value of values) yield [key, value];
      else yield [key, values.join(", ")];
    }
  }

  *keys(): HeadersIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  *values(): HeadersIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  [Symbol.iterator](): HeadersIterator<[string, string]> {
    return this.entries();
  }

  get [Symbol.toStringTag](): string {
    return "Headers";
  }
}

/**
 * Whether a value is a `Headers` or a `HeaderMap`, told without touching the
 * `Headers` global (which would load undici in Node.js).
 */
export function isHeadersLike(value: unknown): value is Headers {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Headers).get === "function" &&
    typeof (value as Headers).entries === "function" &&
    typeof (value as Headers).has === "function"
  );
}

/** A header of a `Headers` object or a plain record of headers, by name in any case; null when absent. */
export function headerValue(headers: unknown, name: string): string | null {
  if (isHeadersLike(headers)) return headers.get(name);
  if (!headers || typeof headers !== "object") return null;
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === lower && typeof value === "string") return value;
  return null;
}
