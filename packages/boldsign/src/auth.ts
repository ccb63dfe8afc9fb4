import {
  type AuthStrategy,
  bearerAuth,
  type Credential,
  checkCredentialOption,
  headerAuth,
  type Redactor,
  singleFlight,
  ValidationError,
} from "@esign-users/runtime";

/**
 * An OAuth access token, or a function returning one. The function is called
 * before every request with `refresh: false`, and once more with `refresh: true`
 * after BoldSign refuses a token with 401 — the moment to use the refresh token.
 */
export type AccessToken = string | ((context: { refresh: boolean }) => string | Promise<string>);

export interface BoldSignCredentials {
  apiKey?: Credential | undefined;
  accessToken?: AccessToken | undefined;
}

const provider = "boldsign";

/** `X-API-KEY` for an API key, `Authorization: Bearer` for an access token; exactly one of them. */
export function boldsignAuth(credentials: BoldSignCredentials, redactor: Redactor): AuthStrategy {
  const hasKey = credentials.apiKey != null;
  const hasToken = credentials.accessToken != null;
  if (hasKey && hasToken) {
    throw new ValidationError("boldsign: pass either apiKey or accessToken, not both", {
      field: "accessToken",
      provider,
    });
  }
  if (!hasKey && !hasToken) {
    throw new ValidationError("boldsign: an apiKey or an accessToken is required", { field: "apiKey", provider });
  }
  if (hasKey) {
    checkCredentialOption(credentials.apiKey, "apiKey", provider);
    return headerAuth("X-API-KEY", credentials.apiKey as Credential, redactor, { name: "apiKey", provider });
  }
  const token = credentials.accessToken as AccessToken;
  checkCredentialOption(token, "accessToken", provider);
  const options = { name: "accessToken", provider };
  if (typeof token === "string") return bearerAuth(token, redactor, options);
  const current = bearerAuth(() => token({ refresh: false }), redactor, options);
  // Requests refused together share one refresh instead of each asking for a new token.
  const renewed = bearerAuth(singleFlight(async () => token({ refresh: true })), redactor, options);
  return {
    refreshOnUnauthorized: true,
    apply: (headers, context) => (context.refresh ? renewed : current).apply(headers, context),
  };
}
