import type { Impl } from "../children/protocol.ts";
import { ClientProcess } from "../lib/client.ts";
import { bytes, ratio } from "../lib/format.ts";
import { PAIRS } from "../lib/pairs.ts";
import { type Outcome, smallerIsBetter } from "../lib/report.ts";
import type { SandboxHost } from "../lib/sandbox.ts";
import { summarize } from "../lib/stats.ts";

export interface MemorySettings {
  requests: number;
  /** Requests between two checks of what the sandbox received (it keeps the last 5,000). */
  chunk: number;
  runs: number;
  concurrency: number;
}

/**
 * Resident memory of a fresh process holding one client, after it made `requests`
 * get-user calls. Each run starts a new child per client; ours and theirs alternate.
 */
export async function measureMemory(
  outcome: Outcome,
  host: SandboxHost,
  clientScript: string,
  settings: MemorySettings,
): Promise<void> {
  const lines: string[] = [];
  for (const pair of PAIRS) {
    const rss: Record<Impl, number[]> = { ours: [], theirs: [] };
    const atStart: Record<Impl, number[]> = { ours: [], theirs: [] };
    const heap: Record<Impl, number[]> = { ours: [], theirs: [] };
    for (let run = 0; run < settings.runs; run++) {
      const order: Impl[] = run % 2 === 0 ? ["ours", "theirs"] : ["theirs", "ours"];
      for (const impl of order) {
        const client = await ClientProcess.start(
          clientScript,
          pair.provider,
          impl,
          host.connections[pair.provider],
          600_000,
        );
        try {
          for (let done = 0; done < settings.requests; done += settings.chunk) {
            const count = Math.min(settings.chunk, settings.requests - done);
            await client.round("getUser", count, settings.concurrency);
            await host.verify(pair.provider, count, "getUser", 200);
          }
          const memory = await client.memory();
          rss[impl].push(memory.rss);
          heap[impl].push(memory.heapUsed);
          atStart[impl].push(client.rssAtStart);
        } finally {
          await client.close();
        }
      }
    }
    const ours = summarize(rss.ours);
    const theirs = summarize(rss.theirs);
    const r = smallerIsBetter(ours, theirs);
    outcome.rows.push({
      measure: `Memory: RSS after ${settings.requests.toLocaleString("en")} requests`,
      subject: pair.label,
      ours: bytes(ours.median),
      theirs: bytes(theirs.median),
      ratio: r,
    });
    const med = (values: number[]) => bytes(summarize(values).median);
    lines.push(
      `| ${pair.label} | ${med(atStart.ours)} / ${med(atStart.theirs)} | ${bytes(ours.median)} (${bytes(
        ours.min,
      )}–${bytes(ours.max)}) | ${bytes(theirs.median)} (${bytes(theirs.min)}–${bytes(theirs.max)}) | ${ratio(
        r,
      )} | ${med(heap.ours)} / ${med(heap.theirs)} |`,
    );
  }
  outcome.sections.push({
    title: "Memory",
    body: [
      `A fresh child process per client and run (${
        settings.runs
      } runs each, ours and theirs alternating), on bare \`node\` with nothing loaded but the client: ${settings.requests.toLocaleString(
        "en",
      )} get-user calls, ${settings.concurrency} in flight, in chunks of ${settings.chunk.toLocaleString(
        "en",
      )} (the sandbox confirms each chunk: that many requests, all \`getUser\` → 200), then \`process.memoryUsage()\` without forcing a garbage collection. No target: reported for comparison.`,
      "",
      "| pair | RSS at start ours / official | RSS after, ours (min–max) | RSS after, official (min–max) | ratio | heap used after ours / official |",
      "| --- | --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n"),
  });
}
