import { ValidationError } from "./errors.js";
import type { ApiDefinition, ServerDescriptor } from "./operations.js";

/** A server's URL with its `{variables}` filled in (each variable's default unless given). */
export function serverUrl(server: ServerDescriptor, variables: Readonly<Record<string, string>> = {}, provider = "client"): string {
  return server.url.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const spec = server.variables?.[name];
    const value = variables[name] ?? spec?.default;
    if (value === undefined) {
      throw new ValidationError(`${provider}: the server URL needs a value for ${name}`, { field: name, provider, rule: "required" });
    }
    if (spec?.enum && !spec.enum.includes(value)) {
      throw new ValidationError(`${provider}: ${name} must be one of ${spec.enum.join(", ")}`, { field: name, provider, rule: "enum" });
    }
    if (!/^[A-Za-z0-9.-]*$/.test(value)) {
      throw new ValidationError(`${provider}: ${name} may hold only letters, digits, dots and dashes`, { field: name, provider, rule: "pattern" });
    }
    return value;
  });
}

/** The servers a spec names (`x-esign-name`), by name: what a `region` or `environment` option picks from. */
export function namedServers(api: ApiDefinition): Record<string, string> {
  const named: Record<string, string> = {};
  for (const server of api.servers) if (server.name) named[server.name] = serverUrl(server, {}, api.provider);
  return named;
}

/**
 * The base URL a client talks to: `baseUrl` when given, else the server the spec's
 * server option names (`region: "eu"`), else the spec's first server.
 */
export function resolveBaseUrl(api: ApiDefinition, options: { baseUrl?: string | undefined; server?: unknown }): string {
  if (options.baseUrl !== undefined) return options.baseUrl;
  const servers = api.servers;
  if (options.server !== undefined) {
    const found = servers.find((s) => s.name !== undefined && s.name === options.server);
    if (!found) {
      const option = api.serverOption ?? "server";
      const names = servers.flatMap((s) => (s.name ? [s.name] : []));
      throw new ValidationError(
        `${api.provider}: ${option} must be one of ${names.join(", ")} (got ${JSON.stringify(options.server)})`,
        { field: option, provider: api.provider, rule: "enum" },
      );
    }
    return serverUrl(found, {}, api.provider);
  }
  const first = servers[0];
  if (!first) throw new ValidationError(`${api.provider}: baseUrl is required`, { field: "baseUrl", provider: api.provider, rule: "required" });
  return serverUrl(first, {}, api.provider);
}
