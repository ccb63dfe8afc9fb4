import { paginate } from "@esign-users/runtime";
import { describe, expect, it } from "vitest";
import type { ProviderAdapter } from "../src/adapter.js";
import { createMany } from "../src/create-many.js";
import { quicklysignCapabilities } from "../src/adapters/quicklysign.js";
import { signableCapabilities } from "../src/adapters/signable.js";
import { ConflictError, type CreateManyItem, type NewUser, RateLimitError, ServerError, type User } from "../src/index.js";
import { attack } from "../../runtime/test/attacks.js";
import { setups } from "./setups.js";

describe.each(setups)("$label: createMany under faults", (setup) => {
  it("200 users with 10 % of requests answered 429 or 503: every item reported, nobody twice, second run all exists", async () => {
    const { sb, dir, close } = await setup.start();
    try {
      const run = Date.now().toString(36);
      const inputs: NewUser[] = Array.from({ length: 200 }, (_, i) => ({
        email: `fault${i}.${run}@example.com`,
        firstName: `Fault${i}`,
        lastName: "Tolerant",
      }));
      // Seeded, so a failure can be replayed exactly.
      sb.faults.fraction(0.05, { type: "status", status: 429, retryAfterMs: 5 }, { seed: 11 });
      sb.faults.fraction(0.05, { type: "status", status: 503 }, { seed: 23 });
      // Bulk providers send few requests, so the fraction may spare them all: the first
      // POST fails for certain, after the provider has already carried it out.
      sb.faults.next(1, { type: "status", status: 503 }, { method: "POST", phase: "after" });

      const first = await dir.createMany(inputs, { concurrency: 10 });
      expect(first).toHaveLength(200);
      expect(first.map((r) => r.index)).toEqual(inputs.map((_, i) => i));
      // Where the provider can list users, every lost answer is checked; where it cannot
      // (QuicklySign), the user whose answer was lost is reported as unknown, never as failed.
      const canCheck = dir.capabilities.list.supported;
      expect(first.failed).toBe(0);
      expect(first.unknown).toBe(canCheck ? 0 : 1);
      expect(first.created + first.existing + first.unknown).toBe(200);
      for (const item of first) if (item.status === "unknown") expect(item.advice).toContain("api_key");
      const faulted = sb.requests.filter((r) => r.status === 429 || r.status === 503).length;
      expect(faulted).toBeGreaterThan(0);

      sb.faults.clear();
      if (canCheck) {
        const emails = (await dir.list().toArray()).map((u) => u.email).filter((e) => e.endsWith(`.${run}@example.com`));
        expect(emails).toHaveLength(200);
        expect(new Set(emails).size).toBe(200);
      }

      const second = await dir.createMany(inputs, { concurrency: 10 });
      expect(second.existing).toBe(200);
      expect(second.every((r) => r.status === "exists")).toBe(true);
    } finally {
      await close();
    }
  });

  it("when the list of who exists fails, every input still gets an outcome and nothing is sent", async (context) => {
    const { sb, dir, close } = await setup.start();
    try {
      if (!dir.capabilities.list.supported) return; // nothing is listed first where nothing can be
      const done = attack(context, "createmany-list-fails");
      sb.faults.fraction(1, { type: "status", status: 500 }, { method: "GET" });
      const before = sb.requests.length;
      const inputs = [0, 1, 2].map((i) => ({ email: `nolist${i}.${Date.now()}@example.com`, firstName: "No", lastName: `List${i}` }));
      const report = await dir.createMany([...inputs, { email: "not an email" }]);
      expect(report).toHaveLength(4);
      expect(report.slice(0, 3).map((r) => r.status)).toEqual(["failed", "failed", "failed"]);
      for (const item of report.slice(0, 3)) {
        expect(item.status === "failed" && item.error).toBeInstanceOf(ServerError);
        expect(item.status === "failed" && item.advice).toContain("nothing was created");
      }
      expect(report[3]?.status).toBe("failed");
      expect(sb.requests.slice(before).every((r) => r.method === "GET")).toBe(true);
      done(`${setup.label}: 4 inputs, 4 outcomes (failed, nothing sent), no rejection`);
    } finally {
      await close();
    }
  });
});

describe("quicklysign: a create whose answer was lost", () => {
  it("is unknown, with what to do, and a rerun reports exists (the api_key cannot be had again)", async (context) => {
    const done = attack(context, "createmany-lost-answer");
    const setup = setups.find((s) => s.label === "quicklysign")!;
    const { sb, dir, close } = await setup.start();
    try {
      const input = { email: `lost.${Date.now()}@example.com`, firstName: "Lost", lastName: "Answer" };
      sb.faults.next(1, { type: "status", status: 500 }, { method: "POST", phase: "after" });
      const [item] = await dir.createMany([input]);
      expect(item).toMatchObject({ status: "unknown", error: expect.any(ServerError) });
      expect(item?.status === "unknown" && item.advice).toMatch(/api_key/);
      const [again] = await dir.createMany([input]);
      expect(again?.status).toBe("exists");
      expect(again?.status === "exists" && again.user).toBeUndefined();
      done(`QuicklySign, 500 after the create: ${item?.status} with advice; a rerun says ${again?.status}`);
    } finally {
      await close();
    }
  });
});

/**
 * The decisions alone, on a provider whose answers are scripted: no server is
 * involved, only what createMany does with each answer.
 */
describe("createMany's outcomes", () => {
  const user = (email: string): User => ({ id: email, provider: "signable", email, name: "N", status: "active", raw: {} });
  const lost = () => new ServerError({ message: "answer lost", status: 500, provider: "signable" });
  const duplicate = () => new ConflictError({ message: "exists", status: 409, code: "duplicate_email", provider: "signable" });
  const inputs: NewUser[] = [{ email: "a@example.com", firstName: "A", lastName: "A" }];

  function adapter(script: { list?: (() => User[])[]; create: (() => User)[] }) {
    let lists = 0;
    let creates = 0;
    const fake: ProviderAdapter = {
      provider: script.list ? "signable" : "quicklysign",
      raw: undefined,
      capabilities: script.list ? signableCapabilities : quicklysignCapabilities,
      create: async () => (script.create[Math.min(creates++, script.create.length - 1)] as () => User)(),
      get: async () => {
        throw new Error("not used");
      },
      update: async () => {
        throw new Error("not used");
      },
      isDuplicate: (e) => e.code === "duplicate_email",
    };
    if (script.list) {
      const pages = script.list;
      Object.assign(fake, {
        list: () => paginate(async () => ({ items: (pages[Math.min(lists++, pages.length - 1)] as () => User[])(), next: undefined }), 0),
      });
    }
    return { fake, creates: () => creates, lists: () => lists };
  }
  const fails = () => {
    throw lost();
  };
  const one = async (a: ProviderAdapter): Promise<CreateManyItem> => (await createMany(a, inputs))[0] as CreateManyItem;

  it("lost answers and a list that fails every time after the first: unknown after three tries, never failed", async () => {
    const a = adapter({ list: [() => [], fails], create: [fails] });
    expect(await one(a.fake)).toMatchObject({ status: "unknown", error: expect.any(ServerError), advice: expect.stringContaining("look the user up") });
    expect(a.creates()).toBe(3);
  });

  it("lost answers, and the list says the user is not there: failed (nothing was created)", async () => {
    const a = adapter({ list: [() => []], create: [fails] });
    expect(await one(a.fake)).toMatchObject({ status: "failed", error: expect.any(ServerError) });
    expect(a.creates()).toBe(3);
  });

  it("a lost answer, and the list finds the user: created", async () => {
    const a = adapter({ list: [() => [], () => [user("a@example.com")]], create: [fails] });
    expect(await one(a.fake)).toMatchObject({ status: "created", user: { email: "a@example.com" } });
    expect(a.creates()).toBe(1);
  });

  it("no list: a lost answer then a fresh create is created; then a duplicate is unknown; a first duplicate exists", async () => {
    const retried = adapter({ create: [fails, () => user("a@example.com")] });
    expect((await one(retried.fake)).status).toBe("created");
    const refused = adapter({
      create: [
        fails,
        () => {
          throw duplicate();
        },
      ],
    });
    expect(await one(refused.fake)).toMatchObject({ status: "unknown", advice: expect.stringContaining("api_key") });
    const already = adapter({
      create: [
        () => {
          throw duplicate();
        },
      ],
    });
    expect((await one(already.fake)).status).toBe("exists");
  });

  it("a 429 that outlasts every round is failed even where nothing can be checked: it proves nothing was done", async () => {
    const a = adapter({
      create: [
        () => {
          throw new RateLimitError({ message: "slow down", status: 429, provider: "quicklysign" });
        },
      ],
    });
    expect(await one(a.fake)).toMatchObject({ status: "failed", error: expect.any(RateLimitError) });
    expect(a.creates()).toBe(3);
  });

  it("a repeat of an email shares its first occurrence's unknown outcome", async () => {
    const a = adapter({ create: [fails] });
    const report = await createMany(a.fake, [...inputs, { ...inputs[0]!, email: "A@example.com" }]);
    expect(report.map((r) => r.status)).toEqual(["unknown", "unknown"]);
    expect(report.unknown).toBe(2);
    expect(report[1]?.index).toBe(1);
  });
});
