import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";

/**
 * Every child process the scripts and the bench start goes through here, so none
 * outlives them: each runs in its own process group (stopping it stops what it
 * started), may have a deadline, and whatever still runs is stopped on Ctrl-C, on
 * SIGTERM (`stopAllOnSignals`) and, as a last resort, killed when this process exits.
 */
const running = new Set<ChildProcess>();

export interface TrackedOptions extends SpawnOptions {
  /** Killed (its whole group) after this long, with a line saying so. */
  deadlineMs?: number;
}

export function startTracked(command: string, args: string[], options: TrackedOptions = {}): ChildProcess {
  const { deadlineMs, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, detached: true });
  running.add(child);
  const deadline =
    deadlineMs === undefined
      ? undefined
      : setTimeout(() => {
          console.error(`${command} ${args.join(" ")} still running after ${deadlineMs} ms, stopping it`);
          signalGroup(child, "SIGKILL");
        }, deadlineMs).unref();
  child.on("exit", () => {
    clearTimeout(deadline);
    running.delete(child);
  });
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

/** SIGTERM to the child's group, SIGKILL after `graceMs`; resolves once it exited. */
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

export interface RunResult {
  /** Exit code; null when it could not start or was killed. */
  code: number | null;
  ok: boolean;
  stdout: string;
  stderr: string;
  /** Both streams as they came, trimmed. */
  out: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
}

export interface RunOptions {
  cwd: string;
  /** Default: this process's environment without npm's variables (`cleanEnv`). */
  env?: NodeJS.ProcessEnv;
  /** Stopped after this long (default 5 min), noted in `out`. */
  timeoutMs?: number;
  /** Let its output through to this process's instead of collecting it. */
  inherit?: boolean;
}

/**
 * Runs a command to its end without blocking the event loop (so Ctrl-C is handled
 * at once), timing it from spawn to exit. Never rejects: look at `ok`.
 */
export function run(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const child = startTracked(command, args, {
      cwd: options.cwd,
      env: options.env ?? cleanEnv(),
      stdio: options.inherit ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let out = "";
    child.stdout?.on("data", (c: Buffer) => {
      stdout += c.toString();
      out += c.toString();
    });
    child.stderr?.on("data", (c: Buffer) => {
      stderr += c.toString();
      out += c.toString();
    });
    const timeoutMs = options.timeoutMs ?? 300_000;
    const timer = setTimeout(() => {
      out += `\n(stopped after ${timeoutMs} ms)`;
      void stop(child);
    }, timeoutMs);
    const finish = (code: number | null, extra = "") => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      resolve({ code, ok: code === 0, stdout, stderr: stderr + extra, out: (out + extra).trim(), ms });
    };
    child.on("error", (error) => finish(null, error.message));
    child.on("close", (code) => finish(code));
  });
}

/** Like `run`, but a failure is an error naming the command and the end of its output. */
export async function runOk(command: string, args: string[], options: RunOptions): Promise<RunResult> {
  const result = await run(command, args, options);
  if (!result.ok) {
    const tail = result.out.split("\n").slice(-15).join("\n");
    throw new Error(`${command} ${args.join(" ")} exited with ${result.code}:\n${tail}`);
  }
  return result;
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
