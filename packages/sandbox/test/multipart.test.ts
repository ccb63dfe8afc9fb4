import { describe, expect, it } from "vitest";
import { headerParameter, parseMultipartForm } from "../src/multipart.js";

const part = (name: string, value: string) => `--B\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const body = (...parts: string[]) => Buffer.from(`${parts.join("")}--B--\r\n`);

describe("parseMultipartForm", () => {
  it("reads what a FormData body holds, repeated names as arrays", async () => {
    const fd = new FormData();
    fd.append("email_address", "ada@example.com");
    fd.append("tag", "one");
    fd.append("tag", "two");
    fd.append("empty", "");
    const request = new Request("http://127.0.0.1/", { method: "POST", body: fd });
    const parsed = parseMultipartForm(Buffer.from(await request.arrayBuffer()), request.headers.get("content-type") as string);
    expect(parsed).toEqual({ ok: true, fields: { email_address: "ada@example.com", tag: ["one", "two"], empty: "" } });
  });

  it("keeps a field named like an Object.prototype member as plain data", () => {
    const parsed = parseMultipartForm(body(part("__proto__", "x"), part("constructor", "y")), "multipart/form-data; boundary=B");
    expect(parsed.ok && Object.getPrototypeOf(parsed.fields)).toBe(Object.prototype);
    expect(parsed.ok && parsed.fields.constructor).toBe("y");
    expect(parsed.ok && Object.hasOwn(parsed.fields, "__proto__")).toBe(true);
  });

  it("holds a body to its limits on parts and header bytes", () => {
    const many = body(...Array.from({ length: 4 }, (_, i) => part(`f${i}`, "v")));
    expect(parseMultipartForm(many, "multipart/form-data; boundary=B", { maxParts: 4, maxHeaderBytes: 1024 }).ok).toBe(true);
    expect(parseMultipartForm(many, "multipart/form-data; boundary=B", { maxParts: 3, maxHeaderBytes: 1024 })).toEqual({
      ok: false,
      message: "the multipart body is malformed: more than 3 parts",
    });
    const long = body(part("x".repeat(200), "v"));
    expect(parseMultipartForm(long, "multipart/form-data; boundary=B", { maxParts: 10, maxHeaderBytes: 100 })).toMatchObject({
      ok: false,
      message: expect.stringContaining("exceed 100 bytes"),
    });
  });

  it("refuses a boundary longer than 70 characters", () => {
    const boundary = "b".repeat(71);
    const bytes = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--${boundary}--`);
    expect(parseMultipartForm(bytes, `multipart/form-data; boundary=${boundary}`).ok).toBe(false);
  });

  it("reads header parameters quoted or not", () => {
    expect(headerParameter('form-data; name="a \\"b\\""; filename=x.txt', "name")).toBe('a "b"');
    expect(headerParameter('form-data; name="a"; filename=x.txt', "filename")).toBe("x.txt");
    expect(headerParameter('form-data; filename="x.txt"', "name")).toBeUndefined();
    expect(headerParameter("multipart/form-data; BOUNDARY=abc", "boundary")).toBe("abc");
  });
});
