import { type AuthStrategy, bearerAuth, type Redactor, singleFlight } from "@esign-users/runtime";

/**
 * An OAuth access token, or a function returning one. The function is called
 * before every request with `refresh: false`, and once more with `refresh: true`
 * after BoldSign refuses a token with 401 — the moment to use the refresh token.
 */
export type AccessToken = string | ((context: { refresh: boolean }) => string | Promise<string>);

/**
 * The bearer strategy for a token function that wants to know why it is called.
 * (A quirk of this package's options, not of the wire: the spec's bearer scheme
 * is an ordinary one.) Requests refused together share one refresh instead of
 * each asking for a new token.
 */
export function refreshingBearer(token: (context: { refresh: boolean }) => string | Promise<string>, redactor: Redactor): AuthStrategy {
  const options = { name: "accessToken", provider: "boldsign" };
  const current = bearerAuth(() => token({ refresh: false }), redactor, options);
  const renewed = bearerAuth(singleFlight(async () => token({ refresh: true })), redactor, options);
  return {
    refreshOnUnauthorized: true,
    apply: (headers, context) => (context.refresh ? renewed : current).apply(headers, context),
  };
}
