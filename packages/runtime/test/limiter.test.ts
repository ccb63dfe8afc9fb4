import { getEventListeners } from "node:events";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Clock, RateLimiter, sleep } from "../src/rate-limit.js";
import { attack } from "./attacks.js";

describe("RateLimiter", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const fakeClock: Clock = { now: () => Date.now(), sleep: (ms, signal) => sleep(ms, signal) };

  it("keeps 50 calls at 5 per second within 10 % of 10 s (fake clock)", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 5 }, fakeClock);
    const start = Date.now();
    const startedAt: number[] = [];
    const calls = Array.from({ length: 50 }, () =>
      limiter.acquire().then(() => {
        startedAt.push(Date.now() - start);
      }),
    );
    await vi.runAllTimersAsync();
    await Promise.all(calls);
    expect(startedAt).toHaveLength(50);
    const last = Math.max(...startedAt);
    // 50 starts spaced 200 ms apart: the last at 9.8 s.
    expect(last).toBeGreaterThanOrEqual(9_000);
    expect(last).toBeLessThanOrEqual(11_000);
    // No one-second window ever holds more than 5 starts.
    for (const t of startedAt) {
      expect(startedAt.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(5);
    }
  });

  it("window mode: lets a burst of up to `requests` start at once, then one as each leaves the window", async () => {
    const limiter = new RateLimiter({ requests: 100, intervalMs: 60_000 }, fakeClock);
    const start = Date.now();
    const startedAt: number[] = [];
    const calls = Array.from({ length: 150 }, () => limiter.acquire().then(() => startedAt.push(Date.now() - start)));
    await vi.runAllTimersAsync();
    await Promise.all(calls);
    // The first 100 at once, the next 50 a minute later, when the first ones leave the window.
    expect(startedAt.filter((t) => t === 0)).toHaveLength(100);
    expect(Math.min(...startedAt.slice(100))).toBe(60_000);
    // No window of a minute ever holds more than 100 starts.
    for (const t of startedAt) expect(startedAt.filter((u) => u >= t && u < t + 60_000).length).toBeLessThanOrEqual(100);
    expect(() => new RateLimiter({ requests: 0, intervalMs: 1000 })).toThrow(RangeError);
    expect(() => new RateLimiter({ requests: 1.5, intervalMs: 1000 })).toThrow(RangeError);
  });

  it("lets a caller's signal leave the queue", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1 }, fakeClock);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
  });

  it("gives the turns of callers that gave up to those still waiting", async (context) => {
    const done = attack(context, "limiter-aborts", "none");
    const limiter = new RateLimiter({ requestsPerSecond: 50 }, fakeClock);
    const start = Date.now();
    const startedAt: number[] = [];
    const controllers = Array.from({ length: 100 }, () => new AbortController());
    const calls = controllers.map((c) =>
      limiter.acquire(c.signal).then(
        () => startedAt.push(Date.now() - start),
        () => "gave up",
      ),
    );
    // Half of them give up at once (every other one, so the survivors are spread through the queue).
    controllers.forEach((c, i) => i % 2 === 1 && c.abort());
    await vi.runAllTimersAsync();
    expect((await Promise.all(calls)).filter((r) => r === "gave up")).toHaveLength(50);
    expect(startedAt).toHaveLength(50);
    // 50 starts at 20 ms apart: the last at 0.98 s, not 1.98 s behind the turns of those who left.
    expect(Math.max(...startedAt)).toBeLessThanOrEqual(1_000);
    done(`100 callers at 50/s, 50 abort: the others all started within ${Math.max(...startedAt)} ms`);
  });

  it("adds one abort listener to a signal shared by many waiting callers", async (context) => {
    const done = attack(context, "shared-signal-listeners", "none");
    const limiter = new RateLimiter({ requestsPerSecond: 10 }, fakeClock);
    const shared = new AbortController();
    const calls = Array.from({ length: 20 }, () => limiter.acquire(shared.signal));
    const listeners = getEventListeners(shared.signal, "abort").length;
    expect(listeners).toBeLessThanOrEqual(1);
    done(`20 callers queued in the limiter: ${listeners} listener on the signal`);
    await vi.runAllTimersAsync();
    await Promise.all(calls);
  });

  it("refuses a rate that is not a positive number", () => {
    expect(() => new RateLimiter({ requestsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ requestsPerSecond: Number.NaN })).toThrow(RangeError);
  });
});
