import { type ChildProcess, spawn, type SpawnOptions } from "node:child_process";

/**
 * Every child process the bench starts goes through here, so none outlives it: each
 * has a deadline, and whatever is still running on exit or on a signal is killed.
 */
const running = new Set<ChildProcess>();

function killAll(): void {
  for (const child of running) child.kill("SIGKILL");
}
process.on("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

export function track(command: string, args: string[], options: SpawnOptions, deadlineMs: number): ChildProcess {
  const child = spawn(command, args, options);
  running.add(child);
  const timer = setTimeout(() => {
    console.error(`bench: ${command} ${args.join(" ")} still running after ${deadlineMs} ms, stopping it`);
    child.kill("SIGKILL");
  }, deadlineMs);
  timer.unref();
  child.on("exit", () => {
    clearTimeout(timer);
    running.delete(child);
  });
  return child;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit, in ms. */
  ms: number;
}

/** Runs a command to its end and times it from spawn to exit. */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; deadlineMs?: number },
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = track(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] },
      options.deadlineMs ?? 120_000,
    );
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr?.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => {
      resolve({ code, stdout, stderr, ms: Number(process.hrtime.bigint() - started) / 1e6 });
    });
  });
}

/** Like `run`, but a non-zero exit is an error naming the command and its output. */
export async function runOk(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; deadlineMs?: number },
): Promise<RunResult> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-15).join("\n");
    throw new Error(`${command} ${args.join(" ")} exited with ${result.code}:\n${tail}`);
  }
  return result;
}

/**
 * A forked Node child speaking JSON over IPC: `next(type)` waits for its next
 * message of a type, `request` sends a command and waits for the answer carrying
 * the same id. Every wait has a deadline; the child is killed with the bench.
 */
export class Channel<Answer extends { type: string; id?: number }> {
  private readonly queue: Answer[] = [];
  private waiters: { accept: (a: Answer) => boolean; resolve: (a: Answer) => void }[] = [];
  private exited: string | undefined;
  private nextId = 1;
  readonly child: ChildProcess;

  constructor(script: string, args: string[], env: NodeJS.ProcessEnv, deadlineMs: number, nodeFlags: string[] = []) {
    this.child = track(
      process.execPath,
      [...nodeFlags, script, ...args],
      { env, stdio: ["ignore", "inherit", "inherit", "ipc"] },
      deadlineMs,
    );
    this.child.on("message", (message: Answer) => {
      const waiter = this.waiters.find((w) => w.accept(message));
      if (waiter) {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(message);
      } else this.queue.push(message);
    });
    this.child.on("exit", (code, signal) => {
      this.exited = `exited (${signal ?? code})`;
      for (const w of this.waiters) w.resolve({ type: "error", message: `${script} ${this.exited}` } as never);
      this.waiters = [];
    });
  }

  /** The next message accepted by `accept`, or an `error` message if the child dies or is silent too long. */
  next(accept: (a: Answer) => boolean, timeoutMs = 60_000): Promise<Answer> {
    const queued = this.queue.findIndex((a) => accept(a) || a.type === "error");
    if (queued >= 0) return Promise.resolve(this.queue.splice(queued, 1)[0] as Answer);
    if (this.exited) return Promise.resolve({ type: "error", message: this.exited } as never);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.resolve !== done);
        resolve({ type: "error", message: `no answer within ${timeoutMs} ms` } as never);
      }, timeoutMs);
      const done = (a: Answer) => {
        clearTimeout(timer);
        resolve(a);
      };
      this.waiters.push({ accept: (a) => accept(a) || a.type === "error", resolve: done });
    });
  }

  async request<C extends object>(command: C, timeoutMs?: number): Promise<Answer> {
    const id = this.nextId++;
    this.child.send({ ...command, id });
    return this.next((a) => a.id === id, timeoutMs);
  }

  send(command: object): void {
    if (!this.exited) this.child.send(command);
  }

  /** Asks the child to stop (by closing the channel); kills it if it has not after `graceMs`. */
  async close(graceMs = 5_000): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await gone;
    clearTimeout(timer);
  }
}
