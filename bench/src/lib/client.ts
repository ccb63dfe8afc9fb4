import type {
  ClientAnswer,
  Connection,
  Impl,
  MemoryResult,
  Operation,
  Provider,
  RoundResult,
} from "../children/protocol.ts";
import { Channel } from "./channel.ts";
import { childEnv } from "./pairs.ts";

type Answer = ClientAnswer & { id?: number };

/** A child process holding one client, ready to run rounds of calls against the sandbox. */
export class ClientProcess {
  private constructor(
    private readonly channel: Channel<Answer>,
    readonly provider: Provider,
    readonly impl: Impl,
    /** RSS once the client is loaded and created, before any request. */
    readonly rssAtStart: number,
  ) {}

  static async start(
    script: string,
    provider: Provider,
    impl: Impl,
    connection: Connection,
    deadlineMs: number,
    nodeFlags: string[] = [],
  ): Promise<ClientProcess> {
    const channel = new Channel<Answer>(script, [provider, impl], childEnv(), deadlineMs, nodeFlags);
    channel.send({ cmd: "init", connection });
    const ready = await channel.next((a) => a.type === "ready", 60_000);
    if (ready.type !== "ready")
      throw new Error(`${impl} ${provider} client: ${"message" in ready ? ready.message : ""}`);
    return new ClientProcess(channel, provider, impl, ready.rss);
  }

  async round(op: Operation, count: number, concurrency: number): Promise<RoundResult> {
    const answer = await this.channel.request({ cmd: "round", op, count, concurrency }, 300_000);
    if (answer.type !== "round")
      throw new Error(`${this.impl} ${this.provider} ${op}: ${"message" in answer ? answer.message : answer.type}`);
    if (answer.failures > 0) {
      throw new Error(
        `${this.impl} ${this.provider} ${op}: ${answer.failures} of ${count} calls failed, first: ${answer.firstFailure}`,
      );
    }
    return answer;
  }

  async memory(): Promise<MemoryResult> {
    const answer = await this.channel.request({ cmd: "memory" });
    if (answer.type !== "memory")
      throw new Error(`${this.impl} ${this.provider}: ${"message" in answer ? answer.message : answer.type}`);
    return answer;
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}
