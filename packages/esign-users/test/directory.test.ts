import type { Sandbox } from "@esign-users/sandbox";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EsignApiError,
  NotFoundError,
  UnsupportedOperationError,
  type User,
  type UserDirectory,
  ValidationError,
} from "../src/index.js";
import { setups } from "./setups.js";

/**
 * One suite, written once, run against every provider's sandbox. What a provider
 * cannot do is read from its capabilities: those tests assert the refusal instead.
 */
describe.each(setups)("$label", (setup) => {
  let sb: Sandbox<Record<string, string>>;
  let dir: UserDirectory;
  let close: () => Promise<void>;
  const unique = (tag: string) => `${tag}.${Date.now()}.${Math.random().toString(36).slice(2, 7)}@example.com`;

  beforeAll(async () => {
    ({ sb, dir, close } = await setup.start());
  });
  afterAll(() => close());

  it("creates a user and reads it back, normalised", async () => {
    const email = unique("create");
    const role = dir.capabilities.create.roles.includes("member") ? "member" : undefined;
    const user = await dir.create({ email, firstName: "Ada", lastName: "Lovelace", role });
    expect(user).toMatchObject({ provider: dir.provider, email });
    if (dir.capabilities.create.fields.includes("firstName")) {
      expect(user).toMatchObject({ firstName: "Ada", lastName: "Lovelace", name: "Ada Lovelace" });
    }
    if (role && dir.capabilities.create.fields.includes("role")) expect(user.role).toBe(role);
    expect(user.id).toEqual(expect.any(String));
    expect(["active", "invited"]).toContain(user.status);
    expect(user.raw).toBeDefined();
    if (user.createdAt) expect(user.createdAt).toBeInstanceOf(Date);
    if (dir.capabilities.get.scope === "any user") {
      const again = await dir.get(user.id);
      expect(again).toMatchObject({ id: user.id, email, name: user.name, status: user.status });
    }
  });

  it("updates what the provider lets it update, or refuses", async () => {
    const created = await dir.create({ email: unique("update"), firstName: "Grace", lastName: "Hopper" });
    if (!dir.capabilities.update.supported) {
      const before = sb.requests.length;
      await expect(dir.update(created.id, { firstName: "Amazing Grace" })).rejects.toBeInstanceOf(UnsupportedOperationError);
      expect(sb.requests.length).toBe(before);
      return;
    }
    // Where only the authenticated user is reachable, that is the one to update.
    const user = dir.capabilities.get.scope === "any user" ? created : await dir.get("self");
    const fields = dir.capabilities.update.fields;
    if (fields.includes("firstName")) {
      const updated = await dir.update(user.id, { firstName: "Amazing Grace" });
      expect(updated.firstName).toBe("Amazing Grace");
      expect(updated.lastName).toBe(user.lastName);
    }
    if (fields.includes("email")) {
      const email = unique("moved");
      expect((await dir.update(user.id, { email })).email).toBe(email);
    }
  });

  it("lists users with filters, or refuses to list where the provider cannot", async () => {
    if (!dir.capabilities.list.supported) {
      expect(() => dir.list()).toThrow(UnsupportedOperationError);
      return;
    }
    const tag = `needle${Math.random().toString(36).slice(2, 8)}`;
    const mine = await Promise.all([1, 2, 3].map((i) => dir.create({ email: unique(`${tag}${i}`), firstName: `L${i}`, lastName: "List" })));
    const all: User[] = [];
    for await (const u of dir.list()) all.push(u);
    for (const m of mine) expect(all.map((u) => u.id)).toContain(m.id);
    const found = await dir.list({ search: tag }).toArray();
    expect(found.map((u) => u.id).sort()).toEqual(mine.map((u) => u.id).sort());
    const active = await dir.list({ status: "active" }).toArray();
    for (const u of active) expect(u.status).toBe("active");
  });

  it("removes a user as the provider defines removal, or refuses", async () => {
    const user = await dir.create({ email: unique("remove"), firstName: "Gone", lastName: "Soon" });
    if (!dir.capabilities.remove.supported) {
      await expect(dir.remove(user.id)).rejects.toBeInstanceOf(UnsupportedOperationError);
      return;
    }
    await dir.remove(user.id);
    const effect = dir.capabilities.remove.effect;
    // Leaving the team leaves the directory, even though the provider keeps the account.
    const gone = effect === "delete" || effect === "removeFromTeam" || (effect === "deactivate" && user.status === "invited");
    // Deactivating an invitation that was never accepted cancels it: the invitee is gone.
    if (gone) await expect(dir.get(user.id)).rejects.toBeInstanceOf(NotFoundError);
    else {
      const after = await dir.get(user.id);
      expect(after.status).toBe(effect === "close" ? "closed" : "inactive");
    }
  });

  it("validates input once, naming the field, before any request", async () => {
    const before = sb.requests.length;
    const field = async (p: Promise<unknown>) => {
      const e = await p.then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(e).toBeInstanceOf(ValidationError);
      return (e as ValidationError).field;
    };
    expect(await field(dir.create({ email: "not-an-email", firstName: "X" }))).toBe("email");
    expect(await field(dir.create({ email: unique("v"), firstName: "" }))).toBe("firstName");
    expect(await field(dir.create({ email: unique("v"), firstName: "X", role: "superuser" as "admin" }))).toBe("role");
    expect(await field(dir.create({ email: unique("v"), firstName: "X", nickname: "y" } as never))).toBe("nickname");
    if (dir.capabilities.update.supported) expect(await field(dir.update("1", {}))).toBe("patch");
    else await expect(dir.update("1", {})).rejects.toBeInstanceOf(UnsupportedOperationError);
    expect(await field(dir.get(""))).toBe("id");
    expect(sb.requests.length).toBe(before);
  });

  it("gives the runtime's typed errors, with provider set", async () => {
    const error = await dir.get("999999999").then(
      () => undefined,
      (e: unknown) => e as EsignApiError,
    );
    expect(error).toBeInstanceOf(EsignApiError);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error?.provider).toBe(dir.provider);
    expect(error?.message).toContain(dir.provider);
  });

  it("creates many: per-item results in order, and a second run reports everyone as existing", async () => {
    const inputs = [0, 1, 2, 3, 4].map((i) => ({ email: unique(`bulk${i}`), firstName: `Bulk${i}`, lastName: "User" }));
    const withBad = [...inputs.slice(0, 2), { email: "broken", firstName: "Bad" }, ...inputs.slice(2), inputs[0]!];
    const first = await dir.createMany(withBad, { concurrency: 3 });
    expect(first.map((r) => r.status)).toEqual(["created", "created", "failed", "created", "created", "created", "exists"]);
    expect(first[2]).toMatchObject({ status: "failed", error: expect.any(ValidationError) });
    expect(first.map((r) => r.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect([first.created, first.existing, first.failed]).toEqual([5, 1, 1]);
    const second = await dir.createMany(inputs);
    expect(second.map((r) => r.status)).toEqual(["exists", "exists", "exists", "exists", "exists"]);
  });
});
