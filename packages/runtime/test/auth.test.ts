import { describe, expect, it } from "vitest";
import { singleFlight } from "../src/index.js";

/** A task that waits until released (or aborted), recording the signals it was given. */
function controllable() {
  const signals: AbortSignal[] = [];
  let release: (value: string) => void = () => {};
  const task = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      signals.push(signal);
      release = resolve;
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
  return { task, signals, release: (value: string) => release(value) };
}

describe("singleFlight", () => {
  it("runs the task once for concurrent callers", async () => {
    const { task, signals, release } = controllable();
    const shared = singleFlight(task);
    const calls = [shared(), shared(new AbortController().signal), shared()];
    await Promise.resolve();
    release("token");
    expect(await Promise.all(calls)).toEqual(["token", "token", "token"]);
    expect(signals).toHaveLength(1);
  });

  it("lets one caller give up at once while the others keep waiting", async () => {
    const { task, signals, release } = controllable();
    const shared = singleFlight(task);
    const quitter = new AbortController();
    const leaving = shared(quitter.signal);
    const staying = shared(new AbortController().signal);
    quitter.abort(new Error("gave up"));
    await expect(leaving).rejects.toThrow("gave up");
    await Promise.resolve();
    expect(signals[0]?.aborted).toBe(false);
    release("token");
    await expect(staying).resolves.toBe("token");
  });

  it("aborts the task when every caller has given up, and starts afresh for the next", async () => {
    const { task, signals, release } = controllable();
    const shared = singleFlight(task);
    const a = new AbortController();
    const b = new AbortController();
    const first = shared(a.signal);
    const second = shared(b.signal);
    a.abort();
    b.abort();
    await Promise.allSettled([first, second]);
    expect(signals[0]?.aborted).toBe(true);
    const next = shared();
    await Promise.resolve();
    expect(signals).toHaveLength(2);
    release("fresh");
    await expect(next).resolves.toBe("fresh");
  });

  it("a caller without a signal keeps the task alive", async () => {
    const { task, signals, release } = controllable();
    const shared = singleFlight(task);
    const quitter = new AbortController();
    const leaving = shared(quitter.signal);
    const patient = shared();
    quitter.abort();
    await expect(leaving).rejects.toBeDefined();
    expect(signals[0]?.aborted).toBe(false);
    release("token");
    await expect(patient).resolves.toBe("token");
  });

  it("a signal that has already aborted is refused without starting the task", async () => {
    const { task, signals } = controllable();
    await expect(singleFlight(task)(AbortSignal.abort(new Error("too late")))).rejects.toThrow("too late");
    expect(signals).toHaveLength(0);
  });
});
