import { type AuthStrategy, bearerAuth, type Credential, headerAuth, resolveCredential } from "./auth.js";
import type { ApiDefinition, SecuritySchemeDescriptor } from "./operations.js";
import { base64, type Redactor } from "./redact.js";

/** HTTP Basic with the credential as user name and the scheme's fixed password (Signable's `x`, Dropbox Sign's empty one). */
function fixedPasswordBasic(user: Credential, password: string, redactor: Redactor, name: string, provider: string): AuthStrategy {
  if (typeof user === "string") redactor.addBasic(user, password);
  return {
    async apply(headers) {
      const value = await resolveCredential(user, name, provider);
      redactor.addBasic(value, password);
      headers.set("Authorization", `Basic ${base64(`${value}:${password}`)}`);
    },
  };
}

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
    return fixedPasswordBasic(credential, scheme.password ?? "", redactor, options.name, options.provider);
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
