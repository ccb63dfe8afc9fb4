import type { RecordedRequest } from "@esign-users/sandbox";
import { describe, expect, it } from "vitest";
import {
  createUserDirectory,
  type DirectoryOptions,
  EsignApiError,
  NotFoundError,
  ResponseFormatError,
  ValidationError,
} from "../src/index.js";
import { setups } from "./setups.js";

const HOSTILE_IDS = ["../users", "a/../../b", "x?admin=true", "x#frag", "100%", "%2e%2e", "with space", "ünï©ødé-ユーザー", "a&b=c", "tab\there"];

/** An id each provider sends on the wire: any well-formed one (Signable's are numbers), or QuicklySign's "self". */
const probeId = (dir: { capabilities: { get: { scope: string } } }) => (dir.capabilities.get.scope === "any user" ? "1001" : "self");

/** Every value the request carried, decoded: path segments and query values. */
function carried(request: RecordedRequest): string[] {
  const segments = request.path.split("/").map((s) => decodeURIComponent(s));
  const query = [...new URLSearchParams(request.rawQuery).values()];
  return [...segments, ...query];
}

describe.each(setups)("$label: hostile input", (setup) => {
  it("ids with ../ ? # % spaces and unicode are encoded: they never change the path or add parameters", async () => {
    const { sb, dir, close } = await setup.start();
    try {
      if (dir.capabilities.get.scope !== "any user") {
        // Only "self" is reachable: any other id is refused without being sent anywhere.
        for (const id of HOSTILE_IDS) {
          await expect(dir.get(id)).rejects.toBeInstanceOf(NotFoundError);
          expect(sb.requests.every((r) => !carried(r).includes(id))).toBe(true);
        }
        return;
      }
      const known = await dir.create({ email: `h.${Date.now()}@example.com`, firstName: "Hostile", lastName: "Input" });
      const start = sb.requests.length;
      await dir.get(known.id);
      // The shape of each request a normal get makes: where its path ends and which parameters it names.
      const shape = (r: RecordedRequest) => ({ segments: r.path.split("/").length, keys: [...new URLSearchParams(r.rawQuery).keys()] });
      const normal = new Map(sb.requests.slice(start).map((r) => [r.operationId, shape(r)]));
      // The operations that send the id (a path or query value); a provider that looks it up in a list sends none.
      const sendsId = new Set(sb.requests.slice(start).filter((r) => carried(r).includes(known.id)).map((r) => r.operationId));
      const sent = (from: number) => sb.requests.slice(from);
      for (const id of HOSTILE_IDS) {
        const count = sb.requests.length;
        const error = await dir.get(id).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, id).toBeInstanceOf(EsignApiError);
        if (sent(count).length === 0) {
          // An id the provider's spec says cannot exist (Signable's are numbers) names no user, and nothing is sent.
          expect(error, id).toBeInstanceOf(NotFoundError);
          continue;
        }
        // The same operations as a normal get, the same path lengths and parameter names; where the id
        // is sent (some providers look it up in a list instead), it arrives intact as one value.
        for (const request of sent(count)) {
          expect(normal.has(request.operationId), `${id}: ${request.operationId}`).toBe(true);
          expect(shape(request), id).toEqual(normal.get(request.operationId));
        }
        for (const request of sent(count)) {
          if (sendsId.has(request.operationId)) expect(carried(request), id).toContain(id);
          else expect(carried(request).some((v) => v.includes(id)), `${id} sent where no id goes`).toBe(false);
        }
      }
      // "." and ".." would be dot segments in a path (refused before sending); in a query they are just values.
      for (const id of [".", ".."]) {
        const count = sb.requests.length;
        const error = await dir.get(id).then(
          () => undefined,
          (e: unknown) => e,
        );
        if (sent(count).length === 0) expect([ValidationError, NotFoundError].some((c) => error instanceof c)).toBe(true);
        else for (const request of sent(count)) expect(normal.has(request.operationId)).toBe(true);
      }
    } finally {
      await close();
    }
  });

  it("credentials and ids with CR/LF are refused before anything is sent", async () => {
    const { sb, options, dir, close } = await setup.start();
    try {
      const before = sb.requests.length;
      const secretField = Object.keys(options).find((k) => ["apiKey", "accessToken"].includes(k)) as string;
      expect(() => createUserDirectory({ ...options, [secretField]: "key\r\nX-Injected: 1" } as DirectoryOptions)).toThrow(
        ValidationError,
      );
      const rotating = createUserDirectory({ ...options, [secretField]: async () => "key\nX-Injected: 1" } as DirectoryOptions);
      await expect(rotating.get(probeId(dir))).rejects.toBeInstanceOf(ValidationError);
      await expect(dir.get("id\r\nX-Injected: 1")).rejects.toBeInstanceOf(ValidationError);
      expect(sb.requests.length).toBe(before);
    } finally {
      await close();
    }
  });

  it("oversize and control-character inputs are refused with ValidationError before any request", async () => {
    const { sb, dir, close } = await setup.start();
    try {
      const before = sb.requests.length;
      const field = async (p: Promise<unknown>) =>
        p.then(
          () => "accepted",
          (e: unknown) => (e instanceof ValidationError ? e.field : String(e)),
        );
      expect(await field(dir.create({ email: "a@example.com", firstName: "x".repeat(101), lastName: "Y" }))).toBe("firstName");
      expect(await field(dir.create({ email: `${"a".repeat(250)}@example.com`, firstName: "X", lastName: "Y" }))).toBe("email");
      expect(await field(dir.create({ email: "a@example.com", firstName: "Bell\u0007", lastName: "Y" }))).toBe("firstName");
      const report = await dir.createMany([{ email: "a@example.com", firstName: "X".repeat(500), lastName: "Y" }]);
      expect(report[0]).toMatchObject({ status: "failed", error: expect.any(ValidationError) });
      expect(sb.requests.length).toBe(before);
    } finally {
      await close();
    }
  });

  it("a 50 MB answer is cut off with a clear error, not read into memory", async () => {
    const { sb, options, close } = await setup.start();
    try {
      const dir = createUserDirectory(options);
      const rss = process.memoryUsage().rss;
      sb.faults.next(3, { type: "oversized", bytes: 50 * 1024 * 1024 }, { method: "GET" });
      const error = await dir.get(probeId(dir)).then(
        () => undefined,
        (e: unknown) => e,
      );
      sb.faults.clear();
      expect(error).toBeInstanceOf(ResponseFormatError);
      expect((error as Error).message).toMatch(/larger than maxResponseBytes \(20971520 bytes\)/);
      // The default cap is 20 MiB: far less than the answer, and it is dropped at once.
      expect(process.memoryUsage().rss - rss).toBeLessThan(150 * 1024 * 1024);
    } finally {
      await close();
    }
  });

  it("JSON nested 100,000 levels deep does not crash the client", async () => {
    const { sb, dir, close } = await setup.start();
    try {
      sb.faults.next(1, { type: "deep", depth: 100_000 }, { method: "GET" });
      const outcome = await dir.get(probeId(dir)).then(
        (user) => `resolved ${typeof user}`,
        (e: unknown) => (e instanceof EsignApiError ? e.name : `untyped: ${String(e)}`),
      );
      expect(outcome).toMatch(/^(resolved object|[A-Za-z]+Error)$/);
      expect(outcome).not.toMatch(/^untyped/);
    } finally {
      await close();
    }
  });
});
