import {
  type ApiDefinition,
  type CommonClientOptions,
  type Credential,
  createProviderClient,
  type RequestOptions,
  ValidationError,
} from "@esign-users/runtime";
import type { Client } from "openapi-fetch";
import { type ImageInput, prepareProfileImage } from "./image.js";

export type DocuSignApiVersion = "v2" | "v2.1";

export interface DocuSignClientOptions extends CommonClientOptions {
  /**
   * Where the account lives: `https://demo.docusign.net/restapi` for developer
   * accounts, the account's `base_uri` (from OAuth `userinfo`) in production.
   * A base URI without a path gets `/restapi` added.
   */
  baseUrl: string;
  /**
   * An OAuth access token, or a function returning one. A function is called
   * before every request, and once more after a 401 (the request is then
   * repeated once), so expired tokens are replaced without a new client.
   */
  accessToken: Credential;
  /** The account every call addresses unless the call passes its own `accountId`. */
  accountId: string;
}

export interface ProfileImageInput {
  userId: string;
  accountId?: string;
  /** GIF, PNG, JPEG or BMP bytes, within DocuSign's size limit; the type is read from the bytes. */
  image: ImageInput;
}

/** What both versions' generated methods have in common, as far as this package touches them. */
interface VersionMethods {
  readonly profileImage: { put: unknown };
}

/**
 * A client for one API version: the version's generated methods, except that
 * `profileImage.put` takes the picture as `image` (its type is read from the bytes).
 */
export type DocuSignClientOf<Methods extends VersionMethods, Paths extends object> = Omit<Methods, "profileImage"> & {
  readonly version: DocuSignApiVersion;
  /** The account calls address by default. */
  readonly accountId: string;
  readonly profileImage: Omit<Methods["profileImage"], "put"> & {
    /** Uploads a profile picture; its Content-Type is read from the bytes. */
    put(input: ProfileImageInput, options?: RequestOptions): Promise<void>;
  };
  /** The typed openapi-fetch client, with this client's auth, retries and timeouts (pass `accountId` yourself). */
  readonly raw: Client<Paths>;
};

function invalid(message: string, field: string): ValidationError {
  return new ValidationError(`docusign: ${message}`, { field, provider: "docusign" });
}

/**
 * A quirk of DocuSign's OAuth: `userinfo` gives production base URIs without
 * `/restapi`, which every path hangs under. Accept them as they come.
 */
function normalizeBaseUrl(baseUrl: unknown): string {
  const hint = "https://demo.docusign.net/restapi, or the account's base URI in production";
  if (typeof baseUrl !== "string" || baseUrl === "") throw invalid(`baseUrl is required (${hint})`, "baseUrl");
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw invalid(`baseUrl must be an absolute URL (${hint})`, "baseUrl");
  }
  if (url.pathname.replace(/\/+$/, "") === "") url.pathname = "/restapi";
  return url.toString().replace(/\/+$/, "");
}

/** The one implementation behind both entry points; each passes its version's generated definition. */
export function buildDocuSignClient<Methods extends VersionMethods, Paths extends object>(
  api: ApiDefinition,
  version: DocuSignApiVersion,
  options: DocuSignClientOptions,
): DocuSignClientOf<Methods, Paths> {
  const accountId = options?.accountId;
  if (typeof accountId !== "string" || accountId.trim() === "") throw invalid("accountId must be a non-empty string", "accountId");
  const { client, engine } = createProviderClient<Methods, Paths>(
    { api },
    { ...options, baseUrl: normalizeBaseUrl(options.baseUrl) },
    { accessToken: options.accessToken },
    { defaultParams: { accountId } },
  );
  const profileImage = (client as unknown as { profileImage: Record<string, unknown> }).profileImage;
  // The spec takes the picture as bytes of one of four media types; this reads which from the bytes.
  profileImage.put = async (input: ProfileImageInput, callOptions?: RequestOptions) => {
    const { image, ...params } = input ?? ({} as ProfileImageInput);
    const { bytes, contentType } = await prepareProfileImage(image);
    await engine.call("updateProfileImage", { ...params, body: bytes }, { ...callOptions, contentType });
  };
  return Object.assign(client, { version, accountId }) as unknown as DocuSignClientOf<Methods, Paths>;
}
