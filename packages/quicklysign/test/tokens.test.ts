import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AbortedError, AuthenticationError, TimeoutError, ValidationError } from "../src/index.js";
import {
  clientFor,
  expireAllTokens,
  type QuicklySignSandbox,
  requestsTo,
  seedUser,
  startQuicklySign,
} from "./helpers.js";
import { attack } from "../../runtime/test/attacks.js";

let sb: QuicklySignSandbox;
let apiKey: string;

beforeAll(async () => {
  sb = await startQuicklySign();
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  apiKey = await seedUser(sb);
  sb.requests.length = 0;
});

const tokenRequests = () => requestsTo(sb, "POST", "/v1/access_tokens");
const selfRequests = () => requestsTo(sb, "GET", "/v1/users/self");
const last = () => sb.requests.at(-1)!;

describe("with an apiKey, the client manages access tokens", () => {
  it("obtains one token for 20 concurrent calls and sends it on all of them", async () => {
    const client = clientFor(sb, { apiKey });
    const users = await Promise.all(Array.from({ length: 20 }, () => client.users.getSelf()));
    expect(users.every((u) => u.key === "user_000001")).toBe(true);
    expect(tokenRequests()).toHaveLength(1);
    expect(JSON.parse(tokenRequests()[0]!.body.toString()).api_key).toBe(apiKey);
    const [token] = [...sb.state.tokens.keys()];
    expect(selfRequests()).toHaveLength(20);
    expect(new Set(selfRequests().map((r) => r.headers.access_token))).toEqual(new Set([token]));
  });

  it("reuses the token for later calls", async () => {
    const client = clientFor(sb, { apiKey });
    await client.users.getSelf();
    await client.users.updateSelf({ name: "Augusta" });
    await client.users.getSelf();
    expect(tokenRequests()).toHaveLength(1);
  });

  it("on expiry obtains exactly one new token and repeats the call", async () => {
    const client = clientFor(sb, { apiKey });
    await client.users.getSelf();
    const [first] = [...sb.state.tokens.keys()];
    expireAllTokens(sb);
    sb.requests.length = 0;
    const me = await client.users.updateSelf({ name: "Augusta" });
    expect(me.name).toBe("Augusta");
    expect(sb.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "PUT /v1/users/self 401",
      "POST /v1/access_tokens 200",
      "PUT /v1/users/self 200",
    ]);
    const second = sb.requests[2]!.headers.access_token;
    expect(second).not.toBe(first);
    expect(sb.state.tokens.has(second as string)).toBe(true);
    // Both attempts sent the same body (the sandbox keeps a refused request without its body: compare lengths).
    expect(sb.requests[2]!.body.toString()).toBe('{"name":"Augusta"}');
    expect(sb.requests[0]!.headers["content-length"]).toBe(sb.requests[2]!.headers["content-length"]);
  });

  it("refreshes when the sandbox's token lifetime runs out", async () => {
    const short = await startQuicklySign({ tokenLifetimeMs: 1000 });
    try {
      const client = clientFor(short, { apiKey: await seedUser(short) });
      await client.users.getSelf();
      await new Promise((r) => setTimeout(r, 1100));
      await client.users.getSelf();
      expect(requestsTo(short, "POST", "/v1/access_tokens")).toHaveLength(2);
      expect(requestsTo(short, "GET", "/v1/users/self").map((r) => r.status)).toEqual([200, 401, 200]);
    } finally {
      await short.close();
    }
  });

  it("concurrent calls after expiry share one refresh", async () => {
    const client = clientFor(sb, { apiKey });
    await client.users.getSelf();
    expireAllTokens(sb);
    sb.requests.length = 0;
    // Half of the refusals arrive well after the refresh has finished: they must use its token, not start another.
    sb.faults.next(10, { type: "delay", ms: 200 }, { operationId: "getSelf" });
    const users = await Promise.all(Array.from({ length: 20 }, () => client.users.getSelf()));
    expect(users).toHaveLength(20);
    expect(tokenRequests()).toHaveLength(1);
    const statuses = selfRequests().map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(20);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(sb.state.tokens.size).toBe(2);
  });

  it("refreshes once only: a second 401 is an AuthenticationError", async () => {
    const client = clientFor(sb, { apiKey });
    sb.faults.next(2, { type: "status", status: 401 }, { operationId: "getSelf" });
    const error = await client.users.getSelf().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.status).toBe(401);
    expect(selfRequests()).toHaveLength(2);
    expect(tokenRequests()).toHaveLength(2);
  });

  it("a refused api_key fails the call, and the next call asks again", async () => {
    const client = clientFor(sb, { apiKey: "qsk_not-a-real-key" });
    const error = await client.users.getSelf().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_api_key");
    expect(selfRequests()).toHaveLength(0);
    await expect(client.users.getSelf()).rejects.toBeInstanceOf(AuthenticationError);
    expect(tokenRequests()).toHaveLength(2);
  });

  it("calls an apiKey function when it needs a token", async () => {
    let calls = 0;
    const client = clientFor(sb, {
      apiKey: async () => {
        calls++;
        return apiKey;
      },
    });
    await client.users.getSelf();
    await client.users.getSelf();
    expect(calls).toBe(1);
  });

  it("with always_use_http_status_code_200 an expired token still gets one refresh", async () => {
    const client = clientFor(sb, { apiKey });
    await client.users.getSelf();
    expireAllTokens(sb);
    sb.requests.length = 0;
    const me = await client.users.getSelf({ always_use_http_status_code_200: true });
    expect(me.key).toBe("user_000001");
    expect(sb.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /v1/users/self 200",
      "POST /v1/access_tokens 200",
      "GET /v1/users/self 200",
    ]);
    expect(sb.requests.map((r) => r.rawQuery)).toEqual([
      "always_use_http_status_code_200=true",
      "",
      "always_use_http_status_code_200=true",
    ]);
  });
});

describe("obtaining a token is part of the call: its signal and timeout apply", () => {
  const hangTokens = () => sb.faults.next(10, { type: "hang" }, { operationId: "createAccessToken" });

  it("the caller's signal ends a call waiting for a token at once", async (context) => {
    const done = attack(context, "credential-wait");
    hangTokens();
    const client = clientFor(sb, { apiKey, timeoutMs: 5_000, maxRetries: 0 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = performance.now();
    const error = await client.users.getSelf({}, { signal: controller.signal }).catch((e) => e);
    expect(error).toBeInstanceOf(AbortedError);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(3_000);
    expect(selfRequests()).toHaveLength(0);
    done(`QuicklySign, token endpoint hanging, signal at 200 ms: ${error.name} after ${Math.round(ms)} ms`);
  });

  it("a per-call timeoutMs covers obtaining the token", async (context) => {
    const done = attack(context, "credential-wait");
    hangTokens();
    const client = clientFor(sb, { apiKey, timeoutMs: 5_000, maxRetries: 0 });
    const started = performance.now();
    const error = await client.users.updateSelf({ name: "Augusta" }, { timeoutMs: 200 }).catch((e) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("timed out after 200 ms while obtaining credentials");
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(3_000);
    done(`QuicklySign, token endpoint hanging, timeoutMs 200: ${error.name} after ${Math.round(ms)} ms`);
    expect(requestsTo(sb, "PUT", "/v1/users/self")).toHaveLength(0);
  });

  it("concurrent callers share one token request, and one giving up leaves it to the others", async () => {
    sb.faults.next(1, { type: "delay", ms: 400 }, { operationId: "createAccessToken" });
    const client = clientFor(sb, { apiKey });
    const quitter = new AbortController();
    setTimeout(() => quitter.abort(), 100);
    const [gaveUp, ...others] = await Promise.allSettled([
      client.users.getSelf({}, { signal: quitter.signal }),
      client.users.getSelf(),
      client.users.getSelf({}, { signal: new AbortController().signal }),
    ]);
    expect(gaveUp).toMatchObject({ status: "rejected", reason: expect.any(AbortedError) });
    expect(others.map((o) => o.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(tokenRequests()).toHaveLength(1);
  });

  it("when every caller has given up, the token request is dropped: the next call asks afresh", async () => {
    sb.faults.next(1, { type: "hang" }, { operationId: "createAccessToken" });
    const client = clientFor(sb, { apiKey, timeoutMs: 5_000, maxRetries: 0 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    let started = performance.now();
    const results = await Promise.allSettled([
      client.users.getSelf({}, { signal: controller.signal }),
      client.users.getSelf({}, { signal: controller.signal }),
    ]);
    expect(results.map((r) => r.status === "rejected" && r.reason instanceof AbortedError)).toEqual([true, true]);
    expect(performance.now() - started).toBeLessThan(3_000);
    // Waiting on the abandoned request would take its whole timeoutMs; a fresh one answers at once.
    started = performance.now();
    expect((await client.users.getSelf()).key).toBe("user_000001");
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(tokenRequests()).toHaveLength(2);
  });
});

describe("refusals inside a 200 answer", () => {
  it("a refused api_key is not mistaken for an expired token: one token request, no retry", async () => {
    const client = clientFor(sb, { apiKey: "qsk_not-a-real-key" });
    const error = await client.users.getSelf({ always_use_http_status_code_200: true }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("invalid_api_key");
    expect(tokenRequests()).toHaveLength(1);
    expect(selfRequests()).toHaveLength(0);
  });

  it("a fresh token refused again is final: one refresh only", async () => {
    // Every token has expired by the time a /users/self request leaves the client.
    const onRequest = (request: Request) => {
      if (new URL(request.url).pathname.endsWith("/users/self")) expireAllTokens(sb);
    };
    const client = clientFor(sb, { apiKey, onRequest });
    const error = await client.users.getSelf({ always_use_http_status_code_200: true }).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("expired_access_token");
    expect(tokenRequests()).toHaveLength(2);
    expect(selfRequests().map((r) => r.status)).toEqual([200, 200]);
  });

  it("a 401 status line despite the flag (a proxy, an older deployment) is refreshed once, not twice", async () => {
    const client = clientFor(sb, { apiKey });
    await client.users.getSelf();
    sb.requests.length = 0;
    sb.faults.next(2, { type: "status", status: 401 }, { operationId: "getSelf" });
    await expect(client.users.getSelf({ always_use_http_status_code_200: true })).rejects.toBeInstanceOf(
      AuthenticationError,
    );
    expect(tokenRequests()).toHaveLength(1);
    expect(selfRequests().map((r) => r.status)).toEqual([401, 401]);
  });
});

describe("with an accessToken, the client sends it as it is", () => {
  it("a fixed token: no token request, and a 401 is final", async () => {
    const token = (await clientFor(sb).accessTokens.create({ api_key: apiKey })).access_token;
    sb.requests.length = 0;
    const client = clientFor(sb, { accessToken: token });
    expect((await client.users.getSelf()).key).toBe("user_000001");
    expect(last().headers.access_token).toBe(token);
    expireAllTokens(sb);
    const error = await client.users.getSelf().catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.code).toBe("expired_access_token");
    expect(tokenRequests()).toHaveLength(0);
    expect(selfRequests()).toHaveLength(2);
  });

  it("a function: called for every request, and again once after a 401", async () => {
    const issue = async () => (await clientFor(sb).accessTokens.create({ api_key: apiKey })).access_token;
    const stale = await issue();
    const fresh = await issue();
    sb.state.tokens.get(stale)!.expiresAt = 0;
    // The caller's store still hands out the expired token until it is asked a second time.
    const handedOut = [stale, fresh];
    let calls = 0;
    const client = clientFor(sb, { accessToken: () => handedOut[Math.min(calls++, 1)]! });
    sb.requests.length = 0;
    expect((await client.users.getSelf()).key).toBe("user_000001");
    expect(calls).toBe(2);
    expect(selfRequests().map((r) => [r.headers.access_token, r.status])).toEqual([
      [stale, 401],
      [fresh, 200],
    ]);
    await client.users.getSelf();
    expect(calls).toBe(3);
    expect(tokenRequests()).toHaveLength(0);
  });
});

describe("with neither", () => {
  it("getSelf and updateSelf reject with a ValidationError naming apiKey, before any request", async () => {
    const client = clientFor(sb);
    const error = await client.users.getSelf().catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe("apiKey");
    await expect(client.users.updateSelf({ name: "X" })).rejects.toMatchObject({ field: "apiKey" });
    await expect(client.raw.GET("/users/self")).rejects.toMatchObject({ field: "apiKey" });
    expect(sb.requests).toHaveLength(0);
  });
});

