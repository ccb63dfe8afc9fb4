import type { ApiDefinition, PaginationDescriptor } from "@esign-users/runtime";
import { describe, expect, it } from "vitest";
import type { NewUser } from "../src/index.js";
import { setups } from "./setups.js";

// Every provider's list pages by the one stop rule its spec declares, through the one
// paginator of the runtime: tried on its sandbox with pages of 1, 2 and the largest
// size the spec allows, with a last page that is short and one that is exactly full.

/** The provider package (and entry) a sandbox's client comes from. */
const packageOf = (sandbox: string) =>
  sandbox.includes("-v") ? `@esign-users/${sandbox.replace(/-v([0-9.]+)$/, "/v$1")}` : `@esign-users/${sandbox}`;

/** Requests the stop rule needs for `total` items in pages of `size`. */
function expectedRequests(pagination: PaginationDescriptor, total: number, size: number): number {
  // A `next` field or a page count ends the list on its last page; without either,
  // only a short (or empty) page can, so an exactly full last page costs one more request.
  if (pagination.next !== undefined || pagination.totalPages !== undefined || pagination.total !== undefined) {
    return Math.max(1, Math.ceil(total / size));
  }
  return Math.floor(total / size) + 1;
}

// QuicklySign has no list. Dropbox Sign's directory lists the team in one answer (GET /team): its paged
// operations (members, sub-teams) have their test in packages/dropboxsign/test/client.test.ts, where
// invitees can be made members (only members are paged, and a directory's create only invites).
const paged = setups.filter((s) => s.label !== "quicklysign" && s.label !== "dropboxsign");

describe.each(paged)("$label: list() stops by the spec's rule", (setup) => {
  it("pages of 1, 2 and the maximum; a short last page and an exactly full one", { timeout: 120_000 }, async () => {
    const { sb, dir, close } = await setup.start();
    try {
      const { api } = (await import(packageOf(setup.sandbox))) as { api: ApiDefinition };
      const [id, op] = Object.entries(api.operations).find(([, o]) => o.pagination) ?? [];
      expect(op, "a list operation").toBeDefined();
      const pagination = op?.pagination as PaginationDescriptor;
      const [namespace, method] = (op?.name as string).split(".") as [string, string];
      const client = dir.raw as unknown as Record<string, Record<string, (q?: object) => { toArray(): Promise<unknown[]> }>>;
      const list = (size: number) => client[namespace]?.[method]?.({ [pagination.size as string]: size }).toArray() as Promise<unknown[]>;
      const max = pagination.maxSize as number;
      expect(max, "the spec gives the page size a maximum").toBeGreaterThan(2);

      const people = (n: number, from: number): NewUser[] =>
        Array.from({ length: n }, (_, i) => ({ email: `page.${from + i}@example.com`, firstName: "Page", lastName: `User${from + i}` }));
      const count = async () => (await dir.list().toArray()).length;
      const run = async (size: number) => {
        const before = sb.requests.length;
        const items = await list(size);
        const requests = sb.requests.slice(before).filter((r) => r.operationId === id).length;
        return { items: items.length, unique: new Set(items.map((u) => JSON.stringify(u))).size, requests };
      };

      // Whatever the sandbox starts with (an owner), then up to 4 users: an even total.
      let total = await count();
      const first = total % 2 === 0 ? 4 : 3;
      await dir.createMany(people(first, 0));
      total = await count();
      expect(total % 2).toBe(0);
      for (const size of [1, 2]) {
        // Pages of 1 and 2 over an even total: the last page is exactly full.
        const seen = await run(size);
        expect(seen, `pages of ${size}`).toEqual({ items: total, unique: total, requests: expectedRequests(pagination, total, size) });
      }
      await dir.createMany(people(1, first));
      total += 1;
      // An odd total in pages of 2: a short last page.
      expect(await run(2)).toEqual({ items: total, unique: total, requests: expectedRequests(pagination, total, 2) });

      // Up to exactly the maximum: one full page of the largest size, then one more user.
      await dir.createMany(people(max - total, first + 1));
      total = max;
      expect(await run(max)).toEqual({ items: max, unique: max, requests: expectedRequests(pagination, max, max) });
      await dir.createMany(people(1, 1000));
      expect(await run(max)).toEqual({ items: max + 1, unique: max + 1, requests: expectedRequests(pagination, max + 1, max) });
    } finally {
      await close();
    }
  });
});
