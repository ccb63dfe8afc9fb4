import {
  type ApiClient,
  AuthenticationError,
  type CommonClientOptions,
  type Credential,
  checkCredentialOption,
  createApiClient,
  noAuth,
  type OperationInput,
  Redactor,
  type RequestOptions,
  ResponseFormatError,
  resolveCredential,
  splitInput,
  ValidationError,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import { type AccessTokenAuth, accessTokenAuth, missingCredential } from "./access-token.js";
import { operations as table } from "./generated/operations.js";
import type { components, operations, paths } from "./generated/schema.js";
import { quicklysignProfile } from "./profile.js";
import { routeRaw } from "./raw.js";
import { checkNewUser, checkUpdate } from "./validate.js";

const PROVIDER = "quicklysign";
const FORCE_200 = "always_use_http_status_code_200";
/**
 * createUser and createAccessToken send the application's credentials (and an
 * api_key) in the body, and answer with a secret (the new user's api_key, the
 * token): no redirect takes the body elsewhere, and a malformed answer is not kept
 * in the error. Said here by hand until the generated table carries it.
 */
const SECRET_EXCHANGE = { bodyCarriesCredentials: true, responseMayCarrySecrets: true } as const;

export const QUICKLYSIGN_BASE_URLS = {
  sandbox: "https://sandboxapi.quicklysign.com/v1",
  production: "https://api.quicklysign.com/v1",
} as const;

export type QuicklySignEnvironment = keyof typeof QUICKLYSIGN_BASE_URLS;

export type QuicklySignUser = components["schemas"]["User"];
/** The user as `users.create` returns it: the only answer that carries its `api_key`. */
export type CreatedQuicklySignUser = components["schemas"]["CreatedUser"];
export type QuicklySignAccessToken = components["schemas"]["AccessToken"];

type ApplicationFields = "client_id" | "client_secret";
export type CreateUserInput = Omit<OperationInput<operations["createUser"]>, ApplicationFields>;
export type CreateAccessTokenInput = Omit<OperationInput<operations["createAccessToken"]>, ApplicationFields | "api_key"> & {
  /** The user's api_key; defaults to the client's `apiKey` option. */
  api_key?: string;
};
export type GetSelfInput = OperationInput<operations["getSelf"]>;
/** Any of name, last_name and mobile_number. `email_address` cannot be changed, so it is not accepted. */
export type UpdateSelfInput = OperationInput<operations["updateSelf"]>;

export interface QuicklySignClientOptions extends CommonClientOptions {
  /** Which QuicklySign API to talk to. Default `"sandbox"`; `baseUrl` overrides both. */
  environment?: QuicklySignEnvironment;
  /** Your application's client id. */
  clientId: Credential;
  /** Your application's client secret (or a function returning it). */
  clientSecret: Credential;
  /**
   * A user's api_key. The client exchanges it for access tokens by itself, reuses
   * them, and fetches a new one once when a token expires.
   */
  apiKey?: Credential;
  /** An access token to send as it is, instead of an apiKey (a function is asked again after a 401). */
  accessToken?: Credential;
}

export interface QuicklySignClient {
  readonly environment: QuicklySignEnvironment;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  users: {
    /** Adds a user with the application credentials; the result carries the user's secret `api_key`. */
    create(input: CreateUserInput, options?: RequestOptions): Promise<CreatedQuicklySignUser>;
    /** The user the access token belongs to. Needs `apiKey` or `accessToken`. */
    getSelf(input?: GetSelfInput, options?: RequestOptions): Promise<QuicklySignUser>;
    /** Changes the token's user. Needs `apiKey` or `accessToken`. */
    updateSelf(input: UpdateSelfInput, options?: RequestOptions): Promise<QuicklySignUser>;
  };
  accessTokens: {
    /** Exchanges an api_key (by default the client's own) for a new access token. */
    create(input?: CreateAccessTokenInput, options?: RequestOptions): Promise<QuicklySignAccessToken>;
  };
  /**
   * The typed openapi-fetch client, with this client's retries and timeouts. Calls
   * to `/users/self` carry the access token; calls to `POST /users` and
   * `POST /access_tokens` do not (put the application credentials in the body).
   */
  raw: Client<paths>;
}

type Engine = ApiClient<paths, operations, typeof table>;

/** Takes `data` out of QuicklySign's `{status, data}` envelope. */
function unwrap(body: unknown, key: string | undefined, operationId: string): unknown {
  const data = (body as { data?: unknown } | null | undefined)?.data;
  const value = key === undefined ? data : (data as Record<string, unknown> | null | undefined)?.[key];
  if (value === null || typeof value !== "object") {
    throw new ResponseFormatError({
      message: `${PROVIDER} ${operationId} answered success without ${key === undefined ? "data" : `data.${key}`}`,
      provider: PROVIDER,
    });
  }
  return value;
}

function checkOptions(options: QuicklySignClientOptions): QuicklySignEnvironment {
  if (!options || typeof options !== "object") {
    throw new ValidationError(`${PROVIDER}: createQuicklySignClient takes an options object`, { provider: PROVIDER });
  }
  const environment = options.environment ?? "sandbox";
  if (!Object.hasOwn(QUICKLYSIGN_BASE_URLS, environment)) {
    throw new ValidationError(`${PROVIDER}: environment must be "sandbox" or "production"`, {
      field: "environment",
      provider: PROVIDER,
    });
  }
  checkCredentialOption(options.clientId, "clientId", PROVIDER);
  checkCredentialOption(options.clientSecret, "clientSecret", PROVIDER);
  if (options.apiKey !== undefined) checkCredentialOption(options.apiKey, "apiKey", PROVIDER);
  if (options.accessToken !== undefined) checkCredentialOption(options.accessToken, "accessToken", PROVIDER);
  if (options.apiKey !== undefined && options.accessToken !== undefined) {
    throw new ValidationError(`${PROVIDER}: pass apiKey or accessToken, not both`, {
      field: "accessToken",
      provider: PROVIDER,
    });
  }
  return environment;
}

/**
 * A client for QuicklySign's user API.
 *
 * ```ts
 * const qs = createQuicklySignClient({ clientId, clientSecret, apiKey }); // the sandbox API by default
 * const me = await qs.users.getSelf();
 * ```
 */
export function createQuicklySignClient(options: QuicklySignClientOptions): QuicklySignClient {
  const environment = checkOptions(options);
  const { environment: _environment, clientId, clientSecret, apiKey, accessToken, ...common } = options;
  const baseUrl = common.baseUrl ?? QUICKLYSIGN_BASE_URLS[environment];
  // One redactor for both engines, so a secret learned by one is hidden by the other's logs and errors.
  const redactor = new Redactor();
  // The client id is not secret on its own, but it is half of the application's credentials: keep it out too.
  for (const secret of [clientId, clientSecret, apiKey, accessToken]) if (typeof secret === "string") redactor.add(secret);

  // The application endpoints authenticate in the body and must not carry a token.
  const application: Engine = createApiClient({ ...common, profile: quicklysignProfile, baseUrl, auth: noAuth, redactor });

  const applicationCredentials = async () => {
    const secret = await resolveCredential(clientSecret, "clientSecret", PROVIDER);
    const id = await resolveCredential(clientId, "clientId", PROVIDER);
    redactor.add(secret);
    redactor.add(id);
    return { client_id: id, client_secret: secret };
  };

  // `rest` is the caller's input besides the api_key (the query flag); the credentials are added here.
  const requestToken = async (key: string, rest: Record<string, unknown> = {}, requestOptions?: RequestOptions) => {
    redactor.add(key);
    const body = await application.call(
      "createAccessToken",
      { ...(await applicationCredentials()), api_key: key, ...rest },
      { ...requestOptions, ...SECRET_EXCHANGE },
    );
    const token = unwrap(body, undefined, "createAccessToken") as QuicklySignAccessToken;
    if (typeof token.access_token !== "string" || token.access_token === "") {
      throw new ResponseFormatError({
        message: `${PROVIDER} createAccessToken answered success without data.access_token`,
        provider: PROVIDER,
      });
    }
    // Tokens rotate: only the last few stay registered (the redactor keeps four per credential).
    redactor.addRotating("access_token", token.access_token);
    return token;
  };

  const auth: AccessTokenAuth = accessTokenAuth({
    apiKey,
    accessToken,
    redactor,
    requestToken: async (key, signal) => (await requestToken(key, {}, { signal })).access_token,
  });
  const session: Engine = createApiClient({ ...common, profile: quicklysignProfile, baseUrl, auth, redactor });

  /**
   * Runs a user call. The transport refreshes on a 401 status line by itself; with
   * `always_use_http_status_code_200` the status line says 200 and the 401 is only
   * in the body, so that one refresh happens here instead.
   */
  async function asUser(operationId: "getSelf" | "updateSelf", input: object, requestOptions?: RequestOptions) {
    if (!auth.available) throw missingCredential();
    // Refuse unknown parameters before a token request could be sent on the call's behalf.
    splitInput(operationId, table[operationId], input as Record<string, unknown>, {}, PROVIDER);
    // The token, when none is held yet, is obtained by the call itself, under its timeout and signal.
    const generation = auth.generation;
    try {
      return await session.call(operationId, input as Record<string, unknown>, requestOptions);
    } catch (error) {
      // With the flag every answer has a 200 status line, so the transport made one attempt
      // (retryCount 0) and did not refresh. Token fetches never carry the flag, so a refused
      // api_key is not mistaken for an expired token.
      const refusedInBody =
        error instanceof AuthenticationError &&
        error.retryCount === 0 &&
        error.request?.url.includes(`${FORCE_200}=true`) === true;
      if (!refusedInBody || !auth.refreshOnUnauthorized) throw error;
      await auth.renew(generation);
      return session.call(operationId, input as Record<string, unknown>, requestOptions);
    }
  }

  let raw: Client<paths> | undefined;
  return {
    environment,
    baseUrl,
    users: {
      async create(input, requestOptions) {
        checkNewUser(input);
        const { client_id: _id, client_secret: _secret, ...rest } = input as Record<string, unknown>;
        const body = await application.call(
          "createUser",
          { ...(await applicationCredentials()), ...rest },
          { ...requestOptions, ...SECRET_EXCHANGE },
        );
        const user = unwrap(body, "user", "createUser") as CreatedQuicklySignUser;
        // The api_key is handed back to the caller, but never again shown in a log or an error.
        redactor.add(user.api_key);
        return user;
      },
      async getSelf(input = {}, requestOptions) {
        return unwrap(await asUser("getSelf", input, requestOptions), "user", "getSelf") as QuicklySignUser;
      },
      async updateSelf(input, requestOptions) {
        checkUpdate(input);
        return unwrap(await asUser("updateSelf", input, requestOptions), "user", "updateSelf") as QuicklySignUser;
      },
    },
    accessTokens: {
      async create(input = {}, requestOptions) {
        // The application credentials always come from the client, never from the input.
        const { api_key: given, client_id: _id, client_secret: _secret, ...rest } = input as Record<string, unknown>;
        if (given !== undefined && (typeof given !== "string" || given === "")) {
          throw new ValidationError(`${PROVIDER}: api_key must be a non-empty string`, {
            field: "api_key",
            provider: PROVIDER,
          });
        }
        if (given === undefined && apiKey === undefined) {
          throw new ValidationError(`${PROVIDER}: pass api_key, or give the client an apiKey`, {
            field: "api_key",
            provider: PROVIDER,
          });
        }
        const key = given ?? (await resolveCredential(apiKey as Credential, "apiKey", PROVIDER));
        return requestToken(key, rest, requestOptions);
      },
    },
    // Made on first use, like each client's own raw (see the runtime's createApiClient).
    get raw() {
      raw ??= routeRaw(application.raw, session.raw, table, ["createUser", "createAccessToken"]);
      return raw;
    },
  };
}
