import { describe, expect, it } from "vitest";
import { HeaderMap } from "../src/headers.js";
import { type Hop, nextHop, type RedirectPolicy, RedirectRefused } from "../src/redirects.js";
import { attack } from "./attacks.js";

// The policy itself, which both HTTP paths call (the wire tests are in security.test.ts).

const policy = (over: Partial<RedirectPolicy> = {}): RedirectPolicy => ({
  mode: "follow",
  credentialHeaders: new Set(["x-vendor-key"]),
  bodyCarriesCredentials: false,
  ...over,
});
const hop = (url: string, headers: Record<string, string>, method = "GET", body?: string): Hop<string> => ({
  method,
  url,
  headers: new HeaderMap(headers),
  body,
});
const answer = (status: number, location: string) => ({ status, headers: new HeaderMap({ location }) });

function refusal(run: () => unknown): RedirectRefused {
  try {
    run();
  } catch (e) {
    if (e instanceof RedirectRefused) return e;
    throw e;
  }
  throw new Error("the redirect was followed");
}

describe("the redirect policy", () => {
  it("never sends credentials from https to http, even when it would drop them", (context) => {
    // The policy every path calls: https servers are only trusted on Node's path in tests.
    const done = attack(context, "redirect-https-to-http", "none");
    for (const headers of [{ authorization: "Bearer t" }, { "x-vendor-key": "k" }] as Record<string, string>[]) {
      const e = refusal(() => nextHop(hop("https://api.example/v1/u", headers), answer(302, "http://api.example/v1/u"), policy(), 0));
      expect(e.location).toBe("http://api.example/v1/u");
      expect(e.reason).toContain("from https to http");
    }
    const body = refusal(() =>
      nextHop(hop("https://api.example/t", {}, "POST", "secret"), answer(303, "http://api.example/t"), policy({ bodyCarriesCredentials: true }), 0),
    );
    expect(body.reason).toContain("from https to http");
    done("the shared policy refuses it (header or body credentials)");
  });

  it("follows https to http for a request without credentials", () => {
    const next = nextHop(hop("https://cdn.example/a", { accept: "*/*" }), answer(301, "http://cdn.example/a"), policy(), 0);
    expect(next?.url).toBe("http://cdn.example/a");
  });

  it("drops credential headers on an origin change (well-known and the client's own), keeps the rest", () => {
    const next = nextHop(
      hop("http://a.example/x", { authorization: "Bearer t", "x-vendor-key": "k", cookie: "c=1", accept: "application/json" }),
      answer(302, "http://b.example/y"),
      policy(),
      0,
    );
    expect([...(next?.headers.keys() ?? [])]).toEqual(["accept"]);
  });

  it("keeps them within the origin, and resolves a relative Location", () => {
    const next = nextHop(hop("http://a.example/x/y", { authorization: "Bearer t" }), answer(307, "../z"), policy(), 0);
    expect(next?.url).toBe("http://a.example/z");
    expect(next?.headers.get("authorization")).toBe("Bearer t");
  });

  it("refuses other schemes, too many hops, and redirect: error; hands the 3xx back under manual", () => {
    expect(refusal(() => nextHop(hop("http://a.example/", {}), answer(302, "file:///etc/passwd"), policy(), 0)).reason).toContain("file:");
    expect(refusal(() => nextHop(hop("http://a.example/", {}), answer(302, "/b"), policy(), 20)).reason).toContain("more than 20");
    expect(refusal(() => nextHop(hop("http://a.example/", {}), answer(302, "/b"), policy({ mode: "error" }), 0)).reason).toContain("error");
    expect(nextHop(hop("http://a.example/", {}), answer(302, "/b"), policy({ mode: "manual" }), 0)).toBeUndefined();
  });
});
