import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  BadRequestError,
  ConflictError,
  NotFoundError,
  parseQuicklySignError,
  quicklysignFailureInBody,
  RateLimitError,
} from "../src/index.js";
import { ada, clientFor, type QuicklySignSandbox, seedUser, startQuicklySign } from "./helpers.js";

let sb: QuicklySignSandbox;

beforeAll(async () => {
  sb = await startQuicklySign();
});
afterAll(() => sb.close());
beforeEach(() => sb.reset());

describe("errors on the status line", () => {
  it("a duplicate email is a ConflictError with code duplicate_email", async () => {
    const app = clientFor(sb);
    await app.users.create({ user: ada });
    const error = await app.users.create({ user: { ...ada, email_address: "ADA@example.com" } }).catch((e) => e);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, code: "duplicate_email", provider: "quicklysign" });
    expect(error.message).toContain("A user with this email address already exists.");
    expect(error.body).toEqual({
      status: {
        status_code: 409,
        errors: [{ code: "duplicate_email", message: "A user with this email address already exists." }],
      },
    });
  });

  it("wrong client credentials are an AuthenticationError, not retried with a refresh", async () => {
    const wrong = clientFor(sb, { clientSecret: "wrong-secret-value" });
    const error = await wrong.users.create({ user: ada }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_client_credentials");
    expect(sb.requests).toHaveLength(1);
  });

  it("an email the spec refuses never leaves the client; the API refuses the same one sent raw, naming the field", async () => {
    const client = clientFor(sb);
    const bad = { ...ada, email_address: "ada@example..com" };
    const refused = await client.users.create({ user: bad }).catch((e) => e);
    expect(refused).toMatchObject({ name: "ValidationError", field: "user.email_address", rule: "format" });
    expect(sb.requests).toHaveLength(0);
    const { error, response } = await client.raw.POST("/users", {
      body: { client_id: sb.credentials.clientId, client_secret: sb.credentials.clientSecret, user: bad },
    });
    expect(response.status).toBe(400);
    expect(parseQuicklySignError(error)).toMatchObject({ code: "invalid_field" });
    expect(parseQuicklySignError(error)?.message).toContain("user.email_address");
  });

  it("a 400 from the API is a BadRequestError with the body's code and message", async () => {
    sb.faults.next(1, { type: "status", status: 400 }, { operationId: "createUser" });
    const error = await clientFor(sb).users.create({ user: ada }).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, provider: "quicklysign" });
    expect(error.code).toBeDefined();
  });

  it("a 429 is retried, then a RateLimitError with retryAfterMs", async () => {
    const client = clientFor(sb, { apiKey: await seedUser(sb), maxRetries: 1 });
    sb.faults.next(2, { type: "status", status: 429, retryAfter: 0 }, { operationId: "getSelf" });
    const error = await client.users.getSelf().catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "rate_limited", retryCount: 1, retryAfterMs: 0 });
  });
});

describe("failures inside a 200 answer (always_use_http_status_code_200)", () => {
  it("an unknown token → AuthenticationError with the body's status and code", async () => {
    const client = clientFor(sb, { accessToken: "qst_never-issued-token" });
    const error = await client.users.getSelf({ always_use_http_status_code_200: true }).catch((e) => e);
    expect(sb.requests.at(-1)?.status).toBe(200);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ status: 401, code: "invalid_access_token", provider: "quicklysign" });
    expect(error.message).toContain("The access token is not valid.");
  });

  it("a user that is gone → NotFoundError with code not_found", async () => {
    const client = clientFor(sb, { apiKey: await seedUser(sb) });
    await client.users.getSelf();
    sb.state.users.delete("user_000001");
    const error = await client.users.updateSelf({ name: "X", always_use_http_status_code_200: true }).catch((e) => e);
    expect(sb.requests.at(-1)?.status).toBe(200);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "not_found" });
  });

  it("a duplicate → ConflictError; an unknown api_key → AuthenticationError, both read from the body", async () => {
    const app = clientFor(sb);
    await app.users.create({ user: ada });
    const dup = await app.users.create({ user: ada, always_use_http_status_code_200: true }).catch((e) => e);
    expect(sb.requests.at(-1)?.status).toBe(200);
    expect(dup).toBeInstanceOf(ConflictError);
    expect(dup).toMatchObject({ status: 409, code: "duplicate_email" });
    const before = sb.requests.length;
    const refused = await app.accessTokens
      .create({ api_key: "qsk_never-issued", always_use_http_status_code_200: true })
      .catch((e) => e);
    expect(sb.requests.at(-1)?.status).toBe(200);
    expect(refused).toBeInstanceOf(AuthenticationError);
    expect(refused).toMatchObject({ status: 401 });
    // Getting a token needs no token, so a refused api_key is not "refreshed" and retried.
    expect(sb.requests.length - before).toBe(1);
  });

  it("a success with the flag is returned as usual", async () => {
    const user = await clientFor(sb).users.create({ user: ada, always_use_http_status_code_200: true });
    expect(user.email_address).toBe("ada@example.com");
  });
});

describe("parseQuicklySignError and quicklysignFailureInBody read both error shapes", () => {
  const current = { status: { status_code: 400, errors: [{ code: "invalid_field", message: "a: bad" }, { code: "invalid_field", message: "b: bad" }] } };
  const older = { status: { code: "invalid_api_key", message: "No such key" } };
  const olderNumeric = { status: { code: 404, message: "Not found" } };

  it("takes the first error's code and every message", () => {
    expect(parseQuicklySignError(current)).toEqual({ code: "invalid_field", message: "a: bad; b: bad" });
  });

  it("takes status.code and status.message from older bodies", () => {
    expect(parseQuicklySignError(older)).toEqual({ code: "invalid_api_key", message: "No such key" });
    expect(parseQuicklySignError(olderNumeric)).toEqual({ code: 404, message: "Not found" });
  });

  it("returns undefined for bodies in no known shape", () => {
    expect(parseQuicklySignError({ message: "hi" })).toBeUndefined();
    expect(parseQuicklySignError({ status: "broken" })).toBeUndefined();
  });

  it("finds the status in status_code, or in an older numeric code", () => {
    expect(quicklysignFailureInBody(current)).toEqual({ status: 400, code: "invalid_field", message: "a: bad; b: bad" });
    expect(quicklysignFailureInBody(olderNumeric)).toEqual({ status: 404, code: 404, message: "Not found" });
    expect(quicklysignFailureInBody(older)).toEqual({ status: 400, code: "invalid_api_key", message: "No such key" });
  });

  it("sees no failure in a success", () => {
    expect(quicklysignFailureInBody({ status: { status_code: 200 }, data: { user: {} } })).toBeUndefined();
    expect(quicklysignFailureInBody({ status: { code: 200 }, data: {} })).toBeUndefined();
    expect(quicklysignFailureInBody({ status: { code: "ok" }, data: { access_token: "t" } })).toBeUndefined();
    expect(quicklysignFailureInBody({ data: {} })).toBeUndefined();
  });
});
