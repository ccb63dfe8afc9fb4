/** Messages between the bench and its child processes (Node IPC, JSON). */

export type Provider = "docusign" | "boldsign";
export type Impl = "ours" | "theirs";
export type Operation = "getUser" | "listPage" | "createUser";

/** How a client reaches the sandbox, and users that exist there. */
export interface Connection {
  url: string;
  /** DocuSign: access token; BoldSign: API key. */
  secret: string;
  /** DocuSign only. */
  accountId?: string;
  userIds: string[];
  /** Users per page the list operation asks for (the sandbox holds more). */
  pageSize: number;
}

export interface SandboxReady {
  type: "ready";
  connections: Record<Provider, Connection>;
}

/** What a sandbox received since the last drain. */
export interface Drained {
  type: "drained";
  id: number;
  count: number;
  /** status → requests answered with it ("none" for no answer). */
  statuses: Record<string, number>;
  /** operationId → requests routed to it. */
  operations: Record<string, number>;
  /** CPU time (user + system) the sandbox process used since the last drain, in µs. */
  cpuMicros: number;
}

export type SandboxCommand = { cmd: "drain"; id: number; provider: Provider } | { cmd: "stop" };

export type ClientCommand =
  | { cmd: "init"; connection: Connection }
  | { cmd: "round"; id: number; op: Operation; count: number; concurrency: number }
  | { cmd: "memory"; id: number };

export interface RoundResult {
  type: "round";
  id: number;
  /** Latency of each call, in ms, in completion order. */
  latencies: number[];
  wallMs: number;
  /** CPU time this process used during the round (user + system), in µs. */
  cpuMicros: number;
  failures: number;
  firstFailure?: string;
}

export interface MemoryResult {
  type: "memory";
  id: number;
  rss: number;
  heapUsed: number;
}

export type ClientAnswer =
  | { type: "ready"; rss: number }
  | RoundResult
  | MemoryResult
  | { type: "error"; message: string };
