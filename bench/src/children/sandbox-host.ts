/**
 * A child process serving the DocuSign v2.1 and BoldSign sandboxes on 127.0.0.1,
 * seeded with users, so that clients under test do not share a process (or an event
 * loop) with the server. It reports what each sandbox received when asked, and stops
 * when told, when the bench goes away, or after two idle minutes.
 */
import { startSandbox } from "@esign-users/sandbox";
import type { Drained, Provider, SandboxCommand, SandboxReady } from "./protocol.ts";

const SEEDED_USERS = 40;
const PAGE_SIZE = 20;
const IDLE_MS = 120_000;

// Answers are still checked against the spec (the sandbox's default): both clients
// pay the same server-side cost, and a wrong answer would show.
const docusignSandbox = await startSandbox({ provider: "docusign", idleTimeoutMs: IDLE_MS });
const boldsignSandbox = await startSandbox({ provider: "boldsign", idleTimeoutMs: IDLE_MS });

async function post(url: string, headers: Record<string, string>, body: unknown): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`seeding ${url} answered ${response.status}: ${await response.text()}`);
  return response;
}

const seeds = Array.from({ length: SEEDED_USERS }, (_, i) => ({
  userName: `Seeded User ${i}`,
  email: `seeded-${i}@example.com`,
}));

const { accessToken, accountId } = docusignSandbox.credentials;
const created = (await (
  await post(
    `${docusignSandbox.url}/v2.1/accounts/${accountId}/users`,
    { authorization: `Bearer ${accessToken}` },
    {
      newUsers: seeds,
    },
  )
).json()) as { newUsers?: { userId?: string }[] };
const docusignIds = (created.newUsers ?? []).map((u) => u.userId).filter((id): id is string => typeof id === "string");

await post(
  `${boldsignSandbox.url}/v1/users/create`,
  { "x-api-key": boldsignSandbox.credentials.apiKey },
  seeds.map((s) => ({ emailId: s.email })),
);
const boldsignIds = [...boldsignSandbox.state.users.values()]
  .filter((u) => u.email.startsWith("seeded-"))
  .map((u) => u.id);

if (docusignIds.length !== SEEDED_USERS || boldsignIds.length !== SEEDED_USERS) {
  throw new Error(
    `seeded ${docusignIds.length} DocuSign and ${boldsignIds.length} BoldSign users, not ${SEEDED_USERS}`,
  );
}
docusignSandbox.requests.splice(0);
boldsignSandbox.requests.splice(0);

const sandboxes = { docusign: docusignSandbox, boldsign: boldsignSandbox } as const;

let cpuMark = process.cpuUsage();

function drain(id: number, provider: Provider): Drained {
  const cpu = process.cpuUsage(cpuMark);
  cpuMark = process.cpuUsage();
  const requests = sandboxes[provider].requests.splice(0);
  const statuses: Record<string, number> = {};
  const operations: Record<string, number> = {};
  for (const r of requests) {
    const status = String(r.status ?? "none");
    statuses[status] = (statuses[status] ?? 0) + 1;
    const op = r.operationId ?? "unrouted";
    operations[op] = (operations[op] ?? 0) + 1;
  }
  return { type: "drained", id, count: requests.length, statuses, operations, cpuMicros: cpu.user + cpu.system };
}

async function stop(): Promise<void> {
  await Promise.all([docusignSandbox.close(), boldsignSandbox.close()]);
  process.exit(0);
}

process.on("message", (message: SandboxCommand) => {
  if (message.cmd === "drain") process.send?.(drain(message.id, message.provider));
  else if (message.cmd === "stop") void stop();
});
process.on("disconnect", () => void stop());

const ready: SandboxReady = {
  type: "ready",
  connections: {
    docusign: { url: docusignSandbox.url, secret: accessToken, accountId, userIds: docusignIds, pageSize: PAGE_SIZE },
    boldsign: {
      url: boldsignSandbox.url,
      secret: boldsignSandbox.credentials.apiKey,
      userIds: boldsignIds,
      pageSize: PAGE_SIZE,
    },
  },
};
process.send?.(ready);
