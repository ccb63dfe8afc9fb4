import type { Drained, Provider, SandboxReady } from "../children/protocol.ts";
import { Channel } from "./channel.ts";
import { childEnv } from "./pairs.ts";

type HostAnswer = SandboxReady | Drained | { type: "error"; message: string; id?: number };

/** The sandbox host child: DocuSign v2.1 and BoldSign sandboxes on 127.0.0.1, seeded. */
export class SandboxHost {
  private constructor(
    private readonly channel: Channel<HostAnswer>,
    readonly connections: SandboxReady["connections"],
  ) {}

  static async start(script: string, deadlineMs: number): Promise<SandboxHost> {
    const channel = new Channel<HostAnswer>(script, [], childEnv(), deadlineMs);
    const ready = await channel.next((a) => a.type === "ready", 60_000);
    if (ready.type !== "ready")
      throw new Error(`the sandbox host did not start: ${"message" in ready ? ready.message : ""}`);
    return new SandboxHost(channel, ready.connections);
  }

  /** What the provider's sandbox received since the last call (and forgets it). */
  async drain(provider: Provider): Promise<Drained> {
    const answer = await this.channel.request({ cmd: "drain", provider });
    if (answer.type !== "drained")
      throw new Error(`sandbox host: ${"message" in answer ? answer.message : answer.type}`);
    return answer;
  }

  /**
   * Checks that the sandbox got exactly `count` requests since the last check, all
   * routed to `operationId` and answered with `status`. Throws otherwise; returns the
   * CPU time the sandbox process spent meanwhile, in µs.
   */
  async verify(provider: Provider, count: number, operationId: string, status: number): Promise<number> {
    const got = await this.drain(provider);
    const ok = got.count === count && got.operations[operationId] === count && got.statuses[String(status)] === count;
    if (ok) return got.cpuMicros;
    throw new Error(
      `the ${provider} sandbox expected ${count} × ${operationId} → ${status}, got ${
        got.count
      } requests: ${JSON.stringify(got.operations)} ${JSON.stringify(got.statuses)}`,
    );
  }

  async stop(): Promise<void> {
    this.channel.send({ cmd: "stop" });
    await this.channel.close();
  }
}
