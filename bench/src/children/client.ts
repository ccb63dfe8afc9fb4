/**
 * A child process holding one client (ours or the official SDK, for one provider).
 * It runs rounds of calls when told to and reports their latencies, and how much
 * memory it holds. Run from the compiled copy in bench/.work, without tsx, so the
 * process holds nothing but Node and the client.
 */
import type { Adapter, AdapterFactory } from "./adapters/common.ts";
import type { ClientAnswer, ClientCommand, Connection, Impl, Operation, Provider } from "./protocol.ts";

const [provider, impl] = process.argv.slice(2) as [Provider, Impl];

// Only the client under test is loaded: its memory and start-up are all this process has.
const factories: Record<`${Impl}-${Provider}`, () => Promise<{ default: AdapterFactory }>> = {
  "ours-docusign": () => import("./adapters/ours-docusign.ts"),
  "theirs-docusign": () => import("./adapters/theirs-docusign.ts"),
  "ours-boldsign": () => import("./adapters/ours-boldsign.ts"),
  "theirs-boldsign": () => import("./adapters/theirs-boldsign.ts"),
};

async function createAdapter(connection: Connection): Promise<Adapter> {
  const load = factories[`${impl}-${provider}`];
  if (!load) throw new Error(`no client ${impl} ${provider}`);
  return (await load()).default(connection);
}

let adapter: Adapter | undefined;

const send = (answer: ClientAnswer) => process.send?.(answer);

async function round(op: Operation, count: number, concurrency: number) {
  const call = adapter?.[op];
  if (!call) throw new Error("round before init");
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  let firstFailure: string | undefined;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const lane = async () => {
    while (next < count) {
      const i = next++;
      const t0 = performance.now();
      try {
        await call(i);
        latencies.push(performance.now() - t0);
      } catch (e) {
        failures += 1;
        firstFailure ??= e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { latencies, wallMs, cpuMicros: cpu.user + cpu.system, failures, firstFailure };
}

process.on("message", (message: ClientCommand) => {
  void (async () => {
    try {
      if (message.cmd === "init") {
        adapter = await createAdapter(message.connection);
        send({ type: "ready", rss: process.memoryUsage().rss });
      } else if (message.cmd === "round") {
        send({ type: "round", id: message.id, ...(await round(message.op, message.count, message.concurrency)) });
      } else if (message.cmd === "memory") {
        const { rss, heapUsed } = process.memoryUsage();
        send({ type: "memory", id: message.id, rss, heapUsed });
      }
    } catch (e) {
      send({ type: "error", message: e instanceof Error ? e.stack ?? e.message : String(e) });
    }
  })();
});
// The bench going away (or closing the channel) is the signal to stop.
process.on("disconnect", () => process.exit(0));
