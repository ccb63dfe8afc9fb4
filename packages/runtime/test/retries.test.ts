import { beforeEach, describe, expect, it } from "vitest";
import { AbortedError, ConnectionError, RateLimitError, ResponseFormatError, ServerError, TimeoutError } from "../src/index.js";
import { mayRetryStatus, retryDelayMs } from "../src/retry.js";
import { failure, hang, json, raw, reset, type Script, type TestClientOptions, testClient } from "./helpers.js";
import { serversPerTest } from "./servers.js";
import { SimulatedClock } from "./simulated-clock.js";

const server = serversPerTest();

// Retry waits (backoff, Retry-After) run on a simulated clock: the same outcomes, asserted
// on the simulated delays, without the real time. Attempt timeouts still run in real time.
let clock: SimulatedClock;
beforeEach(() => {
  clock = new SimulatedClock();
});
const client = (url: string, options: TestClientOptions = {}) => testClient(url, { clock, ...options });
/** A script step that notes, on the simulated clock, when its request arrived. */
const stamped =
  (times: number[], step: Script): Script =>
  (req, res, body) => {
    times.push(clock.now());
    step(req, res, body);
  };

describe("retries", () => {
  it("retries a 429 after the Retry-After seconds and then succeeds", async () => {
    const at: number[] = [];
    const s = await server(
      stamped(at, json(429, { error: { message: "slow down" } }, { "Retry-After": "1" })),
      stamped(at, json(200, { id: "1" })),
    );
    const result = await client(s.url).call("getThing", { id: "1" });
    expect(result).toEqual({ id: "1" });
    expect(s.seen).toHaveLength(2);
    const waited = (at[1] ?? 0) - (at[0] ?? 0);
    expect(waited).toBeGreaterThanOrEqual(1000);
    expect(waited).toBeLessThan(2500);
    // The second the server asked for was simulated, not waited (less the few ms before the skip).
    expect(clock.skipped).toBeGreaterThan(900);
  });

  it("gives ServerError with retryCount 2 after three 500s", async () => {
    const s = await server(json(500, { error: { message: "boom" } }, { "retry-after-ms": "10" }));
    const error = await failure(client(s.url).call("getThing", { id: "1" }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.status).toBe(500);
    expect(error.retryCount).toBe(2);
    expect(error.message).toContain("boom");
    expect(s.seen).toHaveLength(3);
  });

  it("honours maxRetries per client and per call", async () => {
    const s = await server(json(503, {}, { "retry-after-ms": "5" }));
    await expect(client(s.url, { maxRetries: 0 }).call("getThing", { id: "1" })).rejects.toMatchObject({
      retryCount: 0,
    });
    expect(s.seen).toHaveLength(1);
    await expect(
      client(s.url, { maxRetries: 0 }).call("getThing", { id: "1" }, { maxRetries: 3 }),
    ).rejects.toMatchObject({ retryCount: 3 });
    expect(s.seen).toHaveLength(5);
  });

  it("does not retry a POST that failed after reaching the server (500, reset)", async () => {
    const s = await server(json(500, { error: { message: "half done" } }));
    await expect(client(s.url).call("createThing", { name: "x" })).rejects.toBeInstanceOf(ServerError);
    expect(s.seen).toHaveLength(1);

    const r = await server(reset);
    const error = await failure(client(r.url).call("createThing", { name: "x" }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.retryCount).toBe(0);
    expect(r.seen).toHaveLength(1);
  });

  it("retries a POST when the failure proves nothing happened: 429, and 503 with Retry-After", async () => {
    const s = await server(
      json(429, {}, { "retry-after-ms": "5" }),
      json(503, {}, { "Retry-After": "0" }),
      json(201, { id: "n" }),
    );
    await expect(client(s.url).call("createThing", { name: "x" })).resolves.toEqual({ id: "n" });
    expect(s.seen).toHaveLength(3);
    const t = await server(json(503, {}));
    await expect(client(t.url).call("createThing", { name: "x" })).rejects.toMatchObject({ retryCount: 0 });
    expect(t.seen).toHaveLength(1);
  });

  it("retries a GET whose connection was reset, and a POST whose connection was refused", async () => {
    const s = await server(reset, json(200, { id: "ok" }));
    await expect(client(s.url).call("getThing", { id: "1" })).resolves.toEqual({ id: "ok" });
    expect(s.seen).toHaveLength(2);

    const gone = await server(json(200, {}));
    const url = gone.url;
    await gone.close();
    const before = clock.now();
    const error = await failure(client(url).call("createThing", { name: "x" }));
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.retryCount).toBe(2);
    expect(error.message).toContain("connection refused");
    // Backoff of 0.5 s then 1 s, less up to 25 % jitter.
    expect(clock.now() - before).toBeGreaterThanOrEqual(1125);
  });

  it("a body cut short is a dropped connection: a GET is retried, then ConnectionError", async () => {
    const cut: Script = (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      res.write('{"id":');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const s = await server(cut);
    const e = await failure(client(s.url, { maxRetries: 1 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(ConnectionError);
    expect(s.seen).toHaveLength(2);
  });

  it("retries a GET whose 200 body is not valid JSON, but not a POST", async () => {
    const s = await server(raw(200, '{"id": "tr', { "Content-Type": "application/json" }), json(200, { id: "whole" }));
    await expect(client(s.url).call("getThing", { id: "1" })).resolves.toEqual({ id: "whole" });
    expect(s.seen).toHaveLength(2);
    const t = await server(raw(201, '{"id": "tr', { "Content-Type": "application/json" }), json(201, { id: "n" }));
    const error = await failure(client(t.url).call("createThing", { name: "x" }));
    expect(error).toBeInstanceOf(ResponseFormatError);
    expect(t.seen).toHaveLength(1);
  });

  it("retries 408 and 409, not other 4xx", async () => {
    const s = await server(json(408, {}, { "retry-after-ms": "1" }), json(409, {}, { "retry-after-ms": "1" }), json(200, {}));
    await client(s.url).call("getThing", { id: "1" });
    expect(s.seen).toHaveLength(3);
    const t = await server(json(404, { error: { code: "nope", message: "missing" } }));
    await expect(client(t.url).call("getThing", { id: "1" })).rejects.toMatchObject({ status: 404, code: "nope" });
    expect(t.seen).toHaveLength(1);
  });

  it("gives RateLimitError carrying the provider's Retry-After once retries run out", async () => {
    const s = await server(json(429, {}, { "retry-after-ms": "20" }));
    const error = await failure(client(s.url, { maxRetries: 1 }).call("getThing", { id: "1" }));
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(20);
  });
});

describe("backoff", () => {
  it("starts at 0.5 s, doubles, caps at 8 s, and takes up to 25 % off as jitter", () => {
    expect(retryDelayMs(0, undefined, () => 0)).toBe(500);
    expect(retryDelayMs(1, undefined, () => 0)).toBe(1000);
    expect(retryDelayMs(3, undefined, () => 0)).toBe(4000);
    expect(retryDelayMs(10, undefined, () => 0)).toBe(8000);
    expect(retryDelayMs(0, undefined, () => 1)).toBe(375);
  });

  it("honours Retry-After in seconds or as an HTTP date, and retry-after-ms, between 0 and 60 s", () => {
    expect(retryDelayMs(0, new Headers({ "Retry-After": "3" }))).toBe(3000);
    expect(retryDelayMs(0, new Headers({ "retry-after-ms": "250" }))).toBe(250);
    const inTwo = new Date(Date.now() + 2000).toUTCString();
    const fromDate = retryDelayMs(0, new Headers({ "Retry-After": inTwo }));
    expect(fromDate).toBeGreaterThan(900);
    expect(fromDate).toBeLessThanOrEqual(2000);
    // A negative one is ignored and backoff applies.
    expect(retryDelayMs(0, new Headers({ "Retry-After": "-1" }), () => 0)).toBe(500);
  });

  it("does not retry at all when asked to wait more than 60 s: the error (with retryAfterMs) goes back to the caller", () => {
    expect(mayRetryStatus(429, new Headers({ "Retry-After": "60" }), true)).toBe(true);
    expect(mayRetryStatus(429, new Headers({ "Retry-After": "61" }), true)).toBe(false);
    expect(mayRetryStatus(503, new Headers({ "retry-after-ms": "600000" }), true)).toBe(false);
    expect(mayRetryStatus(503, new Headers({ "Retry-After": new Date(Date.now() + 120_000).toUTCString() }), true)).toBe(false);
  });
});

describe("timeouts and aborts", () => {
  it("a server that never answers gives TimeoutError soon after timeoutMs", async () => {
    const s = await server(hang);
    const started = performance.now();
    const error = await failure(client(s.url, { timeoutMs: 300, maxRetries: 0 })
      .call("getThing", { id: "1" }));
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toContain("timed out after 300 ms");
    expect(elapsed).toBeGreaterThanOrEqual(290);
    // Not the default 60 s; the margin holds on a busy two-core machine.
    expect(elapsed).toBeLessThan(1_300);
  });

  it("a per-call timeoutMs overrides the client's, and a timed-out GET is retried", async () => {
    const s = await server(hang, json(200, { id: "late" }));
    await expect(
      client(s.url, { timeoutMs: 60_000 }).call("getThing", { id: "1" }, { timeoutMs: 150 }),
    ).resolves.toEqual({ id: "late" });
    expect(s.seen).toHaveLength(2);
  });

  it("a timed-out POST is not retried: it may have created something", async () => {
    const s = await server(hang);
    await expect(
      client(s.url, { timeoutMs: 150 }).call("createThing", { name: "x" }),
    ).rejects.toBeInstanceOf(TimeoutError);
    expect(s.seen).toHaveLength(1);
  });

  it("a body that stalls half-way is a timeout too", async () => {
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": "100" });
      res.write('{"id": ');
    });
    await expect(
      client(s.url, { timeoutMs: 200, maxRetries: 0 }).call("getThing", { id: "1" }),
    ).rejects.toBeInstanceOf(TimeoutError);
  });

  it("the caller's signal stops a request at once", async () => {
    const s = await server(hang);
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(), 50);
    const error = await failure(testClient(s.url)
      .call("getThing", { id: "1" }, { signal: controller.signal }));
    expect(error).toBeInstanceOf(AbortedError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it("the caller's signal also cuts a retry wait short", async () => {
    const s = await server(json(503, {}, { "Retry-After": "30" }));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    await expect(
      testClient(s.url).call("getThing", { id: "1" }, { signal: controller.signal }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(s.seen).toHaveLength(1);
  });

  it("an already aborted signal sends nothing", async () => {
    const s = await server(json(200, {}));
    await expect(
      testClient(s.url).call("getThing", { id: "1" }, { signal: AbortSignal.abort() }),
    ).rejects.toBeInstanceOf(AbortedError);
    expect(s.seen).toHaveLength(0);
  });
});

describe("auth refresh", () => {
  it("on 401 calls the token function again and retries once, also for a POST", async () => {
    const s = await server(json(401, { error: { message: "expired" } }), json(201, { id: "1" }));
    let n = 0;
    const client = testClient(s.url, { token: async () => `token-${++n}-abcdef`, refresh: true });
    await expect(client.call("createThing", { name: "x" })).resolves.toEqual({ id: "1" });
    expect(s.seen.map((r) => r.headers.authorization)).toEqual(["Bearer token-1-abcdef", "Bearer token-2-abcdef"]);
  });

  it("refreshes only once: a second 401 is an AuthenticationError", async () => {
    const s = await server(json(401, { error: { message: "no" } }));
    const client = testClient(s.url, { token: async () => "token-always-bad", refresh: true });
    await expect(client.call("getThing", { id: "1" })).rejects.toMatchObject({ name: "AuthenticationError", status: 401 });
    expect(s.seen).toHaveLength(2);
  });

  it("without refresh, a 401 is not repeated", async () => {
    const s = await server(raw(401, ""));
    await expect(testClient(s.url).call("getThing", { id: "1" })).rejects.toMatchObject({ status: 401 });
    expect(s.seen).toHaveLength(1);
  });
});
