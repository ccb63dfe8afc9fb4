import { type AuthStrategy, basicAuth, bearerAuth, type Credential, headerAuth } from "./auth.js";
import type { ApiDefinition, SecuritySchemeDescriptor } from "./operations.js";
import type { Redactor } from "./redact.js";

/**
 * The strategy that satisfies one security scheme of the spec with a credential:
 * HTTP Basic, a bearer token, or a key in a header. Undefined for a scheme no
 * header can carry (a query key, a cookie).
 */
export function schemeAuth(
  scheme: SecuritySchemeDescriptor,
  credential: Credential,
  redactor: Redactor,
  options: { name: string; provider: string; refreshOnUnauthorized?: boolean },
): AuthStrategy | undefined {
  if (scheme.type === "http" && scheme.scheme === "basic") {
    // The credential is the user name; the scheme fixes the password (Signable's `x`, Dropbox Sign's empty one).
    return basicAuth(credential, scheme.password ?? "", redactor, options);
  }
  if ((scheme.type === "http" && scheme.scheme === "bearer") || scheme.type === "oauth2" || scheme.type === "openIdConnect") {
    return bearerAuth(credential, redactor, options);
  }
  if (scheme.type === "apiKey" && scheme.in === "header" && scheme.name) {
    return headerAuth(scheme.name, credential, redactor, options);
  }
  return undefined;
}

/**
 * One strategy per security scheme the caller gave a credential for, the
 * credential picked by the scheme's `x-esign-credential` option name:
 * `{ apiKey: "…" }` satisfies every scheme whose credential is `apiKey`.
 * Strategies given in `custom` (a token exchanged by the client itself) win.
 */
export function securityFromCredentials(
  api: ApiDefinition,
  credentials: Readonly<Record<string, Credential | undefined>>,
  redactor: Redactor,
  custom: Readonly<Record<string, AuthStrategy>> = {},
): Record<string, AuthStrategy> {
  const strategies: Record<string, AuthStrategy> = {};
  for (const [name, scheme] of Object.entries(api.securitySchemes)) {
    if (Object.hasOwn(custom, name)) {
      strategies[name] = custom[name] as AuthStrategy;
      continue;
    }
    const option = scheme.credential ?? name;
    const credential = credentials[option];
    if (credential === undefined || credential === null) continue;
    const strategy = schemeAuth(scheme, credential, redactor, { name: option, provider: api.provider });
    if (strategy) strategies[name] = strategy;
  }
  return strategies;
}
