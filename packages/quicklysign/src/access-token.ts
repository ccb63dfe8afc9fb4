import {
  type AuthContext,
  type AuthStrategy,
  type Credential,
  headerAuth,
  type Redactor,
  resolveCredential,
  singleFlight,
  ValidationError,
} from "@esign-users/runtime";

import { api } from "./generated/operations.js";

const PROVIDER = "quicklysign";
/**
 * QuicklySign reads the token from a header of its own, not from `Authorization`: the
 * header the spec's `accessToken` security scheme names.
 */
export const ACCESS_TOKEN_HEADER: string = headerOf(api.securitySchemes.accessToken);

function headerOf(scheme: { name?: string } | undefined): string {
  if (!scheme?.name) throw new Error("specs/quicklysign.yaml: the accessToken security scheme names no header");
  return scheme.name;
}

export interface AccessTokenAuth extends AuthStrategy {
  /** Whether requests can carry a token at all (an apiKey or an accessToken was given). */
  readonly available: boolean;
  /**
   * Counts the tokens obtained so far (0: none yet); lets a caller tell whether the
   * token changed under it.
   */
  readonly generation: number;
  /** Obtains a token now if none is held yet; `signal` lets the caller give up waiting. */
  ready(signal?: AbortSignal): Promise<void>;
  /**
   * Makes the next request use a token newer than the one held when `generation`
   * was read (0 meaning "none was held yet": the first token obtained), unless
   * another call has replaced it already. The new token is obtained by that next
   * request, under its timeout and signal. For refusals the transport cannot see
   * (a 401 inside a 200 answer).
   */
  renew(generation: number): Promise<void>;
}

export interface AccessTokenAuthOptions {
  apiKey?: Credential | undefined;
  accessToken?: Credential | undefined;
  redactor: Redactor;
  /**
   * Exchanges an api_key for a new access token (`POST /access_tokens`). `signal`
   * aborts when every call waiting for the token has given up.
   */
  requestToken(apiKey: string, signal: AbortSignal): Promise<string>;
}

/**
 * The `access_token` header for the user endpoints.
 *
 * Given an apiKey, tokens are obtained on first use and reused; a 401 means the
 * token expired, so one new token is fetched and the request repeated once.
 * Concurrent calls share one fetch and, after expiry, one refresh. A token is
 * obtained inside a call's attempt, under its `timeoutMs` and signal: a caller
 * that gives up stops waiting at once, and the shared token request is aborted
 * when nobody waits for it any more. Given an accessToken, it is sent as it is (a
 * function is asked again after a 401).
 */
export function accessTokenAuth(options: AccessTokenAuthOptions): AccessTokenAuth {
  const { apiKey, accessToken, redactor } = options;
  if (apiKey !== undefined) return cachedTokenAuth(apiKey, options);
  if (accessToken !== undefined) {
    const refreshable = typeof accessToken === "function";
    const strategy = headerAuth(ACCESS_TOKEN_HEADER, accessToken, redactor, {
      name: "accessToken",
      provider: PROVIDER,
      refreshOnUnauthorized: refreshable,
    });
    return {
      ...strategy,
      available: true,
      generation: 0,
      // A function is called before every request anyway; a fixed token cannot be renewed.
      ready: async () => {},
      renew: async () => {},
    };
  }
  return {
    available: false,
    generation: 0,
    async apply() {
      throw missingCredential();
    },
    async ready() {
      throw missingCredential();
    },
    async renew() {
      throw missingCredential();
    },
  };
}

export function missingCredential(): ValidationError {
  return new ValidationError(
    `${PROVIDER}: this call needs an access token: pass apiKey (or accessToken) to createQuicklySignClient`,
    { field: "apiKey", provider: PROVIDER },
  );
}

interface Token {
  value: string;
  generation: number;
}

function cachedTokenAuth(apiKey: Credential, options: AccessTokenAuthOptions): AccessTokenAuth {
  const { redactor, requestToken } = options;
  let current: Token | undefined;
  let generation = 0;
  // Which token each call last sent, keyed by the call (the transport passes the same
  // `call` object on every attempt of a call), so that a 401 for a token that another
  // call has already replaced does not cause a second refresh.
  const sentBy = new WeakMap<object, number>();

  // Shared by every call that needs a token meanwhile; each waits on its own signal, and the
  // request is aborted only when all of them have given up.
  const obtain = singleFlight(async (signal): Promise<Token> => {
    const key = await resolveCredential(apiKey, "apiKey", PROVIDER);
    redactor.addRotating("apiKey", key);
    const value = await requestToken(key, signal);
    redactor.addRotating(ACCESS_TOKEN_HEADER, value);
    current = { value, generation: ++generation };
    return current;
  });

  async function tokenFor(context: AuthContext): Promise<Token> {
    if (!context.refresh) return current ?? obtain(context.signal);
    const sent = context.call ? sentBy.get(context.call) : undefined;
    if (current && sent !== undefined && current.generation !== sent) return current;
    return obtain(context.signal);
  }

  return {
    refreshOnUnauthorized: true,
    available: true,
    get generation() {
      return generation;
    },
    async apply(headers, context) {
      const token = await tokenFor(context);
      if (context.call) sentBy.set(context.call, token.generation);
      headers.set(ACCESS_TOKEN_HEADER, token.value);
    },
    async ready(signal) {
      if (!current) await obtain(signal);
    },
    async renew(stale) {
      // A call that began with no token held sent the first one obtained.
      if (current && current.generation === Math.max(stale, 1)) current = undefined;
    },
  };
}
