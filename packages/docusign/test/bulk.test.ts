import { describe, expect, it } from "vitest";
import { toCreateResult, toUserIdResult } from "../src/bulk.js";
import { BulkItemError } from "../src/index.js";

// The sandbox answers in input order; these cases cover answers that are not.
describe("pairing bulk answers with their inputs", () => {
  const inputs = [
    { userName: "A", email: "a@example.com" },
    { userName: "B", email: "b@example.com" },
  ];

  it("pairs by email when the answers come in another order", () => {
    const raw = {
      newUsers: [
        { email: "B@example.com", userId: "2" },
        { email: "a@example.com", userId: "1" },
      ],
    };
    const result = toCreateResult(inputs, raw);
    expect(result.results.map((r) => (r.ok ? [r.input.email, r.user.userId] : r.index))).toEqual([
      ["a@example.com", "1"],
      ["b@example.com", "2"],
    ]);
    expect(result.raw).toBe(raw);
  });

  it("turns an input without an answer into a failure instead of dropping it", () => {
    const result = toCreateResult(inputs, { newUsers: [{ email: "b@example.com", userId: "2" }] });
    expect(result.results.map((r) => r.ok)).toEqual([false, true]);
    const [missing] = result.failed;
    expect(missing!.error).toBeInstanceOf(BulkItemError);
    expect(missing!.error).toMatchObject({ code: "NO_RESULT_FOR_ENTRY", index: 0 });
    expect(missing!.entry).toBeUndefined();
    expect(toCreateResult(inputs, undefined).failed).toHaveLength(2);
  });

  it("treats an entry with only an error message as failed, and pairs ids for updates and closes", () => {
    const result = toUserIdResult([{ userId: "1" }, { userId: "2" }], {
      users: [
        { userId: "2", errorDetails: { message: "locked" } },
        { userId: "1", userStatus: "Closed" },
      ],
    });
    expect(result.results.map((r) => r.ok)).toEqual([true, false]);
    expect(result.failed[0]!.error).toMatchObject({ providerMessage: "locked", code: undefined, index: 1 });
    expect(JSON.parse(JSON.stringify(result.failed[0]!.error))).toMatchObject({ name: "BulkItemError", index: 1 });
  });
});
