import fc from "fast-check";
import { describe, expect, it, type TaskMeta } from "vitest";
import {
  EsignApiError,
  NotFoundError,
  type NewUser,
  PermissionDeniedError,
  type ProviderName,
  UnsupportedOperationError,
  type User,
  type UserDirectory,
  ValidationError,
  createUserDirectory,
} from "../src/index.js";
import { type Setup, setups } from "./setups.js";

/**
 * Model-based fuzzing: random sequences of directory operations, valid and not,
 * run against each provider's sandbox and checked against an in-memory model of
 * who should exist. `npm run fuzz` runs many more sequences (FUZZ_RUNS) and writes
 * the figures for RELIABILITY.md; each test only records its own in its `meta`,
 * which vitest's JSON report carries.
 */

declare module "vitest" {
  interface TaskMeta {
    fuzz?: { provider: string; runs: number; commands: number; seconds: number };
  }
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;

interface ModelUser {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  status: User["status"];
  /** The full name as the provider keeps it (DocuSign judges duplicates on it). */
  userName: string;
}

interface Model {
  provider: ProviderName;
  users: ModelUser[];
}

interface Real {
  dir: UserDirectory;
  requests(): number;
  selfId: string | undefined;
}

const EMAILS = ["ada@example.com", "grace@example.com", "alan@example.com", "edsger@example.com", "barbara@example.com"];
const FIRST = ["Ada", "Grace", "Alan"];
const LAST = ["Lovelace", "Hopper"];
const BAD_EMAILS = ["not-an-email", "a@b", "@example.com", "x y@example.com", ""];

const fullName = (i: NewUser) => [i.firstName, i.lastName].filter(Boolean).join(" ") || i.email;
const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The user a new one would collide with, as the provider judges it. */
function collision(model: Model, input: NewUser): ModelUser | undefined {
  return model.users.find((u) =>
    model.provider === "docusign"
      ? sameEmail(u.email, input.email) && u.userName === fullName(input)
      : sameEmail(u.email, input.email),
  );
}

/** Who `list()` without filters shows: DocuSign leaves closed users out unless asked. */
const listed = (model: Model) => model.users.filter((u) => !(model.provider === "docusign" && u.status === "closed"));
const initialStatus = (p: ProviderName): User["status"] =>
  p === "docusign" || p === "boldsign" || p === "dropboxsign" ? "invited" : "active";

const input = (emails: string[] = EMAILS) =>
  fc.record({ email: fc.constantFrom(...emails), firstName: fc.constantFrom(...FIRST), lastName: fc.constantFrom(...LAST) });

async function expectRefused(real: Real, call: () => Promise<unknown>, kind: new (...a: never[]) => Error) {
  const before = real.requests();
  await expect(call()).rejects.toBeInstanceOf(kind);
  if (kind === ValidationError) expect(real.requests(), "a refused input must send nothing").toBe(before);
}

class Create implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: NewUser) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const clash = collision(model, this.user);
    if (clash && model.provider === "dropboxsign" && clash.status === "invited") {
      // Inviting someone invited already sends the invitation again: the same person, still invited.
      const again = await real.dir.create(this.user);
      expect({ id: again.id, status: again.status }).toEqual({ id: clash.id, status: "invited" });
      return;
    }
    if (clash) {
      await expectRefused(real, () => real.dir.create(this.user), EsignApiError);
      return;
    }
    const user = await real.dir.create(this.user);
    expect(user.email).toBe(this.user.email);
    expect(user.status).toBe(initialStatus(model.provider));
    model.users.push({ id: user.id, ...this.user, status: user.status, userName: fullName(this.user) } as ModelUser);
  }
  toString = () => `create(${JSON.stringify(this.user)})`;
}

class CreateInvalid implements fc.AsyncCommand<Model, Real> {
  constructor(readonly user: NewUser) {}
  check = () => true;
  async run(_model: Model, real: Real) {
    await expectRefused(real, () => real.dir.create(this.user), ValidationError);
  }
  toString = () => `createInvalid(${JSON.stringify(this.user)})`;
}

class Get implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const reachable = model.provider === "quicklysign" ? [] : model.users;
    const target = reachable[this.pick % Math.max(reachable.length, 1)];
    if (!target) {
      if (model.provider === "quicklysign") {
        expect((await real.dir.get("self")).id).toBe(real.selfId);
        return;
      }
      await expectRefused(real, () => real.dir.get("no-such-user-9999"), NotFoundError);
      return;
    }
    const user = await real.dir.get(target.id);
    expect({ email: user.email, status: user.status }).toEqual({ email: target.email, status: target.status });
    // Where the provider keeps names (BoldSign's invitees give theirs when accepting; Dropbox Sign keeps none).
    if (model.provider !== "boldsign" && real.dir.capabilities.create.fields.includes("firstName")) {
      expect(user.firstName).toBe(target.firstName);
    }
  }
  toString = () => `get(#${this.pick})`;
}

class Update implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly firstName: string,
  ) {}
  check = (model: Model) => model.provider !== "quicklysign" && model.users.some((u) => u.status !== "closed");
  async run(model: Model, real: Real) {
    const open = model.users.filter((u) => u.status !== "closed");
    const target = open[this.pick % open.length] as ModelUser;
    if (!real.dir.capabilities.update.supported) {
      await expectRefused(real, () => real.dir.update(target.id, { firstName: this.firstName }), UnsupportedOperationError);
      return;
    }
    if (model.provider === "boldsign") {
      const user = await real.dir.update(target.id, { role: "admin" });
      expect(user.role).toBe("admin");
      return;
    }
    const renamed = `${this.firstName} ${target.lastName}`.trim();
    const clash = model.users.some(
      (u) => u !== target && sameEmail(u.email, target.email) && u.userName === renamed,
    );
    if (model.provider === "docusign" && clash) {
      // DocuSign refuses a rename that makes the name and email of two users the same.
      await expectRefused(real, () => real.dir.update(target.id, { firstName: this.firstName }), EsignApiError);
      return;
    }
    const user = await real.dir.update(target.id, { firstName: this.firstName });
    expect(user.firstName).toBe(this.firstName);
    target.firstName = this.firstName;
    target.userName = `${this.firstName} ${target.lastName}`.trim();
  }
  toString = () => `update(#${this.pick}, ${this.firstName})`;
}

class UpdateInvalid implements fc.AsyncCommand<Model, Real> {
  constructor(readonly patch: Record<string, unknown>) {}
  check = () => true;
  async run(_model: Model, real: Real) {
    const refusal = real.dir.capabilities.update.supported ? ValidationError : UnsupportedOperationError;
    await expectRefused(real, () => real.dir.update("any-id", this.patch), refusal);
  }
  toString = () => `updateInvalid(${JSON.stringify(this.patch)})`;
}

class Remove implements fc.AsyncCommand<Model, Real> {
  constructor(readonly pick: number) {}
  check = () => true;
  async run(model: Model, real: Real) {
    if (!real.dir.capabilities.remove.supported) {
      await expectRefused(real, () => real.dir.remove("self"), UnsupportedOperationError);
      return;
    }
    const open = model.users.filter((u) => u.status !== "closed");
    const target = open[this.pick % Math.max(open.length, 1)];
    if (!target) {
      await expectRefused(real, () => real.dir.remove("no-such-user-9999"), NotFoundError);
      return;
    }
    if (model.provider === "dropboxsign" && target.id === real.selfId) {
      // The calling account cannot remove itself from its team (it deletes the team instead).
      await expectRefused(real, () => real.dir.remove(target.id), PermissionDeniedError);
      return;
    }
    await real.dir.remove(target.id);
    const effect = real.dir.capabilities.remove.effect;
    // Deleting, leaving the team, or cancelling an invitation removes the user; closing keeps a closed record.
    if (effect === "delete" || effect === "removeFromTeam" || (effect === "deactivate" && target.status === "invited")) {
      model.users.splice(model.users.indexOf(target), 1);
    } else {
      target.status = effect === "close" ? "closed" : "inactive";
    }
  }
  toString = () => `remove(#${this.pick})`;
}

class List implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(model: Model, real: Real) {
    if (!real.dir.capabilities.list.supported) {
      expect(() => real.dir.list()).toThrow(UnsupportedOperationError);
      return;
    }
    const emails = (await real.dir.list().toArray()).map((u) => `${u.email}/${u.status}`).sort();
    expect(emails).toEqual(listed(model).map((u) => `${u.email}/${u.status}`).sort());
  }
  toString = () => "list()";
}

class CreateMany implements fc.AsyncCommand<Model, Real> {
  constructor(readonly inputs: NewUser[]) {}
  check = () => true;
  async run(model: Model, real: Real) {
    const report = await real.dir.createMany(this.inputs, { concurrency: 3 });
    expect(report).toHaveLength(this.inputs.length);
    const seen = new Map<string, string>();
    this.inputs.forEach((item, index) => {
      const got = report[index]!;
      expect(got.index).toBe(index);
      let expected: string;
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(item.email)) expected = "failed";
      else if (seen.has(item.email.toLowerCase())) expected = seen.get(item.email.toLowerCase()) === "failed" ? "failed" : "exists";
      else if (listed(model).some((u) => sameEmail(u.email, item.email)) || collision(model, item)) expected = "exists";
      else expected = "created";
      seen.set(item.email.toLowerCase(), expected);
      expect(got.status, `${item.email} in ${JSON.stringify(this.inputs)}`).toBe(expected);
      if (got.status === "created") {
        model.users.push({ id: got.user.id, ...item, status: got.user.status, userName: fullName(item) } as ModelUser);
      }
      if (got.status === "failed") expect(got.error).toBeInstanceOf(ValidationError);
    });
  }
  toString = () => `createMany(${JSON.stringify(this.inputs)})`;
}

const commands = [
  input().map((u) => new Create(u)),
  fc
    .record({ email: fc.constantFrom(...BAD_EMAILS), firstName: fc.constantFrom("Ok", "", " "), lastName: fc.constant("X") })
    .map((u) => new CreateInvalid(u)),
  fc.nat(20).map((n) => new Get(n)),
  fc.tuple(fc.nat(20), fc.constantFrom("Augusta", "Amazing Grace", "Alonzo")).map(([n, f]) => new Update(n, f)),
  fc
    .constantFrom<Record<string, unknown>>({}, { nickname: "x" }, { email: "bad" }, { firstName: "" }, { role: "owner" })
    .map((p) => new UpdateInvalid(p)),
  fc.nat(20).map((n) => new Remove(n)),
  fc.constant(new List()),
  fc
    .array(fc.oneof({ weight: 5, arbitrary: input() }, { weight: 1, arbitrary: input(["broken-email"]) }), { minLength: 1, maxLength: 5 })
    .map((inputs) => new CreateMany(inputs)),
];

async function fuzz(setup: Setup): Promise<NonNullable<TaskMeta["fuzz"]>> {
  const { sb, options, close } = await setup.start();
  let commandsRun = 0;
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 10 }), async (cmds) => {
        sb.reset();
        let chosen = options;
        let selfId: string | undefined;
        if (options.provider === "quicklysign") {
          // The reset forgot every user, the directory's own included: sign it up again.
          chosen = { ...(await setup.options(sb)), rateLimit: false } as typeof options;
          selfId = (await createUserDirectory(chosen).get("self")).id;
        }
        if (options.provider === "dropboxsign") {
          // The calling account is in its own team, and cannot remove itself.
          const raw = createUserDirectory(chosen).raw as { account: { get(): Promise<{ account: { account_id?: string } }> } };
          selfId = (await raw.account.get()).account.account_id;
        }
        const real: Real = { dir: createUserDirectory(chosen), requests: () => sb.requests.length, selfId };
        const model: Model = { provider: options.provider, users: [] };
        // Some sandboxes start with users (BoldSign's account owner): the model starts with them too.
        if (real.dir.capabilities.list.supported) {
          for (const u of await real.dir.list().toArray()) {
            model.users.push({ id: u.id, email: u.email, firstName: u.firstName ?? "", lastName: u.lastName ?? "", status: u.status, userName: u.name });
          }
        }
        for (const c of cmds) commandsRun += c.check(model) ? 1 : 0;
        await fc.asyncModelRun(() => ({ model, real }), cmds);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  } finally {
    await close();
  }
  return { provider: setup.label, runs: RUNS, commands: commandsRun, seconds: (performance.now() - started) / 1000 };
}

describe("model-based fuzzing", () => {
  const cases = setups.map((setup) => [setup.label, setup] as const);
  it.concurrent.for(cases)(`%s: ${RUNS} random sequences match the model`, { timeout: 600_000 }, async ([, setup], { task }) => {
    task.meta.fuzz = await fuzz(setup);
    expect(task.meta.fuzz.commands).toBeGreaterThan(0);
  });
});
