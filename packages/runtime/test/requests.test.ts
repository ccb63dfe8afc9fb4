import { describe, expect, it, vi } from "vitest";
import { paginate, ValidationError, type Logger } from "../src/index.js";
import { splitInput } from "../src/operations.js";
import { toFormBody } from "../src/body.js";
import { json, table, testClient, TOKEN, TRANSPORT } from "./helpers.js";
import { serversPerTest } from "./servers.js";

const server = serversPerTest();

describe("flat inputs", () => {
  it("sorts path, query and header parameters from body fields", () => {
    const split = splitInput(
      "formThing",
      table.formThing,
      { id: "a b", name: "N", "X-Trace": "t1", tags: ["x", "y"] },
      {},
      "p",
    );
    expect(split).toEqual({
      params: { path: { id: "a b" }, query: {}, header: { "X-Trace": "t1" } },
      body: { name: "N", tags: ["x", "y"] },
    });
  });

  it("fills path parameters from client defaults", () => {
    const split = splitInput("getThing", table.getThing, {}, { id: "default-id" }, "p");
    expect(split.params.path).toEqual({ id: "default-id" });
  });

  it("refuses what cannot be sent, naming the field", () => {
    const refuse = (input: Record<string, unknown>, op: keyof typeof table = "getThing") => {
      try {
        splitInput(op, table[op], input, {}, "p");
      } catch (e) {
        expect(e).toBeInstanceOf(ValidationError);
        return (e as ValidationError).field;
      }
      throw new Error("accepted");
    };
    expect(refuse({})).toBe("id");
    expect(refuse({ id: "" })).toBe("id");
    expect(refuse({ id: ".." })).toBe("id");
    expect(refuse({ id: { x: 1 } })).toBe("id");
    expect(refuse({ id: "1", nmae: "typo" })).toBe("nmae");
    expect(refuse({ id: "1", name: "n", "X-Trace": "a\r\nInjected: 1" }, "formThing")).toBe("X-Trace");
  });

  it("sends an empty object when a required body gets no fields (the schema decides whether that is valid)", () => {
    expect(splitInput("formThing", table.formThing, { id: "1" }, {}, "p").body).toEqual({});
  });

  it("form-encodes bodies without sending null or undefined as text", () => {
    expect(toFormBody({ a: "x y", b: null, c: undefined, d: 3, e: true, f: ["1", "2"] })).toBe("a=x+y&d=3&e=true&f=1&f=2");
  });
});

describe("the wire", () => {
  it("takes the HTTP path this test project is about", async () => {
    const s = await server(json(200, { id: "1" }));
    const calls: string[] = [];
    const real = globalThis.fetch;
    vi.stubGlobal("fetch", (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(input instanceof Request ? "Request" : "URL");
      return real(input, init);
    });
    try {
      await testClient(s.url).call("getThing", { id: "1" });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(calls).toEqual({ node: [], fetch: ["Request"], "global-fetch": ["URL"] }[TRANSPORT]);
  });

  it("encodes path parameters so a hostile id stays one segment, and sends query and headers", async () => {
    const s = await server(json(200, { ok: true }));
    await testClient(s.url).call("getThing", { id: "../x?y=1#z %/é", expand: "all" });
    expect(s.seen[0]?.url).toBe("/things/..%2Fx%3Fy%3D1%23z%20%25%2F%C3%A9?expand=all");
    expect(s.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("sends the operation's media type: JSON or form", async () => {
    const s = await server(json(200, {}));
    await testClient(s.url).call("createThing", { name: "Ada" });
    expect(s.seen[0]?.headers["content-type"]).toBe("application/json");
    expect(s.seen[0]?.body).toBe('{"name":"Ada"}');
    await testClient(s.url).call("formThing", { id: "1", name: "Ada L", note: undefined });
    expect(s.seen[1]?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(s.seen[1]?.body).toBe("name=Ada+L");
  });

  it("refuses CR/LF in per-call headers and client headers before sending", async () => {
    const s = await server(json(200, {}));
    await expect(
      testClient(s.url).call("getThing", { id: "1" }, { headers: { "X-A": "ok\r\nX-B: injected" } }),
    ).rejects.toBeInstanceOf(ValidationError);
    expect(() => testClient(s.url, { headers: { "X-A": "a\nb" } })).toThrow(ValidationError);
    await expect(
      testClient(s.url, { token: async () => "tok\r\nen" }).call("getThing", { id: "1" }),
    ).rejects.toMatchObject({ name: "ValidationError", field: "accessToken" });
    expect(s.seen).toHaveLength(0);
  });

  it("refuses header values HTTP cannot carry (control characters, beyond U+00FF) before sending, and sends Latin-1", async () => {
    const s = await server(json(200, {}));
    const call = (value: string) => testClient(s.url).call("getThing", { id: "1" }, { headers: { "X-A": value } });
    await expect(call("check ✓")).rejects.toMatchObject({
      name: "ValidationError",
      field: "X-A",
      message: expect.stringContaining("U+2713"),
    });
    await expect(call("bell\x07")).rejects.toMatchObject({ name: "ValidationError", message: expect.stringContaining("U+0007") });
    await expect(
      testClient(s.url, { token: async () => "tökén→" }).call("getThing", { id: "1" }),
    ).rejects.toMatchObject({ name: "ValidationError", field: "accessToken" });
    expect(s.seen).toHaveLength(0);
    await call("tab\tand café");
    expect(s.seen[0]?.headers["x-a"]).toBe("tab\tand café"); // é travels as the one byte 0xE9
  });

  it("refuses bad client options at construction", () => {
    expect(() => testClient("not a url")).toThrow(ValidationError);
    expect(() => testClient("http://127.0.0.1:1", { timeoutMs: -1 })).toThrow(/timeoutMs/);
    expect(() => testClient("http://127.0.0.1:1", { maxRetries: -2 })).toThrow(/maxRetries/);
  });

  it("runs onRequest and onResponse hooks and raw middleware-free calls", async () => {
    const s = await server(json(200, { id: "1" }));
    const seen: string[] = [];
    const client = testClient(s.url, {
      onRequest: (req) => {
        seen.push(`request ${req.method}`);
        const copy = new Request(req);
        copy.headers.set("X-Hooked", "yes");
        return copy;
      },
      onResponse: (res) => {
        seen.push(`response ${res.status}`);
      },
    });
    await client.call("getThing", { id: "1" });
    expect(seen).toEqual(["request GET", "response 200"]);
    expect(s.seen[0]?.headers["x-hooked"]).toBe("yes");
  });
});

describe("logging", () => {
  function capture(): { logger: Logger; lines: string[] } {
    const lines: string[] = [];
    const at = (level: string) => (message: string) => lines.push(`${level} ${message}`);
    return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
  }

  it("at debug, writes one line per attempt with method, path, status, duration and attempt", async () => {
    const s = await server(json(503, {}, { "retry-after-ms": "1" }), json(200, {}));
    const { logger, lines } = capture();
    await testClient(s.url, { logger, logLevel: "debug" }).call("getThing", { id: "9" });
    expect(lines[0]).toMatch(/^debug testapi GET \/things\/9 → 503 in \d+ ms \(attempt 1\)$/);
    expect(lines[1]).toMatch(/^info testapi GET \/things\/9 → HTTP 503; retry 1 of 2 in 1 ms$/);
    expect(lines[2]).toMatch(/^debug testapi GET \/things\/9 → 200 in \d+ ms \(attempt 2\)$/);
  });

  it("is silent below warn by default, and ESIGN_USERS_LOG turns debug on", async () => {
    const s = await server(json(200, {}));
    const quiet = capture();
    await testClient(s.url, { logger: quiet.logger }).call("getThing", { id: "1" });
    expect(quiet.lines).toEqual([]);
    process.env.ESIGN_USERS_LOG = "debug";
    try {
      const loud = capture();
      await testClient(s.url, { logger: loud.logger }).call("getThing", { id: "1" });
      expect(loud.lines).toHaveLength(1);
    } finally {
      delete process.env.ESIGN_USERS_LOG;
    }
  });
});

describe("paginate", () => {
  it("iterates items across pages and keeps the cursor on the page not yet handed out", async () => {
    const pages: Record<number, { items: number[]; next?: number }> = {
      0: { items: [1, 2], next: 2 },
      2: { items: [3, 4], next: 4 },
      4: { items: [5] },
    };
    const fetched: number[] = [];
    const it = paginate(async (cursor: number) => {
      fetched.push(cursor);
      const page = pages[cursor] as { items: number[]; next?: number };
      return { items: page.items, next: page.next };
    }, 0);
    const got: number[] = [];
    for await (const n of it) got.push(n);
    expect(got).toEqual([1, 2, 3, 4, 5]);
    expect(fetched).toEqual([0, 2, 4]);
    expect(it.cursor).toBeUndefined();
  });

  it("after a failure, the cursor resumes at the failed page", async () => {
    let fail = true;
    const it = paginate(async (cursor: number) => {
      if (cursor === 2 && fail) {
        fail = false;
        throw new Error("boom");
      }
      return { items: [cursor, cursor + 1], next: cursor < 4 ? cursor + 2 : undefined };
    }, 0);
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const n of it) got.push(n);
      })(),
    ).rejects.toThrow("boom");
    expect(got).toEqual([0, 1]);
    expect(it.cursor).toBe(2);
    const rest = await paginate(async (cursor: number) => ({
      items: [cursor, cursor + 1],
      next: cursor < 4 ? cursor + 2 : undefined,
    }), it.cursor as number).toArray();
    expect([...got, ...rest]).toEqual([0, 1, 2, 3, 4, 5]);
  });
});
