import {
  type CommonClientOptions,
  type Credential,
  createProviderClient,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import type { DropboxSignMethods } from "./generated/client.js";
import { api } from "./generated/operations.js";
import type { paths } from "./generated/schema.js";

export interface DropboxSignClientOptions extends CommonClientOptions {
  /** sent as the HTTP Basic user name with an empty password; a string, or a function returning one (called before every request). */
  apiKey?: Credential;
  /** sent as `Authorization: Bearer`; a string, or a function returning one (called before every request). */
  accessToken?: Credential;
}

/** Every operation of the DropboxSign spec as a method, plus `raw`. */
export interface DropboxSignClient extends DropboxSignMethods {
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts. */
  readonly raw: Client<paths>;
}

/**
 * A client for the DropboxSign user API: one method per operation of `specs/dropboxsign.yaml`,
 * each input checked against the spec before anything is sent.
 */
export function createDropboxSignClient(options: DropboxSignClientOptions): DropboxSignClient {
  // The runtime checks the credentials against the spec's security (one alternative must be given).
  return createProviderClient<DropboxSignMethods, paths>({ api }, { ...options }, { apiKey: options?.apiKey, accessToken: options?.accessToken }).client;
}
