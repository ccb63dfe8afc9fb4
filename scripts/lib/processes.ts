import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";

/**
 * Long-running children (the registry, sandboxes) that must not outlive this
 * process: each is stopped by `stopAll`, which also runs on SIGINT and SIGTERM.
 */
const running = new Set<ChildProcess>();

export function startTracked(command: string, args: string[], options: SpawnOptions): ChildProcess {
  // Its own process group, so stopping it also stops anything it started.
  const child = spawn(command, args, { ...options, detached: true });
  running.add(child);
  child.on("exit", () => running.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function stop(child: ChildProcess, graceMs = 3_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  signalGroup(child, "SIGTERM");
  const timer = setTimeout(() => signalGroup(child, "SIGKILL"), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((c) => stop(c)));
}

/**
 * The environment without what `npm run` adds (`npm_config_*`, `npm_package_*`, …):
 * an npm started from the repository's scripts would otherwise take the repository
 * for its project and its settings (log level, prefix) for the user's.
 */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== "INIT_CWD"));
}

/**
 * Runs a command to completion without blocking the event loop (so Ctrl-C is
 * handled at once) and stops it with everything else on a signal.
 */
export function runTracked(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; inherit?: boolean },
): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) => {
    const child = startTracked(command, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      stdio: options.inherit ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout?.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => {
      out += `\n(stopped after ${options.timeoutMs} ms)`;
      void stop(child);
    }, options.timeoutMs ?? 300_000);
    child.on("error", (error) => {
      clearTimeout(timer);
      resolve({ ok: false, out: `${out}${error.message}` });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ ok: code === 0, out: out.trim() });
    });
  });
}

const cleanups: (() => void)[] = [];
/** Runs on a signal, after every child is stopped (removing temporary folders, say). */
export function onInterrupt(cleanup: () => void): void {
  cleanups.push(cleanup);
}

let handlersInstalled = false;
/** Stops every tracked child when the user presses Ctrl-C or the process is told to end. */
export function stopAllOnSignals(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping ${running.size} process(es)…`);
      void stopAll().finally(() => {
        for (const cleanup of cleanups) cleanup();
        process.exit(130);
      });
    });
  }
  // Last resort on a crash: synchronous kill, no waiting.
  process.once("exit", () => {
    for (const child of running) signalGroup(child, "SIGKILL");
  });
}

/** Reads a child's stdout until a line matches, or fails after `timeoutMs`. */
export function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      for (const line of seen.split("\n")) {
        const match = pattern.exec(line);
        if (match) {
          cleanup();
          resolve(match);
          return;
        }
      }
    };
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`exited (${code}) before printing ${pattern}:\n${seen}`));
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms:\n${seen}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.off("exit", onExit);
    };
    child.stdout?.on("data", onData);
    child.once("exit", onExit);
  });
}
