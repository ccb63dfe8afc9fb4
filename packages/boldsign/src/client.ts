import {
  type CommonClientOptions,
  type Credential,
  createProviderClient,
  namedServers,
  Redactor,
  ValidationError,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import { type AccessToken, refreshingBearer } from "./auth.js";
import type { BoldSignMethods, BoldSignRegion } from "./generated/client.js";
import { api } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";

/** The API host of each BoldSign data centre, from the spec's `servers`. */
export const BOLDSIGN_BASE_URLS = namedServers(api) as Readonly<Record<BoldSignRegion, string>>;

interface BoldSignClientBaseOptions extends CommonClientOptions {
  /** Which data centre the account lives in; picks the base URL. Default `"us"`. `baseUrl` overrides it. */
  region?: BoldSignRegion;
}

/** Exactly one of `apiKey` and `accessToken`. */
export type BoldSignClientOptions = BoldSignClientBaseOptions &
  (
    | {
        /** An API key (or a function returning one), sent as `X-API-KEY`. */
        apiKey: Credential;
        accessToken?: undefined;
      }
    | {
        /**
         * An OAuth access token, sent as `Authorization: Bearer`. A function is called
         * before every request, and again with `{ refresh: true }` after a 401.
         */
        accessToken: AccessToken;
        apiKey?: undefined;
      }
  );

/** Every operation of the BoldSign spec as a method, plus `raw`. */
export interface BoldSignClient extends BoldSignMethods {
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  readonly raw: Client<paths>;
}

const provider = "boldsign";

/**
 * A client for BoldSign's user API.
 *
 * ```ts
 * const boldsign = createBoldSignClient({ apiKey: process.env.BOLDSIGN_API_KEY!, region: "eu" });
 * for await (const user of boldsign.users.list()) console.log(user.email, user.userStatus);
 * ```
 */
export function createBoldSignClient(options: BoldSignClientOptions): BoldSignClient {
  const { apiKey, accessToken } = options ?? ({} as BoldSignClientOptions);
  // Either credential satisfies every operation (the spec's two alternatives); both at
  // once would leave it unclear which account a call acts for.
  if (apiKey != null && accessToken != null) {
    throw new ValidationError("boldsign: pass either apiKey or accessToken, not both", { field: "accessToken", provider });
  }
  const redactor = new Redactor();
  const refreshing = typeof accessToken === "function" ? { bearerAuth: refreshingBearer(accessToken, redactor) } : undefined;
  return createProviderClient<BoldSignMethods, paths>(
    { api },
    { ...options },
    { apiKey, accessToken: typeof accessToken === "string" ? accessToken : undefined },
    { redactor, auth: refreshing },
  ).client;
}
