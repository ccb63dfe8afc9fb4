export interface RateLimitOptions {
  /** Highest number of requests started in any one second. */
  requestsPerSecond: number;
}

/** Time source of the limiter; tests pass a fake one. */
export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
};

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Spaces request starts evenly: at most `requestsPerSecond` in any second, with no
 * burst at the start, which is what providers that count per second (Signable: 5/s
 * per IP) enforce. Each caller reserves its slot before waiting, so concurrent
 * callers queue in order.
 */
export class RateLimiter {
  readonly interval: number;
  #nextSlot = 0;

  constructor(
    options: RateLimitOptions,
    private readonly clock: Clock = systemClock,
  ) {
    if (!(options.requestsPerSecond > 0) || !Number.isFinite(options.requestsPerSecond)) {
      throw new RangeError("rateLimit.requestsPerSecond must be a positive number");
    }
    this.interval = 1000 / options.requestsPerSecond;
  }

  /** Waits for the caller's turn. */
  async acquire(signal?: AbortSignal): Promise<void> {
    const now = this.clock.now();
    const slot = Math.max(now, this.#nextSlot);
    this.#nextSlot = slot + this.interval;
    if (slot > now) await this.clock.sleep(slot - now, signal);
  }
}
