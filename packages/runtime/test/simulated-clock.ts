/**
 * A clock for tests whose waits cost no real time (shared with the facade's tests,
 * which import this file). It has the shape of the runtime's `Clock`, so a client
 * takes it as its `clock` option.
 *
 * Simulated time runs with real time, and jumps ahead over pure waits (retry
 * backoff, `Retry-After`, the rate limiter): whenever nothing but such waits is
 * pending, time skips to the earliest one. While a deadline on work in progress is
 * pending (an attempt's `timeoutMs` timer, set with `timer`), it never skips: the
 * request in flight is real, so its deadline runs in real time, and a slow answer
 * on a busy machine is not turned into a timeout. Durations read from `now()`
 * are therefore what the waits would have cost, plus the real time of the I/O.
 */
export class SimulatedClock {
  #offset = 0;
  #sequence = 0;
  readonly #sleepers = new Map<number, { at: number; wake(): void }>();
  readonly #timers = new Map<number, { at: number; expire(): void }>();
  #check: ReturnType<typeof setTimeout> | undefined;

  /** Simulated milliseconds skipped so far (the real time the waits did not cost). */
  get skipped(): number {
    return this.#offset;
  }

  /** Deadlines pending now (attempt timers not yet cancelled or expired). */
  get pendingTimers(): number {
    return this.#timers.size;
  }

  now(): number {
    return Date.now() + this.#offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const id = this.#sequence++;
      const onAbort = () => {
        this.#sleepers.delete(id);
        reject(signal?.reason);
        this.#schedule();
      };
      this.#sleepers.set(id, {
        at: this.now() + Math.max(0, ms),
        wake: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
      });
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#schedule();
    });
  }

  timer(ms: number, expire: () => void): () => void {
    const id = this.#sequence++;
    this.#timers.set(id, { at: this.now() + Math.max(0, ms), expire });
    this.#schedule();
    return () => {
      if (this.#timers.delete(id)) this.#schedule();
    };
  }

  /** Decides, on the next turn of the event loop (so that waits made together are seen together). */
  #schedule(): void {
    clearTimeout(this.#check);
    this.#check = setTimeout(() => this.#advance(), 0);
  }

  #advance(): void {
    this.#check = undefined;
    if (this.#timers.size === 0 && this.#sleepers.size > 0) {
      // Only pure waits are pending: skip to the earliest.
      const earliest = Math.min(...[...this.#sleepers.values()].map((s) => s.at));
      const gap = earliest - this.now();
      if (gap > 0) this.#offset += gap;
    }
    const now = this.now();
    for (const [id, timer] of this.#timers) {
      if (timer.at <= now) {
        this.#timers.delete(id);
        timer.expire();
      }
    }
    for (const [id, sleeper] of this.#sleepers) {
      if (sleeper.at <= now) {
        this.#sleepers.delete(id);
        sleeper.wake();
      }
    }
    const next = Math.min(...[...this.#timers.values(), ...this.#sleepers.values()].map((t) => t.at));
    if (Number.isFinite(next)) this.#check = setTimeout(() => this.#advance(), Math.max(0, next - this.now()));
  }
}
