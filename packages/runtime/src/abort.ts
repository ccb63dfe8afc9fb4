/**
 * One `abort` listener per signal, however many waits share it. An application
 * commonly hands the same signal to many calls at once (one per page, per user of
 * a bulk run); each queued call adding its own listener trips Node's
 * `MaxListenersExceededWarning` after ten, and every listener is kept until the
 * wait ends. Here the signal gets a single listener, added on first use and kept
 * until the signal aborts (or is collected), that runs the callbacks registered for
 * it; leaving removes a callback.
 */
const callbacks = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Runs `callback` once when `signal` aborts. Returns the function that unregisters
 * it (call it when the wait ends for another reason). A signal that has already
 * aborted is the caller's to check first; nothing is registered for it.
 */
export function onAbort(signal: AbortSignal, callback: () => void): () => void {
  if (signal.aborted) return noop;
  const set = callbacks.get(signal) ?? listen(signal);
  // A wrapper of its own, so that the same function registered twice is two registrations.
  const entry = () => callback();
  set.add(entry);
  return () => {
    set.delete(entry);
  };
}

function listen(signal: AbortSignal): Set<() => void> {
  const registered = new Set<() => void>();
  callbacks.set(signal, registered);
  signal.addEventListener(
    "abort",
    () => {
      callbacks.delete(signal);
      for (const run of registered) run();
    },
    { once: true },
  );
  return registered;
}

function noop(): void {}
