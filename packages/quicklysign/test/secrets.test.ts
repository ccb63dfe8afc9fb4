import { inspect } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AuthenticationError, ConflictError, REDACTED } from "../src/index.js";
import { ada, clientFor, collectingLogger, expireAllTokens, type QuicklySignSandbox, seedUser, startQuicklySign } from "./helpers.js";

let sb: QuicklySignSandbox;

beforeAll(async () => {
  sb = await startQuicklySign();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

/** Every place a secret could leak from an error. */
function exposed(error: Error): string {
  return [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })].join("\n");
}

describe("the api_key returned by users.create", () => {
  it("is returned, but hidden in a later error that echoes it and in every log line", async () => {
    const logger = collectingLogger();
    const app = clientFor(sb, { logger, logLevel: "debug" });
    const user = await app.users.create({ user: ada });
    const apiKey = user.api_key;
    expect(apiKey).toBe(sb.state.users.get(user.key)?.apiKey);
    expect(apiKey).toMatch(/^qsk_[0-9a-f]{32}$/);

    // Revoke the key: the API then refuses it, echoing it in its message.
    sb.state.users.get(user.key)!.apiKey = "qsk_rotated";
    const error = await app.accessTokens.create({ api_key: apiKey }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_api_key");
    expect(error.body.status.errors[0].message).toBe(`No user has the api_key ${REDACTED}.`);
    expect(exposed(error)).not.toContain(apiKey);

    expect(logger.lines.length).toBeGreaterThanOrEqual(2);
    expect(logger.lines.some((line) => line.includes("POST /v1/users → 200"))).toBe(true);
    for (const line of logger.lines) expect(line).not.toContain(apiKey);
  });

  it("is redacted wherever it turns up later, even where the client was never told it is a secret", async () => {
    const app = clientFor(sb);
    const { api_key: apiKey } = await app.users.create({ user: ada });
    // A caller tagging a later request with the key (a mistake the client must survive).
    const error = await app.users.create({ user: ada }, { headers: { "X-Debug-Key": apiKey } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(sb.requests.at(-1)?.headers["x-debug-key"]).toBe(apiKey);
    expect(error.request.headers["x-debug-key"]).toBe(REDACTED);
    expect(exposed(error)).not.toContain(apiKey);
  });
});

describe("the client secret, the apiKey and access tokens", () => {
  it("never reach logs or errors, through token fetch, refresh and final failure", async () => {
    const apiKey = await seedUser(sb);
    const logger = collectingLogger();
    const client = clientFor(sb, { apiKey, logger, logLevel: "debug" });
    await client.users.getSelf();
    expireAllTokens(sb);
    await client.users.getSelf();
    sb.faults.next(2, { type: "status", status: 401 }, { operationId: "getSelf" });
    const error = await client.users.getSelf().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.request.headers.access_token).toBe(REDACTED);

    const secrets = [sb.credentials.clientSecret, apiKey, ...sb.state.tokens.keys()];
    expect(secrets.length).toBe(5);
    expect(logger.lines.some((line) => line.includes("refreshing the credential"))).toBe(true);
    for (const secret of secrets) {
      expect(exposed(error)).not.toContain(secret);
      for (const line of logger.lines) expect(line).not.toContain(secret);
    }
  });

  it("given as options, they are redacted from the first request on", async () => {
    const token = "qst_given-as-an-option";
    const client = clientFor(sb, { accessToken: token });
    const note = `${sb.credentials.clientSecret} ${token}`;
    // The first call uses only the token, yet the client secret is already known to be secret.
    const error = await client.users.getSelf({}, { headers: { "X-Note": note } }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(sb.requests.at(-1)?.headers["x-note"]).toBe(note);
    expect(error.request.headers["x-note"]).toBe(`${REDACTED} ${REDACTED}`);
    expect(exposed(error)).not.toContain(sb.credentials.clientSecret);
    expect(exposed(error)).not.toContain(token);
  });
});
