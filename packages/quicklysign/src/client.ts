import {
  type ApiClient,
  type CommonClientOptions,
  type Credential,
  checkCredentialOption,
  createProviderClient,
  namedServers,
  Redactor,
  resolveBaseUrl,
  ValidationError,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import { accessTokenAuth } from "./access-token.js";
import type { QuicklySignAccessToken, QuicklySignEnvironment, QuicklySignMethods } from "./generated/client.js";
import { api } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";
import { parseQuicklySignError, quicklysignFailureInBody } from "./profile.js";

const PROVIDER = "quicklysign";

/** The API of each QuicklySign environment, from the spec's `servers`. */
export const QUICKLYSIGN_BASE_URLS = namedServers(api) as Readonly<Record<QuicklySignEnvironment, string>>;

export interface QuicklySignClientOptions extends CommonClientOptions {
  /** Which QuicklySign API to talk to. Default `"sandbox"`; `baseUrl` overrides both. */
  environment?: QuicklySignEnvironment;
  /** Your application's client id (sent in the body of `users.create` and `accessTokens.create`). */
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

/** Every operation of the QuicklySign spec as a method, plus `raw`. */
export interface QuicklySignClient extends QuicklySignMethods {
  readonly environment: QuicklySignEnvironment;
  /** The base URL requests go to. */
  readonly baseUrl: string;
  /**
   * The typed openapi-fetch client, with this client's retries and timeouts. Calls
   * to operations that need a token (`/users/self`) carry it; the others do not
   * (put the application credentials in their body).
   */
  readonly raw: Client<paths>;
}

function checkOptions(options: QuicklySignClientOptions): QuicklySignEnvironment {
  if (!options || typeof options !== "object") {
    throw new ValidationError(`${PROVIDER}: createQuicklySignClient takes an options object`, { provider: PROVIDER });
  }
  checkCredentialOption(options.clientId, "clientId", PROVIDER);
  checkCredentialOption(options.clientSecret, "clientSecret", PROVIDER);
  if (options.apiKey !== undefined) checkCredentialOption(options.apiKey, "apiKey", PROVIDER);
  if (options.accessToken !== undefined) checkCredentialOption(options.accessToken, "accessToken", PROVIDER);
  if (options.apiKey !== undefined && options.accessToken !== undefined) {
    throw new ValidationError(`${PROVIDER}: pass apiKey or accessToken, not both`, { field: "accessToken", provider: PROVIDER });
  }
  const environment = options.environment ?? "sandbox";
  resolveBaseUrl(api, { server: environment });
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
  const { clientId, clientSecret, apiKey, accessToken } = options;
  const redactor = new Redactor();
  // The client id is not secret on its own, but it is half of the application's credentials: keep it out too.
  for (const secret of [clientId, clientSecret, apiKey, accessToken]) if (typeof secret === "string") redactor.add(secret);

  // QuicklySign's quirk: an api_key is not sent to the user endpoints but exchanged for
  // a short-lived token first (`createAccessToken`, which needs no token itself).
  const engine: { current?: ApiClient<paths> } = {};
  const tokens = accessTokenAuth({
    apiKey,
    accessToken,
    redactor,
    // Runs inside the call that needed the token, under its signal and timeout.
    requestToken: async (key, signal) => {
      const token = (await engine.current?.call("createAccessToken", { api_key: key }, { signal })) as QuicklySignAccessToken;
      return token.access_token;
    },
  });
  const created = createProviderClient<QuicklySignMethods, paths>(
    { api },
    { ...options, environment },
    { clientId, clientSecret, apiKey },
    {
      redactor,
      // Without apiKey or accessToken this strategy refuses, naming the option to pass.
      auth: { accessToken: tokens },
      parseError: parseQuicklySignError,
      failureInBody: quicklysignFailureInBody,
    },
  );
  engine.current = created.engine;
  const baseUrl = options.baseUrl ?? resolveBaseUrl(api, { server: environment });
  return Object.assign(created.client, { environment, baseUrl });
}
