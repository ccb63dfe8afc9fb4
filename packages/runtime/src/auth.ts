import { onAbort } from "./abort.js";
import { ValidationError } from "./errors.js";
import { base64, Redactor } from "./redact.js";

/**
 * A credential given as a value or as a function called before every request, so
 * that tokens can rotate without recreating the client.
 */
export type Credential = string | (() => string | Promise<string>);

export interface AuthContext {
  /** True on the one retry after a 401, when the strategy declared `refreshOnUnauthorized`. */
  refresh: boolean;
  /**
   * The attempt's signal: it aborts when the caller's signal does or when the
   * attempt's `timeoutMs` runs out (the timer starts before credentials are
   * obtained). A strategy that waits (for a token request) gives up when it fires.
   */
  signal?: AbortSignal | undefined;
  /** The same object for every attempt of one call, different for each call. */
  call?: object;
}

/** How a client puts its credentials on a request. */
export interface AuthStrategy {
  /** Sets the credential headers on an outgoing request. */
  apply(headers: Headers, context: AuthContext): Promise<void>;
  /**
   * When true, a 401 is answered once by calling `apply` again with `refresh: true`
   * and repeating the request (the credential was refused, so nothing happened and
   * repeating is safe even for a create).
   */
  refreshOnUnauthorized?: boolean;
}

export async function resolveCredential(credential: Credential, name: string, provider?: string): Promise<string> {
  const value = typeof credential === "function" ? await credential() : credential;
  if (typeof value !== "string" || value.length === 0) {
    throw new ValidationError(`${name} must be a non-empty string (or a function returning one)`, {
      field: name,
      provider,
    });
  }
  assertHeaderSafe(value, name, provider);
  return value;
}

/** Refuses CR, LF and NUL in a value that goes on the wire (a header, an id): they could split a request. */
export function assertNoLineBreaks(value: string, name: string, provider?: string): void {
  if (/[\r\n\0]/.test(value)) {
    throw new ValidationError(`${name} contains a line break or NUL character, which cannot be sent`, {
      field: name,
      provider,
    });
  }
}

/** What RFC 9110 allows in a header name (a "token"). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * Header values must not carry CR/LF (refused before they could split a request),
 * other control characters, or characters beyond U+00FF, which HTTP cannot carry
 * and which Node and fetch would refuse only once the request was on its way.
 * `name` is the header's name (or, for a credential, the option's name), and must
 * itself be a valid header name: no spaces, CR/LF or other separators.
 */
export function assertHeaderSafe(value: string, name: string, provider?: string): void {
  if (!HEADER_NAME.test(name)) {
    const shown = JSON.stringify(name).slice(0, 80);
    throw new ValidationError(`${shown} is not a valid header name (letters, digits and !#$%&'*+-.^_\`|~ only)`, {
      field: name,
      provider,
    });
  }
  if (typeof value !== "string") {
    throw new ValidationError(`the header ${name} must be a string`, { field: name, provider });
  }
  assertNoLineBreaks(value, name, provider);
  const unsendable = /[^\t\x20-\x7e\x80-\xff]/u.exec(value);
  if (unsendable) {
    const code = `U+${(unsendable[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;
    throw new ValidationError(`${name} contains the character ${code}, which cannot be sent in a header`, {
      field: name,
      provider,
    });
  }
}

export function checkCredentialOption(credential: unknown, name: string, provider: string): void {
  if (typeof credential === "function") return;
  if (typeof credential !== "string" || credential.length === 0) {
    throw new ValidationError(`${provider}: the ${name} option is required (a string, or a function returning one)`, {
      field: name,
      provider,
    });
  }
  assertHeaderSafe(credential, name, provider);
}

/** Registers a credential's static value, so even one that is never sent is redacted. */
function remember(redactor: Redactor, credential: Credential): void {
  if (typeof credential === "string") redactor.add(credential);
}

/** `Authorization: Bearer <token>`; the token function is called again after a 401 when `refreshOnUnauthorized`. */
export function bearerAuth(
  token: Credential,
  redactor: Redactor,
  options: { name?: string; provider?: string; refreshOnUnauthorized?: boolean } = {},
): AuthStrategy {
  remember(redactor, token);
  const strategy: AuthStrategy = {
    refreshOnUnauthorized: options.refreshOnUnauthorized ?? typeof token === "function",
    async apply(headers) {
      const value = await resolveCredential(token, options.name ?? "accessToken", options.provider);
      redactor.addRotating(strategy, value);
      headers.set("Authorization", `Bearer ${value}`);
    },
  };
  return strategy;
}

/**
 * HTTP Basic authentication. A password given as a string is sent as it is, empty
 * included (Dropbox Sign's API key is the user name with an empty password); a
 * password function must return a non-empty one, like every credential function.
 */
export function basicAuth(
  user: Credential,
  password: Credential,
  redactor: Redactor,
  options: { name?: string; provider?: string } = {},
): AuthStrategy {
  remember(redactor, user);
  remember(redactor, password);
  const strategy: AuthStrategy = {
    async apply(headers) {
      const u = await resolveCredential(user, options.name ?? "user", options.provider);
      const p = typeof password === "string" ? password : await resolveCredential(password, "password", options.provider);
      redactor.addBasic(u, p, strategy);
      headers.set("Authorization", `Basic ${base64(`${u}:${p}`)}`);
    },
  };
  return strategy;
}

/** A credential sent in a header of its own (`X-API-KEY`, `access_token`). */
export function headerAuth(
  header: string,
  credential: Credential,
  redactor: Redactor,
  options: { name?: string; provider?: string; refreshOnUnauthorized?: boolean } = {},
): AuthStrategy {
  remember(redactor, credential);
  const strategy: AuthStrategy = {
    refreshOnUnauthorized: options.refreshOnUnauthorized ?? false,
    async apply(headers) {
      const value = await resolveCredential(credential, options.name ?? header, options.provider);
      redactor.addRotating(strategy, value);
      headers.set(header, value);
    },
  };
  return strategy;
}

export const noAuth: AuthStrategy = {
  async apply() {},
};

interface Flight<T> {
  readonly promise: Promise<T>;
  readonly controller: AbortController;
  /** Callers still waiting that could give up (those without a signal never do). */
  waiting: number;
}

/**
 * Runs `task` once for any number of concurrent callers: the first call starts it,
 * the others wait for the same promise. Used for token requests and refreshes, so
 * that twenty requests needing a token cause one token request, not twenty.
 *
 * Each caller may bring its own signal and gives up on its own when it fires
 * (rejecting with the signal's reason) while the others keep waiting. The task's
 * own signal aborts only when every caller that was waiting has given up; the
 * next caller then starts afresh.
 */
export function singleFlight<T>(task: (signal: AbortSignal) => Promise<T>): (signal?: AbortSignal) => Promise<T> {
  let current: Flight<T> | undefined;
  const start = (): Flight<T> => {
    const controller = new AbortController();
    const flight: Flight<T> = {
      controller,
      waiting: 0,
      promise: Promise.resolve()
        .then(() => task(controller.signal))
        .finally(() => {
          if (current === flight) current = undefined;
        }),
    };
    // Every caller may have left: the outcome is then nobody's, and must not be reported as unhandled.
    flight.promise.catch(() => {});
    return flight;
  };
  return (signal) => {
    if (signal?.aborted) return Promise.reject(signal.reason);
    current ??= start();
    const flight = current;
    if (!signal) {
      flight.waiting = Number.POSITIVE_INFINITY;
      return flight.promise;
    }
    flight.waiting++;
    return new Promise<T>((resolve, reject) => {
      const leave = onAbort(signal, () => {
        flight.waiting--;
        if (flight.waiting <= 0) {
          if (current === flight) current = undefined;
          flight.controller.abort(signal.reason);
        }
        reject(signal.reason);
      });
      flight.promise.then(
        (value) => {
          leave();
          resolve(value);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  };
}
