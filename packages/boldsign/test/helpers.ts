import { type Sandbox, type SandboxCredentials, type SandboxState, startSandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { type BoldSignClient, type BoldSignClientOptions, createBoldSignClient } from "../src/index.js";

export type BoldSignSandbox = Sandbox<SandboxCredentials["boldsign"], SandboxState["boldsign"]>;

/**
 * One BoldSign sandbox per test file, emptied before each test, and a client
 * that talks to it with the sandbox's API key (retries off unless a test wants them).
 */
export function useBoldSignSandbox(): { sb: () => BoldSignSandbox; client: () => BoldSignClient } {
  let sb: BoldSignSandbox | undefined;
  let client: BoldSignClient | undefined;
  beforeAll(async () => {
    sb = await startSandbox({ provider: "boldsign" });
  });
  afterAll(() => sb?.close());
  beforeEach(() => {
    sb?.reset();
    client = clientFor(sb as BoldSignSandbox);
  });
  return { sb: () => sb as BoldSignSandbox, client: () => client as BoldSignClient };
}

export function clientFor(sb: BoldSignSandbox, options: Partial<BoldSignClientOptions> = {}): BoldSignClient {
  return createBoldSignClient({ apiKey: sb.credentials.apiKey, baseUrl: sb.url, maxRetries: 0, ...options } as BoldSignClientOptions);
}

/** Invites users and returns their ids, looked up by email as BoldSign's 204 gives none back. */
export async function invite(client: BoldSignClient, sb: BoldSignSandbox, ...emails: string[]): Promise<string[]> {
  await client.users.create({ body: emails.map((emailId) => ({ emailId })) });
  return emails.map((email) => {
    const user = [...sb.state.users.values()].find((u) => u.email === email);
    if (!user) throw new Error(`the sandbox has no user ${email}`);
    return user.id;
  });
}

/** What happens when the invited person accepts: the sandbox has no inbox, so tests flip the status. */
export function accept(sb: BoldSignSandbox, userId: string): void {
  const user = sb.state.users.get(userId);
  if (!user) throw new Error(`the sandbox has no user ${userId}`);
  user.status = "Active";
  user.firstName = "Accepted";
  user.lastName = "User";
}

export const lastRequest = (sb: BoldSignSandbox) => {
  const request = sb.requests.at(-1);
  if (!request) throw new Error("the sandbox received no request");
  return request;
};
