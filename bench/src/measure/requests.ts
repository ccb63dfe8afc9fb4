import type { Impl, Operation } from "../children/protocol.ts";
import { ClientProcess } from "../lib/client.ts";
import { ms, perSecond, ratio } from "../lib/format.ts";
import { PAIRS } from "../lib/pairs.ts";
import { largerIsBetter, type Outcome, smallerIsBetter } from "../lib/report.ts";
import type { SandboxHost } from "../lib/sandbox.ts";
import { percentile, summarize } from "../lib/stats.ts";

export interface RequestSettings {
  /** Calls per measured round. */
  perRound: number;
  /** Measured rounds per client and operation (after one warm-up round). */
  rounds: number;
  warmup: number;
  concurrency: number;
}

/** What each operation is called in the report, and what the sandbox should see. */
const OPERATIONS: { op: Operation; label: string; operationId: string; status: Record<string, number> }[] = [
  { op: "getUser", label: "get user", operationId: "getUser", status: { docusign: 200, boldsign: 200 } },
  {
    op: "listPage",
    label: "list users (one page of 20)",
    operationId: "listUsers",
    status: { docusign: 200, boldsign: 200 },
  },
  { op: "createUser", label: "create user", operationId: "createUsers", status: { docusign: 201, boldsign: 204 } },
];

interface Collected {
  throughput: number[];
  latencies: number[];
  cpuPerCall: number[];
  serverCpuPerCall: number[];
}

/**
 * Throughput and latency of the same calls through both clients against the same
 * sandbox. Each client lives in its own child process for the whole measurement and
 * the sandbox in another; rounds alternate between the two clients (ours first in
 * even rounds, theirs first in odd ones), after one untimed warm-up round each.
 * After every round the sandbox confirms it received exactly that many requests, all
 * routed to the operation and answered with its success status.
 */
export async function measureRequests(
  outcome: Outcome,
  host: SandboxHost,
  clientScript: string,
  settings: RequestSettings,
): Promise<void> {
  const lines: string[] = [];
  for (const pair of PAIRS) {
    const connection = host.connections[pair.provider];
    const clients: Record<Impl, ClientProcess> = {
      ours: await ClientProcess.start(clientScript, pair.provider, "ours", connection, 900_000),
      theirs: await ClientProcess.start(clientScript, pair.provider, "theirs", connection, 900_000),
    };
    try {
      for (const { op, label, operationId, status } of OPERATIONS) {
        const expected = status[pair.provider] as number;
        const collected: Record<Impl, Collected> = {
          ours: { throughput: [], latencies: [], cpuPerCall: [], serverCpuPerCall: [] },
          theirs: { throughput: [], latencies: [], cpuPerCall: [], serverCpuPerCall: [] },
        };
        const runRound = async (impl: Impl, count: number, keep: boolean) => {
          const result = await clients[impl].round(op, count, settings.concurrency);
          const serverCpu = await host.verify(pair.provider, count, operationId, expected);
          if (!keep) return;
          const c = collected[impl];
          c.throughput.push((count / result.wallMs) * 1000);
          c.latencies.push(...result.latencies);
          c.cpuPerCall.push(result.cpuMicros / count);
          c.serverCpuPerCall.push(serverCpu / count);
        };
        for (const impl of ["ours", "theirs"] as const) await runRound(impl, settings.warmup, false);
        for (let r = 0; r < settings.rounds; r++) {
          const order: Impl[] = r % 2 === 0 ? ["ours", "theirs"] : ["theirs", "ours"];
          for (const impl of order) await runRound(impl, settings.perRound, true);
        }
        const ours = collected.ours;
        const theirs = collected.theirs;
        const tOurs = summarize(ours.throughput);
        const tTheirs = summarize(theirs.throughput);
        const throughputRatio = largerIsBetter(tOurs, tTheirs);
        const p50 = [percentile(ours.latencies, 50), percentile(theirs.latencies, 50)] as const;
        const p99 = [percentile(ours.latencies, 99), percentile(theirs.latencies, 99)] as const;
        const p99Ratio = smallerIsBetter(p99[0], p99[1]);
        outcome.rows.push({
          measure: `Requests: ${label}, throughput`,
          subject: pair.label,
          ours: perSecond(tOurs.median),
          theirs: perSecond(tTheirs.median),
          ratio: throughputRatio,
          target: { text: "≥ 1.2× the official SDK's", met: throughputRatio >= 1.2 },
        });
        outcome.rows.push({
          measure: `Requests: ${label}, p50 latency`,
          subject: pair.label,
          ours: ms(p50[0]),
          theirs: ms(p50[1]),
          ratio: smallerIsBetter(p50[0], p50[1]),
        });
        outcome.rows.push({
          measure: `Requests: ${label}, p99 latency`,
          subject: pair.label,
          ours: ms(p99[0]),
          theirs: ms(p99[1]),
          ratio: p99Ratio,
          target: { text: "no worse (≥ 1×)", met: p99[0] <= p99[1] },
        });
        const cpu = [summarize(ours.cpuPerCall).median, summarize(theirs.cpuPerCall).median] as const;
        const serverCpu = [summarize(ours.serverCpuPerCall).median, summarize(theirs.serverCpuPerCall).median] as const;
        lines.push(
          `| ${pair.label} | ${label} | ${perSecond(tOurs.median)} (${perSecond(tOurs.min)}–${perSecond(
            tOurs.max,
          )}) | ${perSecond(tTheirs.median)} (${perSecond(tTheirs.min)}–${perSecond(tTheirs.max)}) | ${ratio(
            throughputRatio,
          )} | ${ms(p50[0])} / ${ms(p50[1])} | ${ms(p99[0])} / ${ms(p99[1])} | ${(cpu[0] / 1000).toFixed(2)} / ${(
            cpu[1] / 1000
          ).toFixed(2)} ms | ${(serverCpu[0] / 1000).toFixed(2)} / ${(serverCpu[1] / 1000).toFixed(2)} ms |`,
        );
      }
    } finally {
      await Promise.all([clients.ours.close(), clients.theirs.close()]);
    }
  }
  outcome.sections.push({
    title: "Requests",
    body: [
      `${settings.rounds} measured rounds of ${settings.perRound} calls per client and operation, ${settings.concurrency} calls in flight, after a warm-up round of ${settings.warmup}; rounds alternate between the clients (ours first in even rounds). Each client runs in its own long-lived child process on bare \`node\`; the sandboxes (DocuSign v2.1 for \`docusign-esign\` and ours, BoldSign for \`boldsign\` and ours) run in another, on 127.0.0.1, seeded with 40 users, with request and response validation on (the same server-side cost for both clients). **Our client-side rate limiter is off (\`rateLimit: false\`)** — the official SDKs have none; everything else is at its defaults (ours: retries, timeouts, redaction; theirs: axios). Every call checks its result (the user asked for, a full page, an accepted user), and after every round the sandbox confirms it received exactly that many requests, all routed to the operation and answered with its success status.`,
      "",
      "Throughput: calls per second of each round, median (min–max over rounds). Latency: percentiles of every call of the measured rounds. Client CPU/call: CPU time (user + system) of the client's process per call, median over rounds — what the client itself costs, whatever the server does. Sandbox CPU/call: the same for the sandbox's process while serving that client: on two cores, client and server share the machine, so a round can go no faster than their CPU per call allows.",
      "",
      "| pair | operation | ours, calls/s | official, calls/s | ratio | p50 ours / official | p99 ours / official | client CPU/call ours / official | sandbox CPU/call ours / official |",
      "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
      ...lines,
    ].join("\n"),
  });
}
