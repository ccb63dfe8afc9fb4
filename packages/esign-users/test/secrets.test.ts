import { inspect } from "node:util";
import { createBoldSignClient } from "@esign-users/boldsign";
import { createDocuSignClient } from "@esign-users/docusign";
import { createDropboxSignClient } from "@esign-users/dropboxsign";
import { createQuicklySignClient } from "@esign-users/quicklysign";
import { type Fault, type Sandbox, startSandbox } from "@esign-users/sandbox";
import { createSignableClient } from "@esign-users/signable";
import { describe, expect, it } from "vitest";
import { createUserDirectory, type DirectoryOptions, type Logger, type UserDirectory } from "../src/index.js";

/**
 * The canary test: every credential of every client is a unique marker string;
 * every error path is walked with debug logging on; the markers (and the forms
 * they travel in: Base64 Basic credentials, URL encoding) must appear in no error
 * message, stack, `util.inspect`, `JSON.stringify` or log line.
 */

const canary = (field: string) => `canary-${field}-${Math.random().toString(36).slice(2, 12)}`;
const forms = (secret: string) => [secret, encodeURIComponent(secret), Buffer.from(`${secret}:x`).toString("base64")];

interface Exposure {
  texts: string[];
  logger: Logger;
}

function exposure(): Exposure {
  const texts: string[] = [];
  const line = (message: string, ...rest: unknown[]) => texts.push([message, ...rest.map((r) => inspect(r))].join(" "));
  return { texts, logger: { debug: line, info: line, warn: line, error: line } };
}

function show(error: unknown): string[] {
  const e = error as Error;
  return [String(e?.message), String(e?.stack), inspect(e, { depth: 20 }), JSON.stringify(e)];
}

const FAULTS: [string, Fault][] = [
  ["403", { type: "status", status: 403 }],
  ["404", { type: "status", status: 404 }],
  ["429", { type: "status", status: 429, retryAfter: 1 }],
  ["500", { type: "status", status: 500 }],
  ["timeout", { type: "hang" }],
  ["malformed JSON", { type: "malformed" }],
  ["an error echoing the request", { type: "echo", status: 400 }],
];

/** Walks every error path of one directory, collecting everything a user or a log could see. */
async function walk(sb: Sandbox<object>, options: DirectoryOptions, wrong: DirectoryOptions, seen: Exposure) {
  const quiet = { logger: seen.logger, logLevel: "debug", maxRetries: 0, timeoutMs: 300 } as const;
  const dir: UserDirectory = createUserDirectory({ ...options, ...quiet } as DirectoryOptions);
  const capture = async (work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (error) {
      seen.texts.push(...show(error));
      return error;
    }
    return undefined;
  };
  // An id every provider sends on the wire (Signable's ids are numbers; QuicklySign reaches only "self").
  const someone = dir.capabilities.get.scope === "any user" ? "1001" : "self";
  // Successful calls log too.
  await capture(() => dir.get(someone).catch(() => dir.list().toArray()));
  for (const [, fault] of FAULTS) {
    sb.faults.next(1, fault);
    expect(await capture(() => (dir.capabilities.list.supported ? dir.list().toArray() : dir.get(someone)))).toBeDefined();
    sb.faults.clear();
  }
  // 401: credentials the provider refuses.
  expect(await capture(() => createUserDirectory({ ...wrong, ...quiet } as DirectoryOptions).get(someone))).toBeDefined();
  // Connection refused.
  const closed = { ...options, ...quiet, baseUrl: "http://127.0.0.1:9/v1" } as DirectoryOptions;
  expect(await capture(() => createUserDirectory(closed).get(someone))).toBeDefined();
  // A bulk run with failures.
  await capture(async () => {
    const report = await dir.createMany([{ email: "broken" }, { email: `c.${Date.now()}@example.com`, firstName: "C", lastName: "D" }]);
    seen.texts.push(...report.flatMap((r) => (r.status === "failed" ? show(r.error) : [])), inspect(report, { depth: 10 }));
  });
}

function expectNoLeak(seen: Exposure, secrets: string[]) {
  expect(seen.texts.length).toBeGreaterThan(10);
  const all = seen.texts.join("\n");
  for (const secret of secrets) for (const form of forms(secret)) expect(all, `leaked ${secret}`).not.toContain(form);
  expect(all).toContain("[REDACTED]");
}

describe("no secret reaches an error or a log", () => {
  it("signable: apiKey", async () => {
    const apiKey = canary("signable-apiKey");
    const sb = await startSandbox({ provider: "signable", credentials: { apiKey } });
    const seen = exposure();
    try {
      await walk(sb as Sandbox<object>, { provider: "signable", apiKey, baseUrl: sb.url }, { provider: "signable", apiKey: canary("wrong"), baseUrl: sb.url }, seen);
      // The provider client on its own, too.
      const client = createSignableClient({ apiKey, baseUrl: sb.url, logger: seen.logger, logLevel: "debug", maxRetries: 0 });
      sb.faults.next(1, { type: "echo", status: 500 });
      await client.users.get({ user_id: 1 }).catch((e: unknown) => seen.texts.push(...show(e)));
      expectNoLeak(seen, [apiKey]);
    } finally {
      await sb.close();
    }
  });

  it("docusign: accessToken as a value and as a function", async () => {
    const accessToken = canary("docusign-accessToken");
    const sb = await startSandbox({ provider: "docusign", credentials: { accessToken } });
    const seen = exposure();
    const wrongToken = canary("docusign-wrong");
    try {
      const base = { provider: "docusign", baseUrl: sb.url, accountId: sb.credentials.accountId } as const;
      await walk(sb as Sandbox<object>, { ...base, accessToken }, { ...base, accessToken: wrongToken }, seen);
      await walk(sb as Sandbox<object>, { ...base, accessToken: async () => accessToken }, { ...base, accessToken: async () => wrongToken }, seen);
      const client = createDocuSignClient({ ...base, accessToken, logger: seen.logger, logLevel: "debug", maxRetries: 0 });
      sb.faults.next(1, { type: "echo", status: 400 });
      await client.users.get({ userId: "nobody" }).catch((e: unknown) => seen.texts.push(...show(e)));
      expectNoLeak(seen, [accessToken, wrongToken]);
    } finally {
      await sb.close();
    }
  });

  it("boldsign: apiKey and accessToken", async () => {
    const apiKey = canary("boldsign-apiKey");
    const accessToken = canary("boldsign-accessToken");
    const sb = await startSandbox({ provider: "boldsign", credentials: { apiKey, accessToken } });
    const seen = exposure();
    try {
      const base = { provider: "boldsign", baseUrl: sb.url } as const;
      await walk(sb as Sandbox<object>, { ...base, apiKey }, { ...base, apiKey: canary("boldsign-wrong") }, seen);
      await walk(sb as Sandbox<object>, { ...base, accessToken }, { ...base, accessToken: canary("boldsign-wrong-token") }, seen);
      const client = createBoldSignClient({ apiKey, baseUrl: sb.url, logger: seen.logger, logLevel: "debug", maxRetries: 0 });
      sb.faults.next(1, { type: "echo", status: 400 });
      await client.users.get({ userId: "nobody" }).catch((e: unknown) => seen.texts.push(...show(e)));
      expectNoLeak(seen, [apiKey, accessToken]);
    } finally {
      await sb.close();
    }
  });

  it("quicklysign: clientId, clientSecret, apiKey, accessToken and the api_key a create returns", async () => {
    const clientId = canary("qs-clientId");
    const clientSecret = canary("qs-clientSecret");
    const apiKey = canary("qs-apiKey");
    const sb = await startSandbox({ provider: "quicklysign", credentials: { clientId, clientSecret } });
    const seen = exposure();
    try {
      const app = { baseUrl: sb.url, clientId, clientSecret };
      const client = createQuicklySignClient({ ...app, logger: seen.logger, logLevel: "debug", maxRetries: 0 });
      const created = await client.users.create({ user: { name: "Can", last_name: "Ary", email_address: "canary@example.com" } });
      // Give the user a canary api_key, so the one the client holds is a marker too.
      for (const user of sb.state.users.values()) if (user.apiKey === created.api_key) user.apiKey = apiKey;
      const wrongKey = canary("qs-wrong-apiKey");
      await walk(sb as Sandbox<object>, { provider: "quicklysign", ...app, apiKey }, { provider: "quicklysign", ...app, apiKey: wrongKey }, seen);
      const token = (await createQuicklySignClient({ ...app, apiKey }).accessTokens.create()).access_token;
      await walk(sb as Sandbox<object>, { provider: "quicklysign", ...app, accessToken: token }, { provider: "quicklysign", ...app, accessToken: canary("qs-bad-token") }, seen);
      // Wrong application credentials (the sandbox names what it refused).
      const badApp = createQuicklySignClient({ baseUrl: sb.url, clientId: canary("qs-bad-id"), clientSecret: canary("qs-bad-secret"), logger: seen.logger, logLevel: "debug" });
      await badApp.users.create({ user: { name: "X", last_name: "Y", email_address: "x@example.com" } }).catch((e: unknown) => seen.texts.push(...show(e)));
      // A later error from the client that created the user must not show its api_key.
      sb.faults.next(1, { type: "echo", status: 500 });
      await client.users.create({ user: { name: "Z", last_name: "Z", email_address: "z@example.com" } }).catch((e: unknown) => seen.texts.push(...show(e)));
      expectNoLeak(seen, [clientId, clientSecret, apiKey, wrongKey, token, created.api_key]);
    } finally {
      await sb.close();
    }
  });

  it("dropboxsign: apiKey, accessToken, an app's client_secret and the OAuth tokens an account creation returns", async () => {
    const apiKey = canary("dbx-apiKey");
    const accessToken = canary("dbx-accessToken");
    const sb = await startSandbox({ provider: "dropboxsign", credentials: { apiKey, accessToken } });
    const seen = exposure();
    try {
      const base = { provider: "dropboxsign", baseUrl: sb.url, rateLimit: false } as const;
      await walk(sb as Sandbox<object>, { ...base, apiKey }, { ...base, apiKey: canary("dbx-wrong") }, seen);
      await walk(sb as Sandbox<object>, { ...base, accessToken }, { ...base, accessToken: canary("dbx-wrong-token") }, seen);
      const client = createDropboxSignClient({ apiKey, baseUrl: sb.url, rateLimit: false, logger: seen.logger, logLevel: "debug", maxRetries: 0 });
      // The OAuth account-creation flow: the app's secret goes in the body, tokens come back.
      const clientSecret = canary("dbx-clientSecret");
      const created = await client.account.create({ email_address: "oauth@example.com", client_id: "app-1", client_secret: clientSecret });
      const tokens = [created.oauth_data?.access_token, created.oauth_data?.refresh_token].filter((t): t is string => typeof t === "string");
      expect(tokens).toHaveLength(2);
      // An error that echoes the request and its body, after the tokens were seen.
      sb.faults.next(1, { type: "echo", status: 400 });
      await client.account
        .create({ email_address: "again@example.com", client_id: "app-1", client_secret: clientSecret })
        .catch((e: unknown) => seen.texts.push(...show(e)));
      sb.faults.next(1, { type: "echo", status: 500 });
      await client.account.get().catch((e: unknown) => seen.texts.push(...show(e)));
      expectNoLeak(seen, [apiKey, accessToken, clientSecret, ...tokens]);
    } finally {
      await sb.close();
    }
  });
});
