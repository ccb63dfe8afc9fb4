import { type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "@esign-users/sandbox";
import { createQuicklySignClient, type Logger, type QuicklySignClientOptions } from "../src/index.js";

export type QuicklySignSandbox = Sandbox<SandboxCredentials["quicklysign"], SandboxState["quicklysign"]>;

export function startQuicklySign(settings?: { tokenLifetimeMs?: number }): Promise<QuicklySignSandbox> {
  return startSandbox({ provider: "quicklysign", settings });
}

/** A client for the sandbox with its application credentials, plus whatever a test adds. */
export function clientFor(sb: QuicklySignSandbox, extra: Partial<QuicklySignClientOptions> = {}) {
  return createQuicklySignClient({
    baseUrl: sb.url,
    clientId: sb.credentials.clientId,
    clientSecret: sb.credentials.clientSecret,
    ...extra,
  });
}

/** Adds a user straight through the client and returns its api_key. */
export async function seedUser(sb: QuicklySignSandbox, email = "ada@example.com"): Promise<string> {
  const user = await clientFor(sb).users.create({ user: { name: "Ada", last_name: "Lovelace", email_address: email } });
  return user.api_key;
}

export const requestsTo = (sb: QuicklySignSandbox, method: string, path: string) =>
  sb.requests.filter((r) => r.method === method && r.path === path);

export function expireAllTokens(sb: QuicklySignSandbox): void {
  for (const token of sb.state.tokens.values()) token.expiresAt = Date.now() - 1;
}

/** A logger that keeps every line, for checking what reaches logs. */
export function collectingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (message: string, ...rest: unknown[]) => {
    lines.push([message, ...rest.map((r) => JSON.stringify(r))].join(" "));
  };
  return { lines, debug: keep, info: keep, warn: keep, error: keep };
}

/** The user most tests create. */
export const ada = { name: "Ada", last_name: "Lovelace", email_address: "ada@example.com" };
