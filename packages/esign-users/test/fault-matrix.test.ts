import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Fault } from "@esign-users/sandbox";
import { describe, expect, it } from "vitest";
import {
  ConnectionError,
  type DirectoryOptions,
  EsignApiError,
  type NewUser,
  RateLimitError,
  ResponseFormatError,
  ServerError,
  TimeoutError,
  type User,
  type UserDirectory,
  createUserDirectory,
} from "../src/index.js";
import { SimulatedClock } from "../../runtime/test/simulated-clock.js";
import { setups } from "./setups.js";

/**
 * Every provider × every fault × {get, list mid-pagination, create, bulk create},
 * each once ("the next matching request fails") and persistently ("every matching
 * request fails"). Every call must settle; it succeeds after retries or throws the
 * fault's typed error; a create is never duplicated; an interrupted list resumes
 * from its cursor with nothing lost. The outcome of each cell is written to
 * artifacts/fault-matrix.json, from which RELIABILITY.md's table is made.
 *
 * The directory under test runs on a simulated clock: retry waits (backoff,
 * Retry-After) cost no real time, and each cell's time is what the waits would
 * have taken plus the real time of the requests. Attempt timeouts still run in
 * real time, so a slow answer on a busy machine is not mistaken for a hang.
 */

type ErrorClass = new (...args: never[]) => EsignApiError;

const FAULTS: { name: string; fault: Fault; error: ErrorClass }[] = [
  { name: "429 + Retry-After", fault: { type: "status", status: 429, retryAfter: 1 }, error: RateLimitError },
  { name: "500", fault: { type: "status", status: 500 }, error: ServerError },
  { name: "502 HTML page", fault: { type: "html", status: 502 }, error: ServerError },
  { name: "503", fault: { type: "status", status: 503 }, error: ServerError },
  { name: "hang past timeout", fault: { type: "hang" }, error: TimeoutError },
  { name: "connection reset", fault: { type: "reset" }, error: ConnectionError },
  { name: "malformed JSON", fault: { type: "malformed" }, error: ResponseFormatError },
  { name: "empty body", fault: { type: "empty", status: 500 }, error: ServerError },
  { name: "truncated body", fault: { type: "truncated" }, error: ConnectionError },
];

/** A creation is one that cannot be repeated blindly: only faults proving nothing happened are retried. */
const RETRIED_FOR_CREATE = new Set(["429 + Retry-After"]);

/** once: the next request fails; always: every request fails; after: the next request is carried out, then its answer fails. */
type Mode = "once" | "always" | "after";
type Op = "get" | "list mid-pagination" | "create" | "bulk create";

export interface Cell {
  provider: string;
  fault: string;
  op: Op;
  mode: Mode;
  outcome: string;
  ms: number;
}

// Long enough that a busy CI machine does not turn a slow answer into a timeout; short enough that a hang is cheap.
const TIMEOUT_MS = 1000;
const settle = async <T>(clock: SimulatedClock, work: () => Promise<T>): Promise<{ value?: T; error?: unknown; ms: number }> => {
  const started = clock.now();
  try {
    const value = await work();
    return { value, ms: clock.now() - started };
  } catch (error) {
    return { error, ms: clock.now() - started };
  }
};
const describeOutcome = (r: { error?: unknown }, ok: string) =>
  r.error === undefined ? ok : r.error instanceof EsignApiError ? r.error.name : `untyped ${String(r.error)}`;

const cells: Cell[] = [];

describe("fault matrix", () => {
  it.concurrent.each(setups)("$label", { timeout: 600_000 }, async (setup) => {
    // `admin` prepares and inspects with default settings; `dir` is the one under test: a
    // shorter timeout so a hang costs little, everything else the default retry policy.
    const { sb, options, dir: admin, close } = await setup.start();
    const clock = new SimulatedClock();
    const dir: UserDirectory = createUserDirectory({ ...options, timeoutMs: TIMEOUT_MS, clock } as DirectoryOptions);
    const record = (cell: Omit<Cell, "provider">) => cells.push({ provider: setup.label, ...cell });
    let n = 0;
    const fresh = (): NewUser => ({ email: `m${n++}.${Date.now()}@example.com`, firstName: "Matrix", lastName: `User${n}` });
    const countByEmail = async (email: string) =>
      admin.capabilities.list.supported ? (await admin.list({}).toArray()).filter((u) => u.email === email).length : undefined;

    try {
      // Enough users for three pages of every provider's list.
      const population = Array.from({ length: dir.capabilities.list.supported ? 210 : 1 }, fresh);
      expect((await admin.createMany(population, { concurrency: 8 })).failed).toBe(0);
      const probeStart = sb.requests.length;
      const someone: User = admin.capabilities.get.scope === "any user" ? await admin.create(fresh()) : await admin.get("self");
      // The method a create writes with (POST for most, PUT for Dropbox Sign's add_member), seen on the wire.
      if (admin.capabilities.get.scope !== "any user") await admin.create(fresh());
      const write = sb.requests.slice(probeStart).find((r) => r.method !== "GET")?.method as "POST" | "PUT";
      expect(write, "a create sends a write request").toBeDefined();
      const everyone = async () => (admin.capabilities.list.supported ? (await admin.list().toArray()).map((u) => u.id).sort() : []);
      let allIds = await everyone();

      for (const { name, fault, error } of FAULTS) {
        for (const mode of ["once", "always", "after"] as Mode[]) {
          const inject = (method: "GET" | "POST" | "PUT") =>
            mode === "always"
              ? sb.faults.fraction(1, fault, { method })
              : sb.faults.next(1, fault, { method, phase: mode === "after" ? "after" : "before" });
          // Reads are not faulted "after": a GET changes nothing, so there is nothing to repeat.
          if (mode !== "after") {

          // get
          sb.faults.clear();
          inject("GET");
          const got = await settle(clock, () => dir.get(dir.capabilities.get.scope === "any user" ? someone.id : "self"));
          sb.faults.clear();
          record({ fault: name, op: "get", mode, outcome: describeOutcome(got, "ok"), ms: got.ms });
          if (mode === "once") expect(got.error, `${name} once: get`).toBeUndefined();
          else expect(got.error, `${name} always: get`).toBeInstanceOf(error);

          // list, failing after the first page
          if (dir.capabilities.list.supported) {
            const listing = dir.list();
            const seen: string[] = [];
            const pages = listing.pages();
            const first = await pages.next();
            seen.push(...((first.value as User[] | undefined) ?? []).map((u) => u.id));
            inject("GET");
            const requestsBefore = sb.requests.length;
            const rest = await settle(clock, async () => {
              for await (const page of { [Symbol.asyncIterator]: () => pages }) seen.push(...page.map((u) => u.id));
            });
            sb.faults.clear();
            let outcome = describeOutcome(rest, "ok");
            if (sb.requests.length === requestsBefore) {
              // The first page was the whole list (Dropbox Sign's team comes in one answer): there is no
              // middle of the pagination to fail in, and nothing may have been asked for.
              expect(rest.error, `${name} ${mode}: a one-page list`).toBeUndefined();
              expect(listing.cursor, `${name} ${mode}: a one-page list is exhausted`).toBeUndefined();
              outcome = "n/a (one page)";
            } else if (rest.error !== undefined) {
              expect(rest.error, `${name} ${mode}: list`).toBeInstanceOf(error);
              // Resume where it stopped: nothing lost, nothing twice.
              expect(listing.cursor).not.toBeUndefined();
              for await (const u of admin.list({}, { cursor: listing.cursor })) seen.push(u.id);
              outcome += " → resumed";
            } else {
              expect(mode, `${name}: list`).toBe("once");
            }
            expect([...seen].sort(), `${name} ${mode}: list content`).toEqual(allIds);
            record({ fault: name, op: "list mid-pagination", mode, outcome, ms: rest.ms });
          } else {
            expect(() => dir.list()).toThrow();
            record({ fault: name, op: "list mid-pagination", mode, outcome: "n/a (no list)", ms: 0 });
          }

          }

          // create
          const input = fresh();
          inject(write);
          const created = await settle(clock, () => dir.create(input));
          sb.faults.clear();
          const copies = await countByEmail(input.email);
          if (copies !== undefined) expect(copies, `${name} ${mode}: create duplicated`).toBeLessThanOrEqual(1);
          if (mode === "after") {
            // The user was created; the answer is lost or garbled. A typed error, or success where the
            // client cannot tell (a body it does not read): either way the user exists exactly once.
            if (created.error !== undefined) expect(created.error, `${name} after: create`).toBeInstanceOf(EsignApiError);
          } else if (mode === "once" && (RETRIED_FOR_CREATE.has(name) || write === "PUT")) {
            // A create by PUT (Dropbox Sign's invitation) is idempotent: repeating it sends the same
            // invitation again, so it is retried as a read is.
            expect(created.error, `${name} once: create`).toBeUndefined();
          } else {
            expect(created.error, `${name} ${mode}: create`).toBeInstanceOf(error);
          }
          if (mode === "after" && copies !== undefined) expect(copies, `${name} after: the user was created once`).toBe(1);
          record({ fault: name, op: "create", mode, outcome: describeOutcome(created, "ok"), ms: created.ms });

          // bulk create
          const batch = [fresh(), fresh(), fresh()];
          inject(write);
          const bulk = await settle(clock, () => dir.createMany(batch, { concurrency: 3 }));
          sb.faults.clear();
          expect(bulk.error, `${name} ${mode}: createMany must not throw`).toBeUndefined();
          const report = bulk.value!;
          expect(report).toHaveLength(3);
          if (mode !== "always") expect(report.failed, `${name} ${mode}: createMany`).toBe(0);
          else for (const item of report) if (item.status === "failed") expect(item.error).toBeInstanceOf(EsignApiError);
          // An outcome that could not be checked is reported as such, with what to do; only where nothing can be listed.
          for (const item of report) {
            if (item.status !== "unknown") continue;
            expect(dir.capabilities.list.supported, `${name} ${mode}: unknown despite a list`).toBe(false);
            expect(item.error).toBeInstanceOf(EsignApiError);
            expect(item.advice).toContain("api_key");
          }
          for (const item of batch) {
            const count = await countByEmail(item.email);
            if (count !== undefined) expect(count, `${name} ${mode}: createMany duplicated`).toBeLessThanOrEqual(1);
          }
          // Whoever now exists is what the next interrupted list must find.
          allIds = await everyone();
          record({
            fault: name,
            op: "bulk create",
            mode,
            outcome: `${report.created} created, ${report.existing} exists, ${report.failed} failed${
              report.failed ? ` (${[...new Set(report.flatMap((i) => (i.status === "failed" ? [i.error.name] : [])))].join(", ")})` : ""
            }${
              report.unknown
                ? `, ${report.unknown} unknown (${[...new Set(report.flatMap((i) => (i.status === "unknown" ? [i.error.name] : [])))].join(", ")})`
                : ""
            }`,
            ms: bulk.ms,
          });
        }
      }
    } finally {
      await close();
    }
  });

  it("writes the matrix for RELIABILITY.md", () => {
    const dir = fileURLToPath(new URL("../../../artifacts/", import.meta.url));
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}fault-matrix.json`, `${JSON.stringify(cells, null, 2)}\n`);
    expect(cells.length).toBe(setups.length * FAULTS.length * (2 * 2 + 2 * 3));
  });
});
