import type { ChildProcess } from "node:child_process";
import { startTracked } from "../../../scripts/lib/processes.ts";

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
    this.child = startTracked(process.execPath, [...nodeFlags, script, ...args], {
      env,
      stdio: ["ignore", "inherit", "inherit", "ipc"],
      deadlineMs,
    });
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
