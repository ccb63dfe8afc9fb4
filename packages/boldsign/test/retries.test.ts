import { describe, expect, it } from "vitest";
import { RateLimitError, ServerError } from "../src/index.js";
import { clientFor, invite, useBoldSignSandbox } from "./helpers.js";

const { sb, client } = useBoldSignSandbox();
const retrying = () => clientFor(sb(), { maxRetries: 1 });
const countOf = (operationId: string) => sb().requests.filter((r) => r.operationId === operationId).length;

describe("what is retried", () => {
  it("a create that failed with 500 is not repeated: the users may exist already", async () => {
    sb().faults.next(1, { type: "status", status: 500 }, { operationId: "createUsers", phase: "after" });
    await expect(retrying().users.create({ body: [{ emailId: "ada@example.com" }] })).rejects.toBeInstanceOf(ServerError);
    expect(countOf("createUsers")).toBe(1);
    expect([...sb().state.users.values()].some((u) => u.email === "ada@example.com")).toBe(true);
  });

  it("a resend is repeated after a 500 (x-idempotent: true): at worst the invitation goes out twice", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    sb().faults.next(1, { type: "status", status: 500 }, { operationId: "resendInvitation" });
    await retrying().users.resendInvitation({ UserId: id as string });
    expect(countOf("resendInvitation")).toBe(2);
  });

  it("a cancel is not repeated after a 500: a repeat of a cancel that went through would fail with 400", async () => {
    const [id] = await invite(client(), sb(), "ada@example.com");
    sb().faults.next(1, { type: "status", status: 500 }, { operationId: "cancelInvitation", phase: "after" });
    await expect(retrying().users.cancelInvitation({ UserId: id as string })).rejects.toBeInstanceOf(ServerError);
    expect(countOf("cancelInvitation")).toBe(1);
    expect(sb().state.users.has(id as string)).toBe(false);
  });

  it("a 429 with Retry-After is waited out and retried, then surfaces as RateLimitError", async () => {
    sb().faults.next(1, { type: "status", status: 429, retryAfter: 0 });
    const page = await retrying().users.listPage({ Page: 1 });
    expect(page.result).toHaveLength(1);
    sb().faults.next(2, { type: "status", status: 429, retryAfter: 0 });
    const error = await retrying().users.listPage({ Page: 1 }).catch((e) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(0);
    expect(error.body).toEqual({ error: "Injected fault: HTTP 429" });
  });
});
