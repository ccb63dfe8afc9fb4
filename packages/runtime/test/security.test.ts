import { inspect } from "node:util";
import { createGzip } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { AbortedError, ConnectionError, EsignApiError, RedirectError, RateLimitError, ResponseFormatError, TimeoutError, ValidationError } from "../src/index.js";
import { noAuth } from "../src/auth.js";
import { MAX_TIMEOUT_MS } from "../src/transport.js";
import { failure, hang, json, raw, type Script, TOKEN, TRANSPORT, testClient } from "./helpers.js";
import { attack } from "./attacks.js";
import { serversPerTest } from "./servers.js";
import { SimulatedClock } from "./simulated-clock.js";

// Everything here runs on both HTTP paths (Node's modules and fetch; see vitest.config.ts).

const server = serversPerTest();

const redirectTo =
  (status: number, location: string): Script =>
  (_req, res) => {
    res.writeHead(status, { Location: location });
    res.end();
  };

/** The first characters of the token: what a secret cut in two would show. */
const TOKEN_START = TOKEN.slice(0, 8);

describe("redirects", () => {
  it("follows a same-origin 307 with method, body and credentials", async () => {
    const s = await server(redirectTo(307, "/moved"), json(201, { id: "9" }));
    await expect(testClient(s.url).call("createThing", { name: "x" })).resolves.toEqual({ id: "9" });
    expect(s.seen.map((r) => [r.method, r.url, r.body, r.headers.authorization])).toEqual([
      ["POST", "/things", '{"name":"x"}', `Bearer ${TOKEN}`],
      ["POST", "/moved", '{"name":"x"}', `Bearer ${TOKEN}`],
    ]);
  });

  it("turns a 303 into a GET without a body", async () => {
    const s = await server(redirectTo(303, "/things/9"), json(200, { id: "9" }));
    await testClient(s.url).call("createThing", { name: "x" });
    expect(s.seen[1]).toMatchObject({ method: "GET", url: "/things/9", body: "" });
    expect(s.seen[1]?.headers["content-type"]).toBeUndefined();
  });

  it.for([
    ["Authorization (bearer)", undefined, "authorization"],
    ["X-API-KEY (BoldSign)", "X-API-KEY", "x-api-key"],
    ["access_token (QuicklySign)", "access_token", "access_token"],
    ["a header only this client's authentication uses", "X-Vendor-Key", "x-vendor-key"],
  ] as const)("drops %s when a redirect leaves the origin", async ([, authHeader, wire], context) => {
    const done = attack(context, "redirect-cross-origin-headers");
    const elsewhere = await server(json(200, { id: "1" }));
    const s = await server(redirectTo(302, `${elsewhere.url}/things/1`));
    await expect(testClient(s.url, { authHeader }).call("getThing", { id: "1" })).resolves.toEqual({ id: "1" });
    expect(s.seen[0]?.headers[wire]).toContain(TOKEN);
    expect(elsewhere.seen).toHaveLength(1);
    expect(elsewhere.seen[0]?.headers[wire]).toBeUndefined();
    expect(JSON.stringify(elsewhere.seen[0]?.headers)).not.toContain(TOKEN);
    done(`302: ${authHeader ?? "Authorization"} ${elsewhere.seen[0]?.headers[wire] === undefined ? "dropped" : "SENT"}`);
  });

  it.for([307, 308])(
    "refuses a cross-origin %i of a request carrying credentials: RedirectError naming the target, not retried",
    async (status, context) => {
      const done = attack(context, "redirect-307-credentials");
      const elsewhere = await server(json(200, { id: "1" }));
      const target = `${elsewhere.url}/collect`;
      const s = await server(redirectTo(status, target));
      const e = await failure(testClient(s.url, { authHeader: "X-API-KEY" }).call("getThing", { id: "1" }));
      expect(e).toBeInstanceOf(RedirectError);
      expect(e).toBeInstanceOf(ConnectionError);
      expect(e.message).toContain(target);
      expect((e as RedirectError).location).toBe(target);
      expect(e.retryCount).toBe(0);
      expect(s.seen).toHaveLength(1);
      expect(elsewhere.seen).toHaveLength(0);
      done(`${status}, key in a header: ${e.name} naming the target, ${e.retryCount} retries, other origin got ${elsewhere.seen.length} requests`);
    },
  );

  it("does not re-send a body carrying credentials to another origin (said by the caller)", async (context) => {
    const done = attack(context, "redirect-307-credentials");
    const elsewhere = await server(json(201, { id: "1" }));
    const s = await server(redirectTo(307, `${elsewhere.url}/things`));
    const client = testClient(s.url, { auth: () => noAuth });
    const e = await failure(client.call("createThing", { name: "client-secret-value" }, { bodyCarriesCredentials: true }));
    expect(e).toBeInstanceOf(RedirectError);
    expect(e.message).toContain(`${elsewhere.url}/things`);
    expect(elsewhere.seen).toHaveLength(0);
    done(`307, credentials in the body (flagged): ${e.name}`);
  });

  it("does not re-send a body carrying credentials to another origin (found by the redactor)", async (context) => {
    const done = attack(context, "redirect-307-credentials");
    const secret = "app-secret-5b0e1f7d";
    const elsewhere = await server(json(200, {}));
    const s = await server(redirectTo(307, `${elsewhere.url}/things`), redirectTo(302, `${elsewhere.url}/things/1`));
    const client = testClient(s.url, {
      auth: (redactor) => {
        redactor.add(secret);
        return noAuth;
      },
    });
    // A 307 repeats the POST; a 302 of a PUT keeps the method and its form body too.
    await expect(client.call("createThing", { name: secret })).rejects.toBeInstanceOf(RedirectError);
    await expect(client.call("formThing", { id: "1", name: secret })).rejects.toBeInstanceOf(RedirectError);
    expect(elsewhere.seen).toHaveLength(0);
    done("307 of a POST, 302 of a PUT, a known secret in the body: RedirectError");
  });

  it("follows a cross-origin 303 after a POST as a GET without the body or the credentials", async (context) => {
    const done = attack(context, "redirect-cross-origin-headers");
    const elsewhere = await server(json(200, { id: "1" }));
    const s = await server(redirectTo(303, `${elsewhere.url}/things/1`));
    await expect(testClient(s.url).call("createThing", { name: TOKEN })).resolves.toEqual({ id: "1" });
    expect(elsewhere.seen[0]).toMatchObject({ method: "GET", body: "" });
    expect(elsewhere.seen[0]?.headers.authorization).toBeUndefined();
    done("303 after a POST: a GET, without body or credentials");
  });

  it("gives up after 20 redirects with RedirectError, without retrying", async (context) => {
    const done = attack(context, "redirect-loop");
    const s = await server((req, res) => {
      res.writeHead(302, { Location: `${req.url}x` });
      res.end();
    });
    const e = await failure(testClient(s.url).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(RedirectError);
    expect(e.message).toContain("more than 20 redirects");
    expect(s.seen).toHaveLength(21);
    done(`${e.name} after ${s.seen.length} requests, not retried`);
  });
});

describe("decompression", () => {
  // 128 MiB of JSON that gzip makes about 130 KB of: its Content-Length is far under any limit.
  let bomb: Buffer;
  beforeAll(async () => {
    bomb = await new Promise<Buffer>((resolve, reject) => {
      const gzip = createGzip({ level: 9 });
      const chunks: Buffer[] = [];
      gzip.on("data", (c: Buffer) => chunks.push(c));
      gzip.on("end", () => resolve(Buffer.concat(chunks)));
      gzip.on("error", reject);
      gzip.write('{"filler":"');
      const zeros = Buffer.alloc(1 << 20, "0");
      for (let i = 0; i < 128; i++) gzip.write(zeros);
      gzip.end('"}');
    });
  });

  it("stops a small gzip of a huge body at maxResponseBytes, counting the decompressed bytes as they arrive", async (context) => {
    const done = attack(context, "gzip-bomb");
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": "gzip", "Content-Length": String(bomb.length) });
      res.end(bomb);
    });
    const rss = process.memoryUsage().rss;
    const e = await failure(testClient(s.url, { maxResponseBytes: 1 << 20, maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(ResponseFormatError);
    expect(e.message).toContain("larger than maxResponseBytes (1048576 bytes)");
    // Inflated whole, the body alone would take 128 MiB (and as much again decoded as text).
    const grown = process.memoryUsage().rss - rss;
    expect(grown).toBeLessThan(48 * 1024 * 1024);
    done(`${e.name} at maxResponseBytes 1 MiB; memory +${Math.max(0, Math.round(grown / 1024 / 1024))} MB`);
  });
});

describe("redaction", () => {
  it("redacts before cutting: a secret across the 160-character cut of a message is not shown in part", async (context) => {
    const done = attack(context, "truncation-before-redaction");
    const s = await server(raw(502, `${"x".repeat(150)} ${TOKEN} and more`, { "Content-Type": "text/plain" }));
    const e = await failure(testClient(s.url, { maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(e.message).toContain("non-JSON response");
    expect(e.message).not.toContain(TOKEN_START);
    done(`message cut at 160: ${e.message.includes("[REDACTED]") ? "[REDACTED] whole" : "no part of the secret"}`);
  });

  it("redacts before cutting: a secret across the 1000-character cut of ResponseFormatError.body is not shown in part", async (context) => {
    const done = attack(context, "truncation-before-redaction");
    // The token starts 10 characters before the cut.
    const s = await server(raw(200, `{"pad":"${"y".repeat(982)}${TOKEN}`, { "Content-Type": "application/json" }));
    const e = await failure(testClient(s.url, { maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(ResponseFormatError);
    expect(String(e.body)).toHaveLength(1000);
    expect(String(e.body)).not.toContain(TOKEN_START);
    done(`body cut at 1000: ${String(e.body).includes("[REDACT") ? "[REDACTED] (cut)" : "no part of the secret"}`);
  });

  it("inspect() shows the JSON parser's error without the piece of the body it quoted", async (context) => {
    const done = attack(context, "inspect-cause");
    const s = await server(raw(200, `{"id": ${TOKEN}}`, { "Content-Type": "application/json" }));
    const e = await failure(testClient(s.url, { maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(ResponseFormatError);
    const shown = inspect(e, { depth: 10 });
    expect(shown).toContain("SyntaxError");
    expect(shown).not.toContain(TOKEN_START);
    expect(String((e.cause as Error).message)).not.toContain(TOKEN_START);
    done(`cause shown as "${(e.cause as Error).name}: ${(e.cause as Error).message}"`);
  });

  it("redacts object keys of an error body", async (context) => {
    const done = attack(context, "redaction-keys");
    const s = await server(json(400, { [`Bearer ${TOKEN}`]: true, error: { message: "bad" } }));
    const e = await failure(testClient(s.url).call("getThing", { id: "1" }));
    expect(JSON.stringify(e.body)).not.toContain(TOKEN);
    expect(JSON.stringify(e.body)).toContain("[REDACTED]");
    done(`key shown as ${JSON.stringify(Object.keys(e.body as object)[0])}`);
  });

  it("redacts however deep the body is nested", async (context) => {
    const done = attack(context, "redaction-depth");
    let nested: unknown = { token: TOKEN };
    for (let i = 0; i < 40; i++) nested = { inner: nested };
    const s = await server(json(400, nested));
    const e = await failure(testClient(s.url).call("getThing", { id: "1" }));
    expect(JSON.stringify(e.body)).not.toContain(TOKEN);
    expect(JSON.stringify(e.body)).toContain("[REDACTED]");
    done("41 levels deep: [REDACTED]");
  });

  it("keeps a __proto__ key of an error body an ordinary property", async (context) => {
    const done = attack(context, "proto-key");
    const s = await server(raw(400, '{"__proto__": {"polluted": "yes"}, "error": {"message": "no"}}', { "Content-Type": "application/json" }));
    const e = await failure(testClient(s.url).call("getThing", { id: "1" }));
    const body = e.body as Record<string, unknown>;
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
    expect(body.polluted).toBeUndefined();
    expect(Object.hasOwn(body, "__proto__")).toBe(true);
    expect(e.message).toContain("no");
    done("an own property; error.body keeps Object.prototype");
  });

  it("raw (openapi-fetch) hands back an error body with the credentials it echoed redacted", async (context) => {
    const done = attack(context, "raw-echo");
    const s = await server(json(400, { error: { message: `bad key ${TOKEN}` } }));
    const client = testClient(s.url) as unknown as {
      raw: { GET(path: string, init: object): Promise<{ error?: unknown; response: Response }> };
    };
    const { error, response } = await client.raw.GET("/things/{id}", { params: { path: { id: "1" } } });
    expect(response.status).toBe(400);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    expect(error).toEqual({ error: { message: "bad key [REDACTED]" } });
    done(`error.message: ${JSON.stringify((error as { error: { message: string } }).error.message)}`);
  });

  it("keeps the last few values of a rotating token, not every value it ever had", async (context) => {
    const done = attack(context, "rotating-credentials");
    let n = 0;
    const current = () => `rotating-token-${String(n).padStart(6, "0")}`;
    // The server echoes the token it was sent, so a token that is not redacted shows.
    const s = await server((req, res) => {
      res.writeHead(400, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: { message: `refused ${req.headers.authorization}` } }));
    });
    const lines: string[] = [];
    const log = (m: string) => lines.push(m);
    const client = testClient(s.url, {
      token: async () => {
        n++;
        return current();
      },
      logger: { debug: log, info: log, warn: log, error: log },
      logLevel: "debug",
    });
    for (let i = 0; i < 200; i++) {
      const e = await failure(client.call("getThing", { id: "1" }));
      expect(e.message).not.toContain(current());
    }
    expect(lines.join("\n")).not.toContain("rotating-token-");
    expect(client.redactor.size).toBeLessThanOrEqual(8);
    done(`200 tokens, debug logging: ${client.redactor.size} strings kept, none shown`);
  });
});

describe("hooks", () => {
  it("an onRequest hook that throws gives an EsignApiError (redacted), and sends nothing", async (context) => {
    // A hook puts every client on the fetch path (with Request objects): reported once, from that project.
    const done = TRANSPORT === "fetch" ? attack(context, "hook-throws") : () => {};
    const s = await server(json(200, {}));
    const client = testClient(s.url, {
      onRequest: () => {
        throw new Error(`hook broke on ${TOKEN}`);
      },
    });
    const e = await failure(client.call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(EsignApiError);
    expect(e.message).toContain("onRequest");
    expect(e.message).not.toContain(TOKEN);
    expect(inspect(e)).not.toContain(TOKEN);
    expect(s.seen).toHaveLength(0);
    done(`${e.name}, nothing sent`);
  });
});

describe("a hook that builds a request of its own", () => {
  // Dropping the signal and the redirect mode, as `new Request(url, { headers })` does.
  const rebuild = (request: Request) => new Request(request.url, { method: request.method, headers: request.headers });

  it("still gets the attempt's timeout", async () => {
    const s = await server(hang);
    const started = performance.now();
    const e = await failure(testClient(s.url, { onRequest: rebuild, timeoutMs: 200, maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(TimeoutError);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("still goes through the runtime's redirect policy", async () => {
    const elsewhere = await server(json(200, { id: "1" }));
    const s = await server(redirectTo(302, `${elsewhere.url}/things/1`));
    await testClient(s.url, { onRequest: rebuild, authHeader: "X-API-KEY" }).call("getThing", { id: "1" });
    expect(s.seen[0]?.headers["x-api-key"]).toBe(TOKEN);
    expect(elsewhere.seen[0]?.headers["x-api-key"]).toBeUndefined();
  });
});

describe("Retry-After", () => {
  it("beyond 60 s is not waited for: RateLimitError at once, with retryAfterMs", async (context) => {
    const done = attack(context, "retry-after-long");
    const s = await server(json(429, { error: { message: "later" } }, { "Retry-After": "600" }));
    const started = performance.now();
    const e = await failure(testClient(s.url).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(RateLimitError);
    expect(e.retryAfterMs).toBe(600_000);
    expect(e.retryCount).toBe(0);
    expect(s.seen).toHaveLength(1);
    const ms = performance.now() - started;
    // At once: not after the minute asked for (nor after retries, which seen would show).
    expect(ms).toBeLessThan(3000);
    done(`${e.name} after ${Math.round(ms)} ms, retryAfterMs ${e.retryAfterMs}, 1 request`);
  });
});

describe("input refused before sending", () => {
  it.for(["X-A\r\nX-Injected", "X A", "X-A:", ""])("a header name %j is a ValidationError", async (name, context) => {
    const done = attack(context, "header-name-injection");
    const s = await server(json(200, {}));
    const e = await failure(testClient(s.url).call("getThing", { id: "1" }, { headers: { [name]: "v" } }));
    expect(e).toBeInstanceOf(ValidationError);
    expect(() => testClient(s.url, { headers: { [name]: "v" } })).toThrow(ValidationError);
    expect(s.seen).toHaveLength(0);
    done(`${JSON.stringify(name)}: ${e.name}, nothing sent`);
  });

  it("a timeoutMs no timer can keep (over 2^31 - 1 ms) is a ValidationError, per client and per call", async (context) => {
    const done = attack(context, "timeout-overflow");
    const s = await server(json(200, { id: "1" }));
    expect(() => testClient(s.url, { timeoutMs: MAX_TIMEOUT_MS + 1 })).toThrow(ValidationError);
    const e = await failure(testClient(s.url).call("getThing", { id: "1" }, { timeoutMs: 2 ** 31 }));
    expect(e).toBeInstanceOf(ValidationError);
    expect((e as ValidationError).field).toBe("timeoutMs");
    await expect(testClient(s.url).call("getThing", { id: "1" }, { timeoutMs: MAX_TIMEOUT_MS })).resolves.toEqual({ id: "1" });
    expect(s.seen).toHaveLength(1);
    done(`2^31 ms: ${e.name} (field timeoutMs)`);
  });
});

describe("connection failures", () => {
  it("an unknown host says it could not be resolved, and is retried as before", async (context) => {
    const done = attack(context, "dns");
    const clock = new SimulatedClock();
    const e = await failure(testClient("http://nothing-here.invalid", { clock, maxRetries: 1 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(ConnectionError);
    expect(e.message).toContain("could not resolve host nothing-here.invalid");
    expect(e.retryCount).toBe(1);
    done(`${e.name}: "${e.message.replace(/^.*failed: /, "")}", retried`);
  }, 30_000);
});

describe("credentials are obtained under the attempt's deadline", () => {
  // A strategy that waits for a token that never comes, giving up only when told to.
  const waitsForever = () => ({
    async apply(_headers: Headers, context: { signal?: AbortSignal }) {
      await new Promise((_resolve, reject) => {
        context.signal?.addEventListener("abort", () => reject(context.signal?.reason), { once: true });
      });
    },
  });

  it("timeoutMs ends a wait for credentials with TimeoutError", async (context) => {
    const done = attack(context, "credential-wait");
    const s = await server(json(200, {}));
    const started = performance.now();
    const e = await failure(testClient(s.url, { auth: waitsForever, timeoutMs: 200, maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(TimeoutError);
    expect(e.message).toContain("timed out after 200 ms while obtaining credentials");
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(3000);
    expect(s.seen).toHaveLength(0);
    done(`timeoutMs 200: ${e.name} after ${Math.round(ms)} ms`);
  });

  it("the caller's signal ends a wait for credentials with AbortedError", async (context) => {
    const done = attack(context, "credential-wait");
    const s = await server(json(200, {}));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const started = performance.now();
    const e = await failure(
      testClient(s.url, { auth: waitsForever }).call("getThing", { id: "1" }, { signal: controller.signal }),
    );
    expect(e).toBeInstanceOf(AbortedError);
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(3000);
    done(`signal at 100 ms: ${e.name} after ${Math.round(ms)} ms`);
  });
});

describe("a signal shared by many calls", () => {
  it("adds one abort listener, not one per waiting call (no MaxListenersExceededWarning)", async (context) => {
    const done = attack(context, "shared-signal-listeners");
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on("warning", onWarning);
    try {
      const s = await server(json(503, {}, { "Retry-After": "1" }), json(200, { id: "1" }));
      const clock = new SimulatedClock();
      const client = testClient(s.url, { clock, rateLimit: { requestsPerSecond: 5 } });
      const controller = new AbortController();
      // 30 calls queue in the limiter (6 s of turns), and retry waits share the signal too.
      const calls = Array.from({ length: 30 }, () => client.call("getThing", { id: "1" }, { signal: controller.signal }));
      await Promise.all(calls);
      await new Promise((r) => setTimeout(r, 50));
      expect(warnings).not.toContain("MaxListenersExceededWarning");
      expect(s.seen).toHaveLength(31);
      done(`30 calls queued with one signal: ${warnings.length} warnings`);
    } finally {
      process.off("warning", onWarning);
    }
  });
});
