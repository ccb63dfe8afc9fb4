import { describe, expect, it } from "vitest";
import { HeaderMap } from "../src/headers.js";

describe("HeaderMap", () => {
  it("behaves as Headers does: names in any case, repeats joined, sorted lower-case iteration", () => {
    const mine = new HeaderMap({ "X-B": "1", Accept: "a" });
    const theirs = new Headers({ "X-B": "1", Accept: "a" });
    for (const h of [mine, theirs]) {
      h.append("x-b", "2");
      h.set("Content-Type", "application/json");
      h.append("Set-Cookie", "a=1");
      h.append("set-cookie", "b=2");
      h.delete("ACCEPT");
    }
    expect([...mine]).toEqual([...theirs]);
    expect(mine.get("X-b")).toBe(theirs.get("X-b"));
    expect(mine.get("missing")).toBeNull();
    expect(mine.has("content-type")).toBe(true);
    expect(mine.getSetCookie()).toEqual(theirs.getSetCookie());
    expect([...mine.keys()]).toEqual([...theirs.keys()]);
    expect([...mine.values()]).toEqual([...theirs.values()]);
    const seen: string[] = [];
    mine.forEach((value, key) => seen.push(`${key}=${value}`));
    expect(seen).toEqual([...theirs].map(([k, v]) => `${k}=${v}`));
  });

  it("copies from Headers, pairs or a record, and is accepted wherever HeadersInit is", () => {
    const fromHeaders = new HeaderMap(new Headers({ A: "1" }));
    const fromPairs = new HeaderMap([["A", "1"]]);
    const fromMap = new HeaderMap(fromPairs);
    for (const h of [fromHeaders, fromPairs, fromMap]) expect(h.get("a")).toBe("1");
    expect(new Headers(fromMap).get("A")).toBe("1");
    expect(new Request("http://127.0.0.1/", { headers: fromMap }).headers.get("a")).toBe("1");
    expect(Object.prototype.toString.call(fromMap)).toBe("[object Headers]");
  });
});
