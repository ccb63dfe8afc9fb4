import { onAbort } from "./abort.js";

/**
 * A client-side rate limit: `{ requestsPerSecond }` spaces starts evenly (providers
 * that count per second); `{ requests, intervalMs }` lets at most `requests` start
 * in any window of `intervalMs` (providers that count per minute or hour, where even
 * spacing would slow every burst down for nothing).
 */
export type RateLimitOptions =
  | {
      /** Highest number of requests started in any one second, evenly spaced. */
      requestsPerSecond: number;
    }
  | {
      /** Highest number of requests started in any window of `intervalMs`. */
      requests: number;
      intervalMs: number;
    };

/**
 * The time source of a client: its rate limiter, its retry waits and the timers
 * that end an attempt. Tests pass a simulated one, so that waiting for a
 * `Retry-After` costs no real time.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason as soon as it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /**
   * Calls `expire` after `ms` unless the returned function is called first. Used
   * for deadlines on work in progress (an attempt's `timeoutMs`), which a simulated
   * clock must not skip past: it lets real time run while one is pending. Without
   * it, the deadline is a `setTimeout`.
   */
  timer?(ms: number, expire: () => void): () => void;
}

export const systemClock: Required<Clock> = {
  now: () => Date.now(),
  sleep: (ms, signal) => sleep(ms, signal),
  timer(ms, expire) {
    const handle = setTimeout(expire, ms);
    return () => clearTimeout(handle);
  },
};

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const leave = signal
      ? onAbort(signal, () => {
          clearTimeout(timer);
          reject(signal.reason);
        })
      : undefined;
    const timer = setTimeout(() => {
      leave?.();
      resolve();
    }, ms);
  });
}

/** A deadline on the clock: its `timer` when it has one, else the system clock's. */
export function startTimer(clock: Clock, ms: number, expire: () => void): () => void {
  return clock.timer ? clock.timer(ms, expire) : systemClock.timer(ms, expire);
}

interface Waiter {
  resolve(): void;
  reject(reason: unknown): void;
  leave?: () => void;
}

/**
 * Spaces request starts evenly: at most `requestsPerSecond` in any second, with no
 * burst at the start, which is what providers that count per second (Signable: 5/s
 * per IP) enforce. Callers queue in order; one whose signal aborts leaves the queue
 * and its turn goes to the next caller, so calls that gave up slow nobody down.
 */
export class RateLimiter {
  /** Even spacing between starts, in ms (0 in window mode). */
  readonly interval: number;
  /** Window mode: at most `#limit` starts within `#window` ms. */
  readonly #limit: number;
  readonly #window: number;
  /** Window mode: the start times still inside the window, oldest first. */
  readonly #starts: number[] = [];
  /** When the next request may start. */
  #nextSlot = Number.NEGATIVE_INFINITY;
  readonly #queue: Waiter[] = [];
  #pumping = false;

  constructor(
    options: RateLimitOptions,
    private readonly clock: Clock = systemClock,
  ) {
    const positive = (n: unknown) => typeof n === "number" && n > 0 && Number.isFinite(n);
    if ("requests" in options) {
      if (!positive(options.requests) || !Number.isInteger(options.requests) || !positive(options.intervalMs)) {
        throw new RangeError("rateLimit.requests must be a positive whole number and rateLimit.intervalMs a positive number");
      }
      this.#limit = options.requests;
      this.#window = options.intervalMs;
      this.interval = 0;
    } else {
      if (!positive(options.requestsPerSecond)) throw new RangeError("rateLimit.requestsPerSecond must be a positive number");
      this.#limit = 0;
      this.#window = 0;
      this.interval = 1000 / options.requestsPerSecond;
    }
  }

  /** Waits for the caller's turn; rejects with the signal's reason if it aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#queue.length === 0 && this.#take()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (signal) {
        waiter.leave = onAbort(signal, () => {
          const at = this.#queue.indexOf(waiter);
          if (at >= 0) this.#queue.splice(at, 1);
          reject(signal.reason);
        });
      }
      this.#queue.push(waiter);
      void this.#pump();
    });
  }

  /** Starts a request now if the rate allows it. */
  #take(): boolean {
    const now = this.clock.now();
    if (this.#limit > 0) {
      while (this.#starts.length > 0 && now - (this.#starts[0] as number) >= this.#window) this.#starts.shift();
      if (this.#starts.length >= this.#limit) {
        // Full: the next start is when the oldest one leaves the window.
        this.#nextSlot = (this.#starts[0] as number) + this.#window;
        return false;
      }
      this.#starts.push(now);
      return true;
    }
    if (now < this.#nextSlot) return false;
    // Counted from when the request really starts: a late wake-up delays the next
    // start rather than letting two go out closer together than the rate allows.
    this.#nextSlot = now + this.interval;
    return true;
  }

  /** Hands out turns in order while anyone waits; one pump at a time. */
  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        if (this.#take()) {
          const waiter = this.#queue.shift() as Waiter;
          waiter.leave?.();
          waiter.resolve();
        } else {
          await this.clock.sleep(this.#nextSlot - this.clock.now());
        }
      }
    } finally {
      this.#pumping = false;
    }
  }
}
