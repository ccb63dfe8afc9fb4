import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type Clock, RateLimiter, sleep } from "../src/index.js";

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

  it("lets a caller's signal leave the queue", async () => {
    const limiter = new RateLimiter({ requestsPerSecond: 1 }, fakeClock);
    await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error("gave up"));
    await expect(waiting).rejects.toThrow("gave up");
  });

  it("refuses a rate that is not a positive number", () => {
    expect(() => new RateLimiter({ requestsPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RateLimiter({ requestsPerSecond: Number.NaN })).toThrow(RangeError);
  });
});
