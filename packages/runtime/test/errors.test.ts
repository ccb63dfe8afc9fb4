import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { AuthenticationError, BadRequestError, ConflictError, EsignApiError, NotFoundError, PermissionDeniedError, RateLimitError, Redactor, ResponseFormatError, ServerError, UnprocessableEntityError, ValidationError } from "../src/index.js";
import { createApiError, errorClassForStatus } from "../src/errors.js";
import { failure, json, raw, testClient } from "./helpers.js";
import { serversPerTest } from "./servers.js";

const server = serversPerTest();

describe("the error factory", () => {
  it("picks the class from the status", () => {
    expect(errorClassForStatus(400)).toBe(BadRequestError);
    expect(errorClassForStatus(401)).toBe(AuthenticationError);
    expect(errorClassForStatus(403)).toBe(PermissionDeniedError);
    expect(errorClassForStatus(404)).toBe(NotFoundError);
    expect(errorClassForStatus(409)).toBe(ConflictError);
    expect(errorClassForStatus(422)).toBe(UnprocessableEntityError);
    expect(errorClassForStatus(429)).toBe(RateLimitError);
    expect(errorClassForStatus(502)).toBe(ServerError);
    expect(errorClassForStatus(418)).toBe(EsignApiError);
  });

  it("fills provider, code, message, requestId, headers and body from the response", async () => {
    const s = await server(
      json(404, { error: { code: "THING_MISSING", message: "No thing 7" } }, { "x-test-request-id": "req-123" }),
    );
    const error = await failure(testClient(s.url).call("getThing", { id: "7" }));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toBeInstanceOf(EsignApiError);
    expect(error).toMatchObject({
      name: "NotFoundError",
      status: 404,
      provider: "testapi",
      code: "THING_MISSING",
      requestId: "req-123",
      retryCount: 0,
      body: { error: { code: "THING_MISSING", message: "No thing 7" } },
    });
    expect(error.message).toBe("testapi answered 404 Not Found: No thing 7 (code THING_MISSING) [request id req-123]");
    expect(error.headers["x-test-request-id"]).toBe("req-123");
    expect(error.request).toMatchObject({ method: "GET", url: `${s.url}/things/7` });
    expect(error.request.headers.authorization).toBe("[REDACTED]");
    expect(error.stack).toContain("NotFoundError: testapi answered 404");
  });

  it("an HTML 502 page still gives a ServerError with a readable message", async () => {
    const s = await server(
      raw(502, "<html><head><title>502 Bad Gateway</title></head><body><h1>oops</h1></body></html>", {
        "Content-Type": "text/html",
      }),
    );
    const error = await failure(testClient(s.url, { maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toBe("testapi answered 502 Bad Gateway: non-JSON response (502 Bad Gateway)");
    expect(error.body).toContain("<h1>oops</h1>");
  });

  it("an empty error body gives a typed error saying so", async () => {
    const s = await server(raw(503, "", { "Content-Length": "0" }));
    const error = await failure(testClient(s.url, { maxRetries: 0 }).call("getThing", { id: "1" }));
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toContain("empty body");
  });

  it("a 200 with malformed JSON gives ResponseFormatError, not a SyntaxError", async () => {
    const s = await server(raw(200, '{"id": "1", "na', { "Content-Type": "application/json" }));
    const error = await failure(testClient(s.url).call("getThing", { id: "1" }));
    expect(error).toBeInstanceOf(ResponseFormatError);
    expect(error.status).toBe(200);
    expect(error.message).toContain("not valid JSON");
  });

  it("a body over maxResponseBytes is refused with ResponseFormatError", async () => {
    const big = JSON.stringify({ data: "x".repeat(5000) });
    const s = await server(raw(200, big, { "Content-Type": "application/json" }));
    await expect(
      testClient(s.url, { maxResponseBytes: 1000 }).call("getThing", { id: "1" }),
    ).rejects.toThrow(/larger than maxResponseBytes/);
    // Also without a Content-Length (chunked).
    const t = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "application/json" });
      for (let i = 0; i < 10; i++) res.write("x".repeat(500));
      res.end();
    });
    await expect(
      testClient(t.url, { maxResponseBytes: 1000 }).call("getThing", { id: "1" }),
    ).rejects.toBeInstanceOf(ResponseFormatError);
  });

  it("binary responses come back as bytes, unchanged", async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0x00, 0xfe]);
    const s = await server((_req, res) => {
      res.writeHead(200, { "Content-Type": "image/png" });
      res.end(png);
    });
    const bytes = await testClient(s.url).call("getPicture", { id: "1" });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes as Uint8Array).equals(png)).toBe(true);
  });

  it("ValidationError names the field and has no status", () => {
    const e = new ValidationError("email must be an email address", { field: "email", provider: "x" });
    expect(e).toBeInstanceOf(EsignApiError);
    expect(e.status).toBeUndefined();
    expect(JSON.parse(JSON.stringify(e))).toMatchObject({ name: "ValidationError", field: "email" });
  });

  it("redacts secrets from message, body and headers, whatever the body echoes", () => {
    const redactor = new Redactor();
    redactor.add("sekret-value-123");
    const error = createApiError({
      provider: "p",
      status: 400,
      headers: new Headers({ "x-echo": "sekret-value-123" }),
      body: { error: "bad key sekret-value-123" },
      redactor,
      parseBody: (b) => ({ message: (b as { error: string }).error }),
    });
    const everything = [error.message, error.stack, inspect(error, { depth: 10 }), JSON.stringify(error)].join("\n");
    expect(everything).not.toContain("sekret-value-123");
    expect(everything).toContain("[REDACTED]");
  });
});
