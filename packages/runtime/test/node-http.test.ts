import { readFileSync } from "node:fs";
import { globalAgent as httpsAgent, createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConnectionError, RedirectError, ResponseFormatError } from "../src/index.js";
import { failure, json, type Script, TOKEN, testClient } from "./helpers.js";
import { attack } from "./attacks.js";
import { serversPerTest } from "./servers.js";

const server = serversPerTest();

// What only the Node HTTP path does (the shared suites run on both paths).

afterEach(() => {
  vi.unstubAllGlobals();
});

const compressed =
  (encoding: string, encode: (b: Buffer) => Buffer, body: unknown): Script =>
  (_req, res) => {
    res.writeHead(200, { "Content-Type": "application/json", "Content-Encoding": encoding });
    res.end(encode(Buffer.from(JSON.stringify(body))));
  };

const viaFetch = { fetch: (request: Request) => globalThis.fetch(request) };

describe("Node HTTP transport", () => {
  it("is what a client uses in Node: calls succeed with fetch made unusable", async () => {
    const s = await server(json(200, { id: "1" }));
    vi.stubGlobal("fetch", () => Promise.reject(new Error("fetch must not be used")));
    await expect(testClient(s.url).call("getThing", { id: "1" })).resolves.toEqual({ id: "1" });
    expect(s.seen[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it("keeps the connection alive between calls", async () => {
    const ports = new Set<number | undefined>();
    const s = await server((req, res) => {
      ports.add(req.socket.remotePort);
      json(200, { id: "1" })(req, res, "");
    });
    const client = testClient(s.url);
    for (let i = 0; i < 5; i++) await client.call("getThing", { id: "1" });
    expect(s.seen).toHaveLength(5);
    expect(ports.size).toBe(1);
  });

  it("sends what fetch would: Accept, Accept-Encoding, a User-Agent, and Content-Length on bodies", async () => {
    const s = await server(json(200, { id: "1" }), json(201, { id: "2" }));
    const client = testClient(s.url);
    await client.call("getThing", { id: "1" });
    await client.call("createThing", { name: "née" }, { headers: { Accept: "application/json" } });
    expect(s.seen[0]?.headers).toMatchObject({ accept: "*/*", "accept-encoding": "gzip, deflate, br", "user-agent": "node" });
    expect(s.seen[1]?.headers.accept).toBe("application/json");
    expect(s.seen[1]?.headers["content-length"]).toBe(String(Buffer.byteLength('{"name":"née"}')));
    expect(s.seen[1]?.body).toBe('{"name":"née"}');
  });

  it("sends a DELETE's body with its length (Node would otherwise send it unframed)", async () => {
    const s = await server(json(200, { removed: 2 }));
    await testClient(s.url).call("removeThings", { ids: ["a", "b"] });
    expect(s.seen[0]).toMatchObject({ method: "DELETE", body: '{"ids":["a","b"]}' });
    expect(s.seen[0]?.headers["content-length"]).toBe("17");
  });

  it.each([
    ["gzip", gzipSync],
    ["deflate", deflateSync],
    ["br", brotliCompressSync],
  ] as const)("decodes %s bodies, as fetch does", async (encoding, encode) => {
    const body = { id: "1", list: Array.from({ length: 200 }, (_, i) => `item ${i}`) };
    const s = await server(compressed(encoding, encode, body));
    await expect(testClient(s.url).call("getThing", { id: "1" })).resolves.toEqual(body);
    await expect(testClient(s.url, viaFetch).call("getThing", { id: "1" })).resolves.toEqual(body);
  });

  it("applies maxResponseBytes to the decompressed body (a small gzip of a large body is refused)", async () => {
    const big = { filler: "0".repeat(2_000_000) };
    const s = await server(compressed("gzip", gzipSync, big));
    const e = await failure(testClient(s.url, { maxResponseBytes: 100_000 }).call("getThing", { id: "1" }));
    expect(e).toBeInstanceOf(ResponseFormatError);
    expect(e.message).toContain("maxResponseBytes");
  });

  it("answers bytes in a fresh Uint8Array, not a view into a shared buffer", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "image/png" });
      res.end(png);
    });
    const bytes = (await testClient(s.url).call("getPicture", { id: "1" })) as Uint8Array;
    expect(Object.getPrototypeOf(bytes)).toBe(Uint8Array.prototype);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.buffer.byteLength).toBe(png.byteLength);
    expect([...bytes]).toEqual([...png]);
  });
});

describe("HTTPS on the Node HTTP transport", () => {
  const cert = readFileSync(new URL("./fixtures/localhost-cert.pem", import.meta.url));
  const key = readFileSync(new URL("./fixtures/localhost-key.pem", import.meta.url));

  /** An https server on 127.0.0.1 answering `{"id":"tls"}`, or redirecting to `redirectTo`. */
  async function httpsServer(redirectTo?: string) {
    let requests = 0;
    const s = createHttpsServer({ cert, key }, (_req, res) => {
      requests++;
      if (redirectTo) {
        res.writeHead(302, { Location: redirectTo });
        res.end();
        return;
      }
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end('{"id":"tls"}');
    });
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    return {
      url: `https://127.0.0.1:${(s.address() as AddressInfo).port}`,
      requests: () => requests,
      close: () =>
        new Promise<void>((r) => {
          s.closeAllConnections();
          s.close(() => r());
        }),
    };
  }

  it("verifies the server's certificate: a self-signed one is refused, without retries, before any request", async () => {
    const s = await httpsServer();
    try {
      // Node's path and fetch's alike.
      for (const client of [testClient(s.url), testClient(s.url, viaFetch)]) {
        const e = await failure(client.call("getThing", { id: "1" }));
        expect(e).toBeInstanceOf(ConnectionError);
        expect(e.message).toContain("the server's TLS certificate was not accepted (DEPTH_ZERO_SELF_SIGNED_CERT)");
        expect(e.retryCount).toBe(0);
      }
      expect(s.requests()).toBe(0);
    } finally {
      await s.close();
    }
  });

  it("refuses to follow a redirect from https to http with credentials (redirects: security.test.ts, every path)", async (context) => {
    const done = attack(context, "redirect-https-to-http");
    // Only here because Node's path is the one that can be told to trust the test certificate.
    const plain = await server(json(200, { id: "1" }));
    const s = await httpsServer(`${plain.url}/things/1`);
    const before = httpsAgent.options.ca;
    httpsAgent.options.ca = cert;
    try {
      const e = await failure(testClient(s.url).call("getThing", { id: "1" }));
      expect(e).toBeInstanceOf(RedirectError);
      expect(e.message).toContain("from https to http");
      expect(e.message).toContain(`${plain.url}/things/1`);
      expect(s.requests()).toBe(1);
      expect(plain.seen).toHaveLength(0);
      done(`${e.name} naming the http target, nothing sent there`);
    } finally {
      httpsAgent.options.ca = before;
      httpsAgent.destroy();
      await s.close();
    }
  });

  it("uses https.globalAgent, so a CA the application adds there is trusted", async () => {
    const s = await httpsServer();
    const before = httpsAgent.options.ca;
    httpsAgent.options.ca = cert;
    try {
      await expect(testClient(s.url).call("getThing", { id: "1" })).resolves.toEqual({ id: "tls" });
      expect(s.requests()).toBe(1);
    } finally {
      httpsAgent.options.ca = before;
      httpsAgent.destroy();
      await s.close();
    }
  });
});
