import {
  type CommonClientOptions,
  type Credential,
  createProviderClient,
  resolveBaseUrl,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import type { SignableMethods } from "./generated/client.js";
import { api } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";

/** Signable's API, from the spec's `servers`. */
export const SIGNABLE_BASE_URL = resolveBaseUrl(api, {});

export interface SignableClientOptions extends CommonClientOptions {
  /** The company's API key (or a function returning it). Sent as the Basic user name, with `x` as password. */
  apiKey: Credential;
}

/** Every operation of the Signable spec as a method, plus `raw`. */
export interface SignableClient extends SignableMethods {
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  readonly raw: Client<paths>;
}

/**
 * A client for Signable's user API.
 *
 * ```ts
 * const signable = createSignableClient({ apiKey: process.env.SIGNABLE_API_KEY! });
 * for await (const user of signable.users.list()) console.log(user.user_email);
 * ```
 */
export function createSignableClient(options: SignableClientOptions): SignableClient {
  return createProviderClient<SignableMethods, paths>({ api }, { ...options }, { apiKey: options?.apiKey }).client;
}
