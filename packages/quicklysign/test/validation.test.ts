import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type QuicklySignClient, ValidationError } from "../src/index.js";
import { ada, clientFor, type QuicklySignSandbox, seedUser, startQuicklySign } from "./helpers.js";

let sb: QuicklySignSandbox;
let client: QuicklySignClient;

beforeAll(async () => {
  sb = await startQuicklySign();
});
afterAll(() => sb.close());
beforeEach(async () => {
  sb.reset();
  client = clientFor(sb, { apiKey: await seedUser(sb) });
  sb.requests.length = 0;
});

async function refused(call: Promise<unknown>): Promise<ValidationError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

const refusedField = async (call: Promise<unknown>) => (await refused(call)).field;

describe("updateSelf cannot change the email address", () => {
  it("is a compile error and a ValidationError naming email_address, with no request sent", async () => {
    // @ts-expect-error email_address cannot be updated: the request type has no such field
    const attempt = client.users.updateSelf({ name: "Ada", email_address: "new@example.com" });
    expect(await refusedField(attempt)).toBe("email_address");
    // @ts-expect-error not even alone
    const error = await refused(client.users.updateSelf({ email_address: "new@example.com" }));
    expect(error.message).toContain('unknown parameter "email_address" (accepted: always_use_http_status_code_200, name, last_name, mobile_number)');
    expect(sb.requests).toHaveLength(0);
    expect(sb.state.users.get("user_000001")?.email).toBe("ada@example.com");
  });

  it("is refused at run time too when the input is not a literal the compiler can check", async () => {
    const patch: Record<string, unknown> = { email_address: "new@example.com" };
    expect(await refusedField(client.users.updateSelf(patch as never))).toBe("email_address");
    expect(sb.requests).toHaveLength(0);
  });
});

describe("updateSelf checks the other fields", () => {
  it("refuses an empty update, blank names, a bad mobile number and unknown fields", async () => {
    // @ts-expect-error an update must change something (minProperties: 1 in the spec)
    expect(await refusedField(client.users.updateSelf({}))).toBe("body");
    expect(await refusedField(client.users.updateSelf({ name: "  " }))).toBe("name");
    expect(await refusedField(client.users.updateSelf({ last_name: "" }))).toBe("last_name");
    expect(await refusedField(client.users.updateSelf({ mobile_number: "call me" }))).toBe("mobile_number");
    // @ts-expect-error not a field of the request
    expect(await refusedField(client.users.updateSelf({ name: "Ada", nickname: "A" }))).toBe("nickname");
    expect(sb.requests).toHaveLength(0);
  });
});

describe("users.create checks the user before any request", () => {
  it("needs the user object, both names and a valid email", async () => {
    // @ts-expect-error user is required
    expect(await refusedField(client.users.create({}))).toBe("user");
    // @ts-expect-error last_name is required
    expect(await refusedField(client.users.create({ user: { name: "Ada", email_address: "a@b.co" } }))).toBe(
      "user.last_name",
    );
    expect(await refusedField(client.users.create({ user: { ...ada, name: " " } }))).toBe("user.name");
    expect(await refusedField(client.users.create({ user: { ...ada, email_address: "not-an-email" } }))).toBe(
      "user.email_address",
    );
    expect(sb.requests).toHaveLength(0);
  });

  it("checks mobile_number against the spec's rule, and accepts the usual ways of writing one", async () => {
    for (const bad of ["1234", "phone", "+27 82 123 4567 ext. 9", "1".repeat(25)]) {
      expect(await refusedField(client.users.create({ user: { ...ada, mobile_number: bad } }))).toBe(
        "user.mobile_number",
      );
    }
    expect(sb.requests).toHaveLength(0);
    const good = ["+27821234567", "(082) 123-4567", "+44 20 7946 0000"];
    for (const [i, mobile_number] of good.entries()) {
      const user = await client.users.create({ user: { ...ada, email_address: `m${i}@example.com`, mobile_number } });
      expect(user.mobile_number).toBe(mobile_number);
    }
  });
});
