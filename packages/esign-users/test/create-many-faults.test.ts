import { describe, expect, it } from "vitest";
import type { NewUser } from "../src/index.js";
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
      const statuses = new Set(first.map((r) => r.status));
      expect([...statuses].every((s) => s === "created" || s === "exists")).toBe(true);
      expect(first.created + first.existing).toBe(200);
      const faulted = sb.requests.filter((r) => r.status === 429 || r.status === 503).length;
      expect(faulted).toBeGreaterThan(0);

      sb.faults.clear();
      if (dir.capabilities.list.supported) {
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
});
